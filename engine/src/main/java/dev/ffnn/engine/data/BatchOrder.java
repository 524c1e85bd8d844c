package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * The order in which an epoch visits the samples of a data set: a permutation of {@code 0 .. sampleCount - 1}
 * in one {@code int} array, allocated once.
 *
 * <p>A new order is the identity. Call {@link #shuffle()} at the start of every epoch: a shuffled order
 * permutes its array in place (Fisher–Yates) with an {@value SyntheticDatasets#GENERATOR_ALGORITHM} generator
 * created from the seed, so the same seed gives the same sequence of orders. An identity order, for
 * evaluation, ignores {@link #shuffle()}. Neither allocates after creation.
 */
public final class BatchOrder {

    private final int[] indices;          // int[sampleCount], a permutation of 0 .. sampleCount - 1
    private final RandomGenerator random; // null for an identity order

    private BatchOrder(int sampleCount, RandomGenerator random) {
        if (sampleCount < 0) {
            throw new IllegalArgumentException("sample count " + sampleCount + " is invalid: it must be >= 0");
        }
        this.indices = new int[sampleCount];
        for (int i = 0; i < sampleCount; i++) {
            indices[i] = i;
        }
        this.random = random;
    }

    /** Creates an order that {@link #shuffle()} permutes with a generator seeded with {@code seed}. */
    public static BatchOrder shuffled(int sampleCount, long seed) {
        RandomGenerator random = RandomGeneratorFactory.of(SyntheticDatasets.GENERATOR_ALGORITHM).create(seed);
        return new BatchOrder(sampleCount, random);
    }

    /** Creates an order that stays {@code 0, 1, .., sampleCount - 1}, for evaluation. */
    public static BatchOrder identity(int sampleCount) {
        return new BatchOrder(sampleCount, null);
    }

    /** Permutes the order in place for a new epoch. An identity order stays unchanged. */
    public void shuffle() {
        if (random == null) {
            return;
        }
        for (int i = indices.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
    }

    /** Returns true if {@link #shuffle()} permutes this order. */
    public boolean isShuffled() {
        return random != null;
    }

    public int sampleCount() {
        return indices.length;
    }

    /** Returns the sample visited at {@code position} of the current epoch. */
    public int index(int position) {
        return indices[Objects.checkIndex(position, indices.length)];
    }

    /**
     * Returns the array of sample indices itself, not a copy, to pass to {@link Dataset#copyBatch}.
     * Callers must not modify it.
     */
    public int[] indices() {
        return indices;
    }

    /** Returns {@code ceil(sampleCount / batchSize)}, the number of batches of up to {@code batchSize} samples. */
    public int batchCount(int batchSize) {
        checkBatchSize(batchSize);
        return (int) (((long) indices.length + batchSize - 1) / batchSize);
    }

    /**
     * Copies batch {@code batch} of the current epoch from {@code dataset}: the samples at positions
     * {@code batch * batchSize ..} of this order, {@code batchSize} of them or fewer in the last batch.
     *
     * @param features modified, rows {@code 0 .. count - 1}; see {@link Dataset#copyBatch}
     * @param labels   modified, the first {@code count} int32 values
     * @return {@code count}, the number of samples copied
     * @throws IllegalArgumentException if the data set's sample count differs from this order's, the batch
     *                                  is outside {@code [0, batchCount(batchSize))}, or a buffer is too small
     */
    public int copyBatch(Dataset dataset, int batch, int batchSize, RowMajorMatrix features, MemorySegment labels) {
        Objects.requireNonNull(dataset, "dataset");
        if (dataset.sampleCount() != indices.length) {
            throw new IllegalArgumentException("data set '" + dataset.name() + "' has "
                    + Counts.of(dataset.sampleCount(), "sample") + " but this order has " + indices.length
                    + ": create the order from the same data set");
        }
        int batchCount = batchCount(batchSize);
        if (batch < 0 || batch >= batchCount) {
            throw new IllegalArgumentException("batch " + batch + " is outside [0, " + batchCount + ") for "
                    + Counts.of(indices.length, "sample") + " in batches of " + batchSize);
        }
        int from = batch * batchSize;
        int count = Math.min(batchSize, indices.length - from);
        dataset.copyBatch(indices, from, count, features, labels);
        return count;
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
    }
}
