package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializersTest {

    /** 200 x 50 = 10,000 values: the sample variance's standard error is about 1.4 % of the variance. */
    private static final int FAN_IN = 200;
    private static final int FAN_OUT = 50;
    /** Five standard errors of a sample variance of 10,000 normal values: 5·√(2/n) ≈ 7 %. */
    private static final double NORMAL_VARIANCE_RTOL = 5 * Math.sqrt(2.0 / (FAN_IN * FAN_OUT));
    /** Five standard errors of a sample variance of 10,000 uniform values: 5·√(0.8/n) ≈ 4.5 %. */
    private static final double UNIFORM_VARIANCE_RTOL = 5 * Math.sqrt(0.8 / (FAN_IN * FAN_OUT));

    @Test
    void scaledInitializersUseRowsAsFanIn() {
        // On a non-square matrix, swapping fan-in and fan-out would change He's variance fourfold.
        assertVariance(Initializers.heNormal(), 2.0 / FAN_IN, NORMAL_VARIANCE_RTOL);
        assertVariance(Initializers.heUniform(), 2.0 / FAN_IN, UNIFORM_VARIANCE_RTOL);
        assertVariance(Initializers.lecunNormal(), 1.0 / FAN_IN, NORMAL_VARIANCE_RTOL);
        assertVariance(Initializers.xavierNormal(), 2.0 / (FAN_IN + FAN_OUT), NORMAL_VARIANCE_RTOL);
        assertVariance(Initializers.xavierUniform(), 2.0 / (FAN_IN + FAN_OUT), UNIFORM_VARIANCE_RTOL);
        assertVariance(Initializers.normal(0, 0.3), 0.09, NORMAL_VARIANCE_RTOL);
        assertVariance(Initializers.uniform(-0.5, 1.5), 4.0 / 12, UNIFORM_VARIANCE_RTOL);
    }

    @Test
    void uniformStaysInsideItsBounds() {
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, FAN_IN, FAN_OUT);
            Initializers.heUniform().fill(w, Seeds.generator(1, 0));
            double bound = Math.sqrt(6.0 / FAN_IN);
            for (int i = 0; i < FAN_IN; i++) {
                for (int j = 0; j < FAN_OUT; j++) {
                    double value = w.get(i, j);
                    assertTrue(value >= -bound, "w(" + i + ", " + j + ") = " + value + " below -" + bound);
                    assertTrue(value < bound, "w(" + i + ", " + j + ") = " + value + " not below " + bound);
                }
            }
        }
    }

    @Test
    void constantAndZerosFillExactly() {
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 3, 2);
            Initializers.constant(0.25).fill(w, Seeds.generator(1, 0));
            for (double[] row : w.toArray()) {
                for (double value : row) {
                    assertEquals(0.25, value, 0);
                }
            }
            Initializers.zeros().fill(w, Seeds.generator(1, 0));
            for (double[] row : w.toArray()) {
                for (double value : row) {
                    assertEquals(0.0, value, 0);
                }
            }
        }
    }

    @Test
    void zeroFanIsRejected() {
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix noInputs = RowMajorMatrix.allocate(arena, 0, 4);
            RowMajorMatrix noOutputs = RowMajorMatrix.allocate(arena, 4, 0);
            var fanIn = assertThrows(IllegalArgumentException.class, () -> Initializers.heNormal().fill(noInputs, Seeds.generator(1, 0)));
            assertTrue(fanIn.getMessage().contains("fan-in is 0"), fanIn.getMessage());
            var fanOut = assertThrows(IllegalArgumentException.class, () -> Initializers.xavierUniform().fill(noOutputs, Seeds.generator(1, 0)));
            assertTrue(fanOut.getMessage().contains("fan-out is 0"), fanOut.getMessage());
        }
    }

    @Test
    void parseReadsNamesAndArguments() {
        assertEquals("he-normal", Initializers.parse("he-normal").name());
        assertEquals("xavier-uniform", Initializers.parse("glorot_uniform").name());
        assertEquals("uniform:-0.1:0.2", Initializers.parse("uniform:-0.1:0.2").name());
        assertEquals("normal:0.0:0.05", Initializers.parse("normal").name());
        assertEquals("constant:0.5", Initializers.parse("constant:0.5").name());
    }

    @Test
    void parseRejectsBadSpecsNamingThem() {
        String[][] cases = {
                {"orthogonal", "unknown initializer 'orthogonal'"},
                {"constant", "takes 1 argument(s) but got 0"},
                {"constant:abc", "'abc' is not a number"},
                {"uniform:1:0", "low must be < high"},
                {"uniform:0.1", "takes 2 argument(s) but got 1"},
                {"normal:0:-1", "std -1.0 is invalid"},
                {"he-normal:2", "takes no arguments"},
                {"constant:NaN", "must be a finite number"},
        };
        for (String[] testCase : cases) {
            var e = assertThrows(IllegalArgumentException.class, () -> Initializers.parse(testCase[0]), testCase[0]);
            assertTrue(e.getMessage().contains(testCase[1]), testCase[0] + ": " + e.getMessage());
        }
    }

    private static void assertVariance(Initializer initializer, double expectedVariance, double rtol) {
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, FAN_IN, FAN_OUT);
            initializer.fill(w, Seeds.generator(3, 0));
            double variance = TensorStatistics.of(w.segment(), w.elementCount(), 0).variance();
            double relative = Math.abs(variance - expectedVariance) / expectedVariance;
            assertTrue(relative <= rtol, initializer.name() + ": variance " + variance + " vs " + expectedVariance
                    + " (relative difference " + relative + " > " + rtol + ")");
        }
    }
}
