package dev.ffnn.engine.reference;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The split of {@code [0, count)} among threads: every index exactly once, and failures passed to the caller. */
class ParallelRangesTest {

    @Test
    void everyIndexRunsOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (ParallelRanges ranges = new ParallelRanges(threads)) {
                for (int count = 0; count <= 11; count++) {
                    AtomicIntegerArray visits = new AtomicIntegerArray(count);

                    ranges.run(count, (from, to) -> {
                        for (int i = from; i < to; i++) {
                            visits.incrementAndGet(i);
                        }
                    });

                    for (int i = 0; i < count; i++) {
                        assertEquals(1, visits.get(i), threads + " threads, count " + count + ": visits of index " + i);
                    }
                }
            }
        }
    }

    @Test
    void workerFailureReachesCaller() {
        IllegalStateException failure = new IllegalStateException("range failed");
        try (ParallelRanges ranges = new ParallelRanges(2)) {
            // The second range runs on the worker thread
            var thrown = assertThrows(IllegalStateException.class, () -> ranges.run(10, (from, to) -> {
                if (from > 0) {
                    throw failure;
                }
            }));

            // ForkJoinTask.join rethrows a worker's exception as a copy of the same type, caused by the original
            Throwable original = thrown.getCause() != null ? thrown.getCause() : thrown;
            assertSame(failure, original);
        }
    }

    @Test
    void callerFailureWinsAfterWorkersFinish() {
        IllegalArgumentException failure = new IllegalArgumentException("first range failed");
        AtomicIntegerArray finished = new AtomicIntegerArray(1);
        try (ParallelRanges ranges = new ParallelRanges(2)) {
            var thrown = assertThrows(IllegalArgumentException.class, () -> ranges.run(10, (from, to) -> {
                if (from == 0) {
                    throw failure;
                }
                finished.incrementAndGet(0);
            }));

            assertSame(failure, thrown);
            assertEquals(1, finished.get(0), "the worker's range must have finished before run returned");
        }
    }

    @Test
    void zeroThreadsAreRejected() {
        var error = assertThrows(IllegalArgumentException.class, () -> new ParallelRanges(0));

        assertEquals("thread count 0 is invalid: it must be >= 1", error.getMessage());
    }
}
