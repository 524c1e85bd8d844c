package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.MemorySegment;

/**
 * A labelled classification data set held off the Java heap.
 *
 * <p>Sample {@code s} has {@link #featureCount()} features and a label in {@code [0, classCount())}. A
 * training step copies one batch at a time into a row-major feature matrix and an {@code int32} label
 * buffer with {@link #copyBatch}, which allocates nothing.
 *
 * <p>Lifecycle: a data set owns the {@code Arena} of its samples and is open from creation until
 * {@link #close()}. After close, {@link #label} and {@link #copyBatch} throw {@link IllegalStateException},
 * while {@link #sampleCount()}, {@link #featureCount()}, {@link #classCount()} and {@link #name()} still
 * return their values. The data is read-only after creation, so several threads may call
 * {@link #copyBatch} at once into different buffers.
 */
public interface Dataset extends AutoCloseable {

    /** Returns the number of samples, at least 1. */
    int sampleCount();

    /** Returns the number of features of each sample, at least 1. */
    int featureCount();

    /** Returns the number of classes: the one given at creation, else the maximum label + 1. */
    int classCount();

    /** Returns a short name for messages and reports: the images file name, or the synthetic set's name. */
    String name();

    /**
     * Returns the label of sample {@code sample}, in {@code [0, classCount())}.
     *
     * @throws IllegalArgumentException if {@code sample} is outside {@code [0, sampleCount())}
     * @throws IllegalStateException    if the data set is closed
     */
    int label(int sample);

    /**
     * Copies the samples {@code sampleIndices[from .. from + count - 1]} into rows {@code 0 .. count - 1}
     * of {@code features} and their labels into {@code labels}, and allocates nothing.
     *
     * <p>Row {@code k} of {@code features} receives the features of sample {@code sampleIndices[from + k]},
     * as doubles (byte images are scaled to {@code value / 255.0}), and the {@code int32} at byte offset
     * {@code k * Integer.BYTES} of {@code labels} receives its label. Rows {@code count ..} of
     * {@code features}, the columns between {@code cols} and the leading dimension, and the label buffer
     * beyond {@code count} entries are not modified. Every argument is checked before anything is written.
     *
     * @param sampleIndices sample indices, not modified
     * @param from          position in {@code sampleIndices} of the first sample to copy
     * @param count         number of samples to copy, 0 or more
     * @param features      batch matrix, modified; {@code cols == featureCount()} and {@code rows >= count}
     * @param labels        label buffer of at least {@code count * Integer.BYTES} bytes aligned to
     *                      {@code Integer.BYTES}, modified
     * @throws IllegalArgumentException if {@code from} or {@code count} is negative,
     *                                  {@code from + count > sampleIndices.length}, an index is outside
     *                                  {@code [0, sampleCount())}, or a buffer has the wrong shape, size
     *                                  or alignment
     * @throws IllegalStateException    if the data set is closed
     */
    void copyBatch(int[] sampleIndices, int from, int count, RowMajorMatrix features, MemorySegment labels);

    /** Releases the off-heap memory of the samples. Closing a closed data set has no effect. */
    @Override
    void close();
}
