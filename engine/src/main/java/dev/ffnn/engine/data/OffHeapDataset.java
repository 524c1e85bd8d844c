package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The part of a {@link Dataset} that does not depend on how features are stored: the owning arena,
 * the {@code int32} labels, argument checks and the batch loop.
 *
 * <p>The arena is shared ({@link Arena#ofShared()}) because a data set is often loaded on one thread and
 * read on another, for example by a JMH benchmark thread or a background loader. A confined arena would
 * make every such read throw {@code WrongThreadException}.
 */
abstract sealed class OffHeapDataset implements Dataset permits ByteImageDataset, DenseDataset {

    private static final ValueLayout.OfInt LABEL = ValueLayout.JAVA_INT;

    private final String name;
    private final Arena arena;
    private final MemorySegment labels; // int32[sampleCount], each in [0, classCount)
    private final int sampleCount;
    private final int featureCount;
    private final int classCount;

    /** Takes ownership of {@code arena}, which must contain {@code labels} and the features. */
    OffHeapDataset(String name, Arena arena, MemorySegment labels, int sampleCount, int featureCount, int classCount) {
        this.name = Objects.requireNonNull(name, "name");
        this.arena = Objects.requireNonNull(arena, "arena");
        this.labels = Objects.requireNonNull(labels, "labels");
        this.sampleCount = sampleCount;
        this.featureCount = featureCount;
        this.classCount = classCount;
    }

    /**
     * Copies the features of {@code sample} as doubles into {@code destination}, starting at
     * {@code destinationByteOffset}. The caller has checked the sample index and the buffer size.
     */
    abstract void copyFeatures(int sample, MemorySegment destination, long destinationByteOffset);

    /**
     * Copies the features of {@code samples}, in that order, into a new segment of {@code arena} in this data
     * set's storage format. The caller has checked the sample indices.
     */
    abstract MemorySegment copyFeaturesOf(int[] samples, Arena arena);

    /** Creates a data set of the same type from features that {@link #copyFeaturesOf} produced. */
    abstract OffHeapDataset create(String name, Arena arena, MemorySegment features, MemorySegment labels,
                                   int sampleCount);

    /**
     * Returns a new data set of {@code samples} of this one, in that order, with the same storage format, feature
     * count and class count. The new data set owns a copy of the data, so either can be closed first.
     *
     * @throws IllegalArgumentException if {@code samples} is empty or an index is outside {@code [0, sampleCount())}
     * @throws IllegalStateException    if this data set is closed
     */
    final OffHeapDataset select(String newName, int[] samples) {
        checkOpen();
        if (samples.length == 0) {
            throw new IllegalArgumentException("cannot select 0 samples of data set '" + name + "': select at least 1");
        }
        for (int k = 0; k < samples.length; k++) {
            checkSample(samples[k], "samples[" + k + "]");
        }
        Arena selected = Arena.ofShared();
        try {
            MemorySegment selectedLabels = selected.allocate(LABEL, samples.length);
            for (int k = 0; k < samples.length; k++) {
                selectedLabels.setAtIndex(LABEL, k, labels.getAtIndex(LABEL, samples[k]));
            }
            MemorySegment features = copyFeaturesOf(samples, selected);
            return create(newName, selected, features, selectedLabels, samples.length);
        } catch (RuntimeException | Error e) {
            selected.close();
            throw e;
        }
    }

    @Override
    public final int sampleCount() {
        return sampleCount;
    }

    @Override
    public final int featureCount() {
        return featureCount;
    }

    @Override
    public final int classCount() {
        return classCount;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int label(int sample) {
        checkOpen();
        checkSample(sample, "sample");
        return labels.getAtIndex(LABEL, sample);
    }

    @Override
    public final void copyBatch(int[] sampleIndices, int from, int count, RowMajorMatrix features,
                                MemorySegment batchLabels) {
        checkOpen();
        checkBatchArguments(sampleIndices, from, count, features, batchLabels);
        MemorySegment destination = features.segment();
        long rowByteStride = (long) features.leadingDimension() * Double.BYTES;

        // One row and one label per sample, in the order of sampleIndices.
        for (int k = 0; k < count; k++) {
            int sample = sampleIndices[from + k];
            copyFeatures(sample, destination, k * rowByteStride);
            batchLabels.setAtIndex(LABEL, k, labels.getAtIndex(LABEL, sample));
        }
    }

    /** Closes the arena. The method is synchronized so that two concurrent calls cannot both close it. */
    @Override
    public final synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ": " + Counts.of(sampleCount, "sample") + " x "
                + Counts.of(featureCount, "feature") + ", " + Counts.of(classCount, "class", "classes") + "]";
    }

    /**
     * Checks that the sample, feature and class counts are at least 1.
     *
     * @throws IllegalArgumentException if one is below 1, with a message that names {@code datasetName}
     */
    static void checkCounts(String datasetName, int sampleCount, int featureCount, int classCount) {
        checkAtLeastOne("sample count", sampleCount, datasetName);
        checkAtLeastOne("feature count", featureCount, datasetName);
        checkAtLeastOne("class count", classCount, datasetName);
    }

    private static void checkAtLeastOne(String countName, int value, String datasetName) {
        if (value < 1) {
            throw new IllegalArgumentException(countName + " " + value + " for data set '" + datasetName
                    + "' is invalid: it must be >= 1");
        }
    }

    private void checkOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("data set '" + name + "' is closed: close it only after its last use,"
                    + " or load it again");
        }
    }

    private void checkSample(int sample, String argumentName) {
        if (sample < 0 || sample >= sampleCount) {
            throw new IllegalArgumentException(argumentName + " = " + sample + " is outside [0, " + sampleCount
                    + ") for data set '" + name + "': pass sample indices of this data set, such as a BatchOrder's");
        }
    }

    private void checkBatchArguments(int[] sampleIndices, int from, int count, RowMajorMatrix features,
                                     MemorySegment batchLabels) {
        Objects.requireNonNull(sampleIndices, "sampleIndices");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(batchLabels, "labels");
        checkRange(sampleIndices.length, from, count);
        checkFeatureMatrix(features, count);
        checkLabelBuffer(batchLabels, count);

        // Check every index first, so that a bad one leaves the buffers untouched.
        for (int k = from; k < from + count; k++) {
            int sample = sampleIndices[k];
            // The message is built only on failure: building it for every sample allocated 40 bytes each
            if (sample < 0 || sample >= sampleCount) {
                checkSample(sample, "sampleIndices[" + k + "]");
            }
        }
    }

    private static void checkRange(int length, int from, int count) {
        if (from < 0) {
            throw new IllegalArgumentException("from = " + from + " is invalid: it must be >= 0");
        }
        if (count < 0) {
            throw new IllegalArgumentException("count = " + count + " is invalid: it must be >= 0");
        }
        if ((long) from + count > length) {
            throw new IllegalArgumentException("from + count = " + ((long) from + count)
                    + " exceeds sampleIndices.length = " + length + ": pass count <= " + Math.max(0, length - from));
        }
    }

    private void checkFeatureMatrix(RowMajorMatrix features, int count) {
        if (features.cols() != featureCount) {
            throw new IllegalArgumentException("features matrix has " + Counts.of(features.cols(), "column")
                    + " but data set '" + name + "' has " + Counts.of(featureCount, "feature")
                    + ": allocate it with featureCount() columns");
        }
        if (features.rows() < count) {
            throw new IllegalArgumentException("features matrix has " + Counts.of(features.rows(), "row")
                    + " but count = "
                    + count + ": allocate at least count rows, or copy a smaller batch");
        }
        if (count > 0 && features.segment().maxByteAlignment() < Double.BYTES) {
            throw new IllegalArgumentException("features matrix segment is aligned to "
                    + Counts.of(features.segment().maxByteAlignment(), "byte") + " but doubles need " + Double.BYTES
                    + ": allocate it with RowMajorMatrix.allocate");
        }
        if (count > 0 && features.segment().isReadOnly()) {
            throw new IllegalArgumentException("features matrix segment is read-only: pass a writable segment");
        }
    }

    private static void checkLabelBuffer(MemorySegment batchLabels, int count) {
        long requiredByteSize = (long) count * Integer.BYTES;
        if (batchLabels.byteSize() < requiredByteSize) {
            throw new IllegalArgumentException("labels segment has " + Counts.of(batchLabels.byteSize(), "byte")
                    + " but count = " + count + " needs " + requiredByteSize
                    + ": allocate at least count int32 values");
        }
        if (count > 0 && batchLabels.maxByteAlignment() < Integer.BYTES) {
            throw new IllegalArgumentException("labels segment is aligned to "
                    + Counts.of(batchLabels.maxByteAlignment(), "byte") + " but int32 labels need " + Integer.BYTES
                    + ": allocate it with arena.allocate(ValueLayout.JAVA_INT, count)");
        }
        if (count > 0 && batchLabels.isReadOnly()) {
            throw new IllegalArgumentException("labels segment is read-only: pass a writable segment");
        }
    }
}
