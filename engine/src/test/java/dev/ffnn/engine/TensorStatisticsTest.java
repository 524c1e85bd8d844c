package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorStatisticsTest {

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    /** Relative tolerance of the moments against exact decimal arithmetic on well-scaled data. */
    private static final double RTOL = 1e-12;

    @Test
    void varianceFarFromZeroMatchesExactDecimal() {
        // 100,003 values: many whole blocks and a partial one
        int count = 100_003;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment values = arena.allocate(DOUBLE, count);
            RandomGenerator random = Seeds.generator(8, 0);
            for (int i = 0; i < count; i++) {
                values.setAtIndex(DOUBLE, i, 1e9 + random.nextGaussian());
            }
            BigDecimal[] exact = exactMeanAndVariance(values, count);

            TensorStatistics statistics = TensorStatistics.of(values, count, 0);

            double relative = Math.abs(statistics.variance() - exact[1].doubleValue()) / exact[1].doubleValue();
            assertTrue(relative < 1e-6, "variance " + statistics.variance() + " vs exact " + exact[1]
                    + " (relative error " + relative + ", tolerance 1e-6)");
            assertEquals(exact[0].doubleValue(), statistics.mean(), 1e-15 * 1e9, "mean");
        }
    }

    @Test
    void momentsMatchExactDecimalOnOddCount() {
        int count = 2_049;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment values = arena.allocate(DOUBLE, count);
            RandomGenerator random = Seeds.generator(3, 0);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                double value = random.nextGaussian() * 3 - 5;
                values.setAtIndex(DOUBLE, i, value);
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            BigDecimal[] exact = exactMeanAndVariance(values, count);
            BigDecimal squares = BigDecimal.ZERO;
            for (int i = 0; i < count; i++) {
                BigDecimal value = new BigDecimal(values.getAtIndex(DOUBLE, i));
                squares = squares.add(value.multiply(value));
            }

            TensorStatistics statistics = TensorStatistics.of(values, count, 0);

            assertEquals(count, statistics.count());
            assertClose(exact[0].doubleValue(), statistics.mean(), "mean");
            assertClose(exact[1].doubleValue(), statistics.variance(), "variance");
            assertClose(Math.sqrt(exact[1].doubleValue()), statistics.std(), "std");
            assertClose(squares.sqrt(MathContext.DECIMAL64).doubleValue(), statistics.norm(), "norm");
            assertEquals(min, statistics.min(), "min");
            assertEquals(max, statistics.max(), "max");
            assertNull(statistics.histogram(), "histogram without bins");
        }
    }

    @Test
    void histogramCountsEqualWidthBins() {
        try (Arena arena = Arena.ofShared()) {
            // Range 0 to 10 in 4 bins of width 2.5: [0, 2.5) [2.5, 5) [5, 7.5) [7.5, 10]
            MemorySegment values = arena.allocateFrom(DOUBLE, 0, 1, 2.5, 4.9, 5, 7.4, 7.5, 10, 10);
            TensorStatistics statistics = TensorStatistics.of(values, 9, 4);
            assertArrayEquals(new long[]{2, 2, 2, 3}, statistics.histogram());
        }
    }

    @Test
    void constantTensorHasZeroVarianceAndOneBin() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment values = arena.allocateFrom(DOUBLE, 0.1, 0.1, 0.1);
            TensorStatistics statistics = TensorStatistics.of(values, 3, 2);
            assertEquals(0.0, statistics.variance());
            assertArrayEquals(new long[]{3, 0}, statistics.histogram());
        }
    }

    @Test
    void nanMakesEveryMomentNaN() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment values = arena.allocateFrom(DOUBLE, 1, Double.NaN, Double.POSITIVE_INFINITY, 2);
            TensorStatistics statistics = TensorStatistics.of(values, 4, 3);
            assertEquals(Double.NaN, statistics.mean());
            assertEquals(Double.NaN, statistics.variance());
            assertEquals(Double.NaN, statistics.min());
            assertEquals(Double.NaN, statistics.max());
            assertEquals(Double.NaN, statistics.norm());
            assertNull(statistics.histogram());
            assertTrue(!statistics.isFinite());
        }
    }

    @Test
    void normSurvivesHugeAndTinyValues() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment huge = arena.allocateFrom(DOUBLE, 3e200, -4e200);
            assertEquals(5e200, TensorStatistics.of(huge, 2, 0).norm(), 5e200 * RTOL);
            MemorySegment tiny = arena.allocateFrom(DOUBLE, 3e-200, 4e-200);
            assertEquals(5e-200, TensorStatistics.of(tiny, 2, 0).norm(), 5e-200 * RTOL);
        }
    }

    @Test
    void emptyTensorHasNaNMeanAndZeroNorm() {
        try (Arena arena = Arena.ofShared()) {
            TensorStatistics statistics = TensorStatistics.of(arena.allocate(DOUBLE, 1), 0, 4);
            assertEquals(0, statistics.count());
            assertEquals(Double.NaN, statistics.mean());
            assertEquals(0.0, statistics.norm());
        }
    }

    /** Returns the mean and population variance of the stored doubles in exact decimal arithmetic (rounded at 40 digits). */
    private static BigDecimal[] exactMeanAndVariance(MemorySegment values, int count) {
        MathContext context = new MathContext(40);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < count; i++) {
            sum = sum.add(new BigDecimal(values.getAtIndex(DOUBLE, i)));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(count), context);
        BigDecimal squares = BigDecimal.ZERO;
        for (int i = 0; i < count; i++) {
            BigDecimal deviation = new BigDecimal(values.getAtIndex(DOUBLE, i)).subtract(mean);
            squares = squares.add(deviation.multiply(deviation));
        }
        return new BigDecimal[]{mean, squares.divide(BigDecimal.valueOf(count), context)};
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= RTOL * Math.abs(expected),
                what + ": " + actual + " vs " + expected + " (rtol " + RTOL + ")");
    }
}
