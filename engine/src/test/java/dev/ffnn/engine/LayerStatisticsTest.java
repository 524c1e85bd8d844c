package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerStatisticsTest {

    private static final int COUNT = 100_000;
    private static final double OFFSET = 1e9;

    @Test
    void varianceStaysAccurateFarFromZero() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocate(ValueLayout.JAVA_DOUBLE, COUNT);
            double[] shifted = new double[COUNT];
            RandomGenerator random = Seeds.generator(8, 0);
            for (int i = 0; i < COUNT; i++) {
                double value = OFFSET + random.nextGaussian();
                values.setAtIndex(ValueLayout.JAVA_DOUBLE, i, value);
                // Subtracting 1e9 from a double near 1e9 is exact, so this is the stored value's deviation
                shifted[i] = value - OFFSET;
            }
            double shiftedMean = 0;
            for (double value : shifted) {
                shiftedMean += value;
            }
            shiftedMean /= COUNT;
            double exact = 0;
            for (double value : shifted) {
                exact += (value - shiftedMean) * (value - shiftedMean);
            }
            exact /= COUNT;

            double mean = LayerStatistics.mean(values, COUNT);
            double variance = LayerStatistics.variance(values, COUNT, mean);

            double relative = Math.abs(variance - exact) / exact;
            assertTrue(relative < 1e-6, "variance " + variance + " vs exact " + exact + " (relative " + relative + ")");
        }
    }

    @Test
    void overflowingVarianceIsInfinityNotNaN() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1e300, -1e300, 3e300);
            double mean = LayerStatistics.mean(values, 3);
            assertEquals(Double.POSITIVE_INFINITY, LayerStatistics.variance(values, 3, mean));
        }
    }

    @Test
    void normMatchesDefinitionAndSurvivesHugeValues() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment values = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 3, -4, 0);
            assertEquals(5.0, LayerStatistics.norm(values, 3), 1e-15);
            MemorySegment huge = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 3e200, 4e200);
            assertEquals(5e200, LayerStatistics.norm(huge, 2), 1e186);
        }
    }
}
