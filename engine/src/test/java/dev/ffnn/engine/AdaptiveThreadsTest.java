package dev.ffnn.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdaptiveThreadsTest {

    private static final long MILLISECOND = 1_000_000;

    @AfterEach
    void restoreOneThread() {
        Blas.setThreadCount(1);
    }

    @Test
    void fasterSingleThreadIsKept() {
        AdaptiveThreads adaptive = started(2);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 10 * MILLISECOND);   // at 2 threads
        assertEquals(1, adaptive.threads(), "count while the other is timed");
        assertEquals(1, Blas.threadCount(), "OpenBLAS count while the other is timed");

        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 2 * MILLISECOND);    // at 1 thread

        assertEquals(1, adaptive.threads());
        assertEquals(1, Blas.threadCount());
        assertEquals(1, adaptive.switches());
    }

    @Test
    void gainUnderFivePercentKeepsTheCount() {
        AdaptiveThreads adaptive = started(2);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 10 * MILLISECOND);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 96 * MILLISECOND / 10);

        assertEquals(2, adaptive.threads());
        assertEquals(2, Blas.threadCount());
        assertEquals(0, adaptive.switches());
    }

    @Test
    void waitDoublesWhileTheCountHolds() {
        AdaptiveThreads adaptive = started(2);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 5 * MILLISECOND);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 9 * MILLISECOND);    // 1 thread is slower: back to 2

        // The first wait is FIRST_PERIOD * 2 steps, because the comparison kept the count
        record(adaptive, 2 * AdaptiveThreads.FIRST_PERIOD - 1, 5 * MILLISECOND);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS + 1, 5 * MILLISECOND);
        assertEquals(1, adaptive.threads(), "a new comparison starts after the wait");
    }

    @Test
    void medianIgnoresOneSlowStep() {
        AdaptiveThreads adaptive = started(2);
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS, 4 * MILLISECOND);
        record(adaptive, 1, 500 * MILLISECOND);                              // one stall at 1 thread
        record(adaptive, AdaptiveThreads.SAMPLE_STEPS - 1, 2 * MILLISECOND);

        assertEquals(1, adaptive.threads());
    }

    @Test
    void singleThreadMaximumNeverSwitches() {
        AdaptiveThreads adaptive = new AdaptiveThreads(1);

        assertEquals(1, adaptive.threads());
        assertThrows(IllegalArgumentException.class, () -> new AdaptiveThreads(0));
    }

    private static AdaptiveThreads started(int maxThreads) {
        AdaptiveThreads adaptive = new AdaptiveThreads(maxThreads);
        Blas.setThreadCount(maxThreads);
        return adaptive;
    }

    private static void record(AdaptiveThreads adaptive, int steps, long nanos) {
        for (int i = 0; i < steps; i++) {
            adaptive.record(nanos);
        }
    }
}
