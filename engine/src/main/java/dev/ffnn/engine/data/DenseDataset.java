package dev.ffnn.engine.data;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Objects;

/**
 * A data set whose features are {@code double} values off-heap, for synthetic data and data that is
 * already numeric.
 *
 * <p>Features are stored packed and row-major: feature {@code j} of sample {@code s} is at byte offset
 * {@code (s * featureCount + j) * Double.BYTES}, so {@link #copyBatch} copies each sample with one bulk copy.
 * Every feature is finite and every label is in {@code [0, classCount)}, because the factories reject
 * anything else.
 */
public final class DenseDataset extends OffHeapDataset {

    private static final ValueLayout.OfDouble FEATURE = ValueLayout.JAVA_DOUBLE;

    private final MemorySegment features; // double[sampleCount x featureCount], packed row-major
    private final long rowByteSize;       // featureCount * Double.BYTES

    /** Source of the samples of {@link #generate}, called once per sample in increasing order. */
    @FunctionalInterface
    public interface SampleGenerator {

        /**
         * Writes the features of sample {@code sample} into {@code features} and returns its label.
         *
         * @param sample   index of the sample, from 0 to sampleCount - 1
         * @param features modified: all {@code featureCount} entries must be set to finite values, because
         *                 they start as NaN and a NaN is rejected
         * @return the label, in {@code [0, classCount)}
         */
        int generate(int sample, double[] features);
    }

    private DenseDataset(String name, Arena arena, MemorySegment features, MemorySegment labels,
                         int sampleCount, int featureCount, int classCount) {
        super(name, arena, labels, sampleCount, featureCount, classCount);
        this.features = features;
        this.rowByteSize = (long) featureCount * Double.BYTES;
    }

    /**
     * Creates a data set of {@code sampleCount} samples, asking {@code generator} for each one in turn.
     * Only one row of {@code featureCount} doubles lives on the heap while it runs.
     *
     * @throws IllegalArgumentException if a count is below 1, the features do not fit in one segment, a
     *                                  feature is not finite or a label is outside {@code [0, classCount)};
     *                                  the message names the sample
     */
    public static DenseDataset generate(String name, int sampleCount, int featureCount, int classCount,
                                        SampleGenerator generator) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generator, "generator");
        checkCounts(name, sampleCount, featureCount, classCount);
        long featureByteSize = featureByteSize(name, sampleCount, featureCount);
        Arena arena = Arena.ofShared();
        try {
            MemorySegment features = arena.allocate(featureByteSize, Double.BYTES);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, sampleCount);
            double[] row = new double[featureCount];
            long rowByteSize = (long) featureCount * Double.BYTES;

            // Generate, check and store one sample at a time.
            for (int sample = 0; sample < sampleCount; sample++) {
                Arrays.fill(row, Double.NaN);
                int label = generator.generate(sample, row);
                checkSample(name, sample, row, label, classCount);
                MemorySegment.copy(row, 0, features, FEATURE, sample * rowByteSize, featureCount);
                labels.setAtIndex(ValueLayout.JAVA_INT, sample, label);
            }
            return new DenseDataset(name, arena, features, labels, sampleCount, featureCount, classCount);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Copies on-heap samples into a new data set. Row {@code features[s]} is sample {@code s}, with label
     * {@code labels[s]}. The arrays are not modified.
     *
     * @throws IllegalArgumentException if the arrays are empty, differ in length, the rows differ in length,
     *                                  or a value is rejected as in {@link #generate}
     */
    public static DenseDataset of(String name, double[][] features, int[] labels, int classCount) {
        int featureCount = checkArrays(name, features, labels);
        return generate(name, labels.length, featureCount, classCount, (sample, row) -> {
            System.arraycopy(features[sample], 0, row, 0, featureCount);
            return labels[sample];
        });
    }

    /** Same as {@link #of(String, double[][], int[], int)} with the class count set to the maximum label + 1. */
    public static DenseDataset of(String name, double[][] features, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        int maxLabel = Arrays.stream(labels).max().orElse(-1);
        return of(name, features, labels, maxLabel + 1);
    }

    @Override
    MemorySegment copyFeaturesOf(int[] samples, Arena arena) {
        MemorySegment copy = arena.allocate(rowByteSize * samples.length, Double.BYTES);
        for (int k = 0; k < samples.length; k++) {
            MemorySegment.copy(features, samples[k] * rowByteSize, copy, k * rowByteSize, rowByteSize);
        }
        return copy;
    }

    @Override
    OffHeapDataset create(String name, Arena arena, MemorySegment features, MemorySegment labels, int sampleCount) {
        return new DenseDataset(name, arena, features, labels, sampleCount, featureCount(), classCount());
    }

    @Override
    void copyFeatures(int sample, MemorySegment destination, long destinationByteOffset) {
        MemorySegment.copy(features, sample * rowByteSize, destination, destinationByteOffset, rowByteSize);
    }

    private static long featureByteSize(String name, int sampleCount, int featureCount) {
        try {
            return Math.multiplyExact((long) sampleCount * featureCount, (long) Double.BYTES);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("data set '" + name + "' of " + sampleCount + " samples x "
                    + featureCount + " features is too large: its byte size overflows a long; use fewer samples", e);
        }
    }

    private static void checkSample(String name, int sample, double[] row, int label, int classCount) {
        for (int j = 0; j < row.length; j++) {
            if (!Double.isFinite(row[j])) {
                throw new IllegalArgumentException("feature " + j + " of sample " + sample + " in data set '" + name
                        + "' is " + row[j] + ": every feature must be finite, so set, clean or impute it");
            }
        }
        if (label < 0 || label >= classCount) {
            throw new IllegalArgumentException("label " + label + " of sample " + sample + " in data set '" + name
                    + "' is outside [0, " + classCount + "): fix the label or pass a class count above it");
        }
    }

    private static int checkArrays(String name, double[][] features, int[] labels) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        if (features.length != labels.length) {
            throw new IllegalArgumentException("data set '" + name + "' has "
                    + Counts.of(features.length, "feature row") + " but " + Counts.of(labels.length, "label")
                    + ": pass one label per row");
        }
        if (features.length == 0) {
            throw new IllegalArgumentException("data set '" + name + "' has no samples: pass at least one row");
        }
        int featureCount = features[0].length;
        for (int s = 1; s < features.length; s++) {
            if (features[s].length != featureCount) {
                throw new IllegalArgumentException("features[" + s + "] of data set '" + name + "' has "
                        + features[s].length + " values but features[0] has " + featureCount
                        + ": every row needs the same feature count");
            }
        }
        return featureCount;
    }
}
