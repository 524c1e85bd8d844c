package dev.ffnn.engine;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Fills a matrix in fixed blocks of {@value #BLOCK_ELEMENTS} elements, block {@code k} from its own generator
 * {@link Seeds#generator}{@code (seed, k)}, so the result is the same for any thread count.
 *
 * <p>Blocks follow row-major element order (element (i, j) is number {@code i·cols + j}, padding excluded), so
 * their boundaries depend on the shape only. Thread {@code t} of T fills blocks t, t + T, t + 2T, and so on.
 */
final class BlockFill {

    /** Elements per block: 64 Ki doubles, large enough that thread start-up stays small beside the drawing. */
    static final int BLOCK_ELEMENTS = 1 << 16;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    /** Draws one value. A sampler keeps no state apart from the generator it is given. */
    @FunctionalInterface
    interface Sampler {
        double next(RandomGenerator random);
    }

    private BlockFill() {
    }

    /**
     * Writes {@code sampler} draws into every element of {@code weights} (modified), block by block.
     *
     * @param threads worker threads, at least 1. A segment that only its owner thread may access (a confined
     *                arena's) is filled on the calling thread, with the same result
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    static void fill(RowMajorMatrix weights, long seed, int threads, Sampler sampler) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        long elements = weights.elementCount();
        long blocks = (elements + BLOCK_ELEMENTS - 1) / BLOCK_ELEMENTS;
        int workers = (int) Math.min(threads, blocks);
        if (workers <= 1 || !accessibleFromOtherThreads(weights)) {
            fillBlocks(weights, seed, 0, 1, blocks, sampler);
            return;
        }

        List<Thread> started = new ArrayList<>(workers);
        Throwable[] failures = new Throwable[workers];
        for (int t = 0; t < workers; t++) {
            int first = t;
            started.add(Thread.ofPlatform().name("ffnn-init-" + t).start(() -> {
                try {
                    fillBlocks(weights, seed, first, workers, blocks, sampler);
                } catch (RuntimeException | Error e) {
                    // Rethrown on the calling thread below, so a failed block never goes unnoticed
                    failures[first] = e;
                }
            }));
        }
        joinAll(started);
        for (Throwable failure : failures) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    private static boolean accessibleFromOtherThreads(RowMajorMatrix weights) {
        return weights.segment().isAccessibleBy(Thread.ofPlatform().unstarted(() -> { }));
    }

    private static void fillBlocks(RowMajorMatrix weights, long seed, int first, int step, long blocks, Sampler sampler) {
        for (long block = first; block < blocks; block += step) {
            fillBlock(weights, block, Seeds.generator(seed, block), sampler);
        }
    }

    private static void fillBlock(RowMajorMatrix weights, long block, RandomGenerator random, Sampler sampler) {
        int cols = weights.cols();
        long start = block * BLOCK_ELEMENTS;
        long end = Math.min(start + BLOCK_ELEMENTS, weights.elementCount());
        int i = (int) (start / cols);
        int j = (int) (start % cols);
        long rowOffset = (long) i * weights.leadingDimension();
        for (long element = start; element < end; element++) {
            weights.segment().setAtIndex(DOUBLE, rowOffset + j, sampler.next(random));
            if (++j == cols) {
                j = 0;
                rowOffset += weights.leadingDimension();
            }
        }
    }

    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    // Wait for every worker, which finishes in milliseconds, so none writes after this method returns
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
