package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Summary statistics of the elements of one tensor: count, mean, population variance, standard deviation, min,
 * max, Euclidean (Frobenius) norm and an optional histogram.
 *
 * <p>The moments come from one pass over memory in blocks of {@value #BLOCK_SIZE} elements: each block, while in
 * the L1 cache, gets an exact two-pass mean and sum of squared deviations, and blocks are merged with the pairwise
 * update of Chan, Golub and LeVeque ("Algorithms for computing the sample variance", 1983). The variance therefore
 * does not suffer from the cancellation of {@code E[x²] − E[x]²}: values of 1e9 plus unit noise keep about 9
 * significant digits. A NaN anywhere makes the mean, variance, min, max and norm NaN; an infinity makes them
 * infinite or NaN.
 *
 * @param count     number of elements
 * @param mean      arithmetic mean, NaN when {@code count == 0}
 * @param variance  population variance (sum of squared deviations divided by {@code count})
 * @param min       smallest element
 * @param max       largest element
 * @param norm      Euclidean norm {@code sqrt(Σ x²)}, computed without overflow or underflow of the squares
 * @param histogram counts of {@code histogram.length} equal-width bins from {@code min} to {@code max} (the last
 *                  bin includes {@code max}; all elements fall in bin 0 when {@code min == max}), or null when no
 *                  histogram was asked for or an element is not finite
 */
public record TensorStatistics(long count, double mean, double variance, double min, double max, double norm,
                               long[] histogram) {

    /** Elements per block of the one-pass variance: 8 KiB of doubles, which stays in any L1 data cache. */
    static final int BLOCK_SIZE = 1024;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    /** Returns the standard deviation, {@code sqrt(variance)}. */
    public double std() {
        return Math.sqrt(variance);
    }

    /** Returns true when the mean, the variance, the min, the max and the norm are all finite numbers. */
    public boolean isFinite() {
        return Double.isFinite(mean) && Double.isFinite(variance) && Double.isFinite(min) && Double.isFinite(max)
                && Double.isFinite(norm);
    }

    /**
     * Computes the statistics of the first {@code count} doubles of {@code values} (not modified).
     *
     * @param histogramBins number of histogram bins, or 0 for none
     * @throws IllegalArgumentException if {@code count} or {@code histogramBins} is negative, or the segment contains
     *                                  fewer than {@code count} doubles
     */
    public static TensorStatistics of(MemorySegment values, long count, int histogramBins) {
        if (count < 0 || histogramBins < 0) {
            throw new IllegalArgumentException("count " + count + " and histogram bins " + histogramBins
                    + " are invalid: both must be >= 0");
        }
        if (values.byteSize() < count * Double.BYTES) {
            throw new IllegalArgumentException("segment of " + values.byteSize() + " bytes is too small for "
                    + count + " doubles");
        }
        long seen = 0;
        double mean = 0.0;
        double squaredDeviations = 0.0; // Σ (x − mean)² over the elements seen so far
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sumOfSquares = 0.0;
        boolean nan = false;
        for (long start = 0; start < count; start += BLOCK_SIZE) {
            long end = Math.min(count, start + BLOCK_SIZE);
            int blockCount = (int) (end - start);

            // Pass 1 over the block: its sum
            double sum = 0.0;
            for (long i = start; i < end; i++) {
                sum += values.getAtIndex(DOUBLE, i);
            }
            double blockMean = sum / blockCount;

            // Pass 2 over the cached block: squared deviations with the compensation term, min, max, Σ x²
            double squares = 0.0;
            double compensation = 0.0;
            for (long i = start; i < end; i++) {
                double value = values.getAtIndex(DOUBLE, i);
                double deviation = value - blockMean;
                squares += deviation * deviation;
                compensation += deviation;
                min = Math.min(min, value);
                max = Math.max(max, value);
                sumOfSquares += value * value;
                nan |= value != value;
            }
            double blockSquaredDeviations = Double.isInfinite(squares) ? squares
                    : squares - compensation * compensation / blockCount;

            // Merge the block into the running moments
            long merged = seen + blockCount;
            double delta = blockMean - mean;
            mean += delta * blockCount / merged;
            squaredDeviations += blockSquaredDeviations + delta * delta * ((double) seen * blockCount / merged);
            seen = merged;
        }
        if (count == 0) {
            return new TensorStatistics(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0.0, null);
        }
        if (nan) {
            // Math.min and Math.max already return NaN; the sums may not, when an infinity cancels first
            return new TensorStatistics(count, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null);
        }
        double norm = Math.sqrt(sumOfSquares);
        double largest = Math.max(Math.abs(min), Math.abs(max));
        if (Double.isFinite(largest) && largest > 0 && (Double.isInfinite(sumOfSquares) || sumOfSquares < Double.MIN_NORMAL)) {
            norm = scaledNorm(values, count, largest);
        }
        long[] histogram = histogramBins > 0 && Double.isFinite(min) && Double.isFinite(max)
                ? histogram(values, count, histogramBins, min, max) : null;
        return new TensorStatistics(count, mean, squaredDeviations / count, min, max, norm, histogram);
    }

    /** Returns {@code scale · sqrt(Σ (x / scale)²)}, for squares that overflow or underflow. */
    private static double scaledNorm(MemorySegment values, long count, double scale) {
        double sum = 0.0;
        for (long i = 0; i < count; i++) {
            double scaled = values.getAtIndex(DOUBLE, i) / scale;
            sum += scaled * scaled;
        }
        return scale * Math.sqrt(sum);
    }

    private static long[] histogram(MemorySegment values, long count, int bins, double min, double max) {
        long[] counts = new long[bins];
        double width = (max - min) / bins;
        for (long i = 0; i < count; i++) {
            double value = values.getAtIndex(DOUBLE, i);
            int bin = width > 0 ? (int) ((value - min) / width) : 0;
            counts[Math.min(bin, bins - 1)]++;
        }
        return counts;
    }
}
