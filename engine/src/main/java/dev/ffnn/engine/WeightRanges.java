package dev.ffnn.engine;

import java.util.Arrays;
import java.util.Objects;

/**
 * The index ranges of the weights within a flat parameter vector of {@link #parameterCount()} doubles; every
 * other element is a bias.
 *
 * <p>L2 regularization and decoupled weight decay apply to the weights only, so an optimizer needs to know
 * which elements are weights. For a {@link Network} the ranges are each layer's W ({@link Network#weightRanges()});
 * its b follows each range.
 *
 * <p>The ranges are sorted, disjoint, non-empty and inside {@code [0, parameterCount)}. Instances are immutable.
 */
public final class WeightRanges {

    private final long parameterCount;
    private final long[] bounds; // start0, end0, start1, end1, ...: each range is [start, end)

    private WeightRanges(long parameterCount, long[] bounds) {
        this.parameterCount = parameterCount;
        this.bounds = bounds;
    }

    /**
     * Returns the ranges given as pairs {@code start0, end0, start1, end1, ...}, each {@code [start, end)}.
     *
     * @throws IllegalArgumentException if {@code parameterCount < 1}, the array has an odd length, or a range is
     *                                  empty, unsorted, overlaps the one before, or lies outside
     *                                  {@code [0, parameterCount)}
     */
    public static WeightRanges of(long parameterCount, long... startEndPairs) {
        Objects.requireNonNull(startEndPairs, "startEndPairs");
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameter count " + parameterCount + " is invalid: it must be >= 1");
        }
        if (startEndPairs.length % 2 != 0) {
            throw new IllegalArgumentException("weight ranges need start and end pairs, but " + startEndPairs.length
                    + " values were given");
        }
        long previousEnd = 0;
        for (int i = 0; i < startEndPairs.length; i += 2) {
            long start = startEndPairs[i];
            long end = startEndPairs[i + 1];
            if (start < previousEnd || end <= start || end > parameterCount) {
                throw new IllegalArgumentException("weight range [" + start + ", " + end + ") is invalid: ranges must"
                        + " be non-empty, sorted, disjoint and inside [0, " + parameterCount + ")");
            }
            previousEnd = end;
        }
        return new WeightRanges(parameterCount, startEndPairs.clone());
    }

    /** Returns one range that makes every one of {@code parameterCount} elements a weight. */
    public static WeightRanges all(long parameterCount) {
        return of(parameterCount, 0, parameterCount);
    }

    /** Returns the length of the flat parameter vector these ranges describe. */
    public long parameterCount() {
        return parameterCount;
    }

    /** Returns the number of ranges. */
    public int rangeCount() {
        return bounds.length / 2;
    }

    /** Returns the first element of range {@code range}. */
    public long start(int range) {
        return bounds[2 * range];
    }

    /** Returns the element after the last of range {@code range}. */
    public long end(int range) {
        return bounds[2 * range + 1];
    }

    /** Returns the number of weights, the total length of the ranges. */
    public long weightCount() {
        long count = 0;
        for (int r = 0; r < rangeCount(); r++) {
            count += end(r) - start(r);
        }
        return count;
    }

    /** Returns whether element {@code index} is a weight. */
    public boolean isWeight(long index) {
        for (int r = 0; r < rangeCount(); r++) {
            if (index >= start(r) && index < end(r)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WeightRanges that && parameterCount == that.parameterCount
                && Arrays.equals(bounds, that.bounds);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(parameterCount) + Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("WeightRanges[" + parameterCount + " parameters:");
        for (int r = 0; r < rangeCount(); r++) {
            text.append(" [").append(start(r)).append(", ").append(end(r)).append(')');
        }
        return text.append(']').toString();
    }
}
