package dev.ffnn.engine.reference;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a loop over {@code [0, count)} into contiguous ranges, one per thread, and runs them at once: the first
 * on the calling thread, the others on a pool of {@code threads − 1} daemon workers that this object owns.
 *
 * <p>With one thread, {@link #run} calls the body once on the calling thread and allocates nothing. With more,
 * each call allocates one task per extra thread. The pool's threads are daemons, so a forgotten {@link #close()}
 * does not keep the JVM alive.
 */
final class ParallelRanges implements AutoCloseable {

    /** A loop body over the indices {@code [from, to)}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool; // threads − 1 workers; null for one thread

    /**
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    ParallelRanges(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1);
    }

    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, count)} split into {@code min(threads, count)} ranges of nearly equal
     * length, and returns when all have finished.
     *
     * @throws RuntimeException the first exception a range threw, after every range has finished: the caller's own
     *                          range first, then the workers' in order. A worker's exception arrives as
     *                          {@link ForkJoinTask#join()} rethrows it, possibly a copy with the original as cause.
     */
    void run(int count, RangeBody body) {
        int parts = Math.min(threads, count);
        if (parts <= 1) {
            body.run(0, count);
            return;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int from = start(part, parts, count);
            int to = start(part + 1, parts, count);
            tasks[part - 1] = pool.submit(() -> body.run(from, to));
        }
        RuntimeException failure = null;
        try {
            body.run(0, start(1, parts, count));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> task : tasks) {
            try {
                task.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Returns where range {@code part} of {@code parts} starts in {@code [0, count)}. */
    private static int start(int part, int parts, int count) {
        return (int) ((long) part * count / parts);
    }

    /** Stops the worker threads; with one thread there are none. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
