package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

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
        assertEquals("he-normal:fan-out:0.01", Initializers.parse("kaiming_normal:FAN_OUT:0.01").name());
        assertEquals("he-truncated-normal", Initializers.parse("he-truncated-normal").name());
        assertEquals("truncated-normal:0.0:0.05", Initializers.parse("truncated-normal").name());
        assertEquals("truncated-normal:1.0:2.0:-1.0:3.0", Initializers.parse("truncated-normal:1:2:-1:3").name());
        assertEquals("variance-scaling:2.0:fan-avg:uniform", Initializers.parse("variance-scaling:2:fan-avg:uniform").name());
        assertEquals("orthogonal", Initializers.parse("orthogonal").name());
        assertEquals("orthogonal:" + Math.sqrt(2), Initializers.parse("orthogonal:relu").name());
        assertEquals("identity:0.5", Initializers.parse("identity:0.5").name());
        assertEquals("bernoulli:0.2", Initializers.parse("bernoulli:0.2").name());
        assertEquals("ones", Initializers.parse("ones").name());
    }

    @Test
    void everyListedNameParses() {
        String[] names = {"zeros", "ones", "constant:1", "uniform", "normal", "truncated-normal",
                "truncated-normal-absolute:0:1:-1:1", "bernoulli:0.5", "lecun-normal", "lecun-uniform",
                "lecun-truncated-normal", "xavier-normal", "xavier-uniform", "xavier-truncated-normal", "he-normal",
                "he-uniform", "he-truncated-normal", "variance-scaling:1:fan-in:normal", "orthogonal", "identity",
                "nguyen-widrow"};
        for (String name : names) {
            String base = name.split(":")[0];
            assertTrue(Initializers.ALLOWED_NAMES.contains(base), base + " missing from ALLOWED_NAMES");
            assertTrue(Initializers.parse(name).name().startsWith(base), name);
        }
    }

    @Test
    void gainTableMatchesSources() {
        assertEquals(1.0, Gain.of(Activation.IDENTITY), 0);
        assertEquals(1.0, Gain.of(Activation.SIGMOID), 0);
        assertEquals(5.0 / 3, Gain.of(Activation.TANH), 0);
        assertEquals(Math.sqrt(2), Gain.of(Activation.RELU), 0);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Gain.of(Activation.LEAKY_RELU), 1e-15);
        assertEquals(0.75, Gain.parse("selu"), 0);
        assertEquals(2.5, Gain.parse("2.5"), 0);
        assertEquals(Math.sqrt(2), Gain.leakyRelu(0), 0);
    }

    @Test
    void everyFanScaledSchemeRejectsZeroFan() {
        String[] names = {"lecun-normal", "lecun-uniform", "xavier-normal", "xavier-truncated-normal", "he-normal",
                "he-uniform:fan-out", "variance-scaling:1:fan-avg:uniform", "orthogonal", "identity", "nguyen-widrow"};
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix noInputs = RowMajorMatrix.allocate(arena, 0, 4);
            RowMajorMatrix noOutputs = RowMajorMatrix.allocate(arena, 4, 0);
            for (String name : names) {
                Initializer initializer = Initializers.parse(name);
                var byRows = assertThrows(IllegalArgumentException.class, () -> initializer.fill(noInputs, 1, 1), name);
                assertTrue(byRows.getMessage().contains("fan-in is 0"), name + ": " + byRows.getMessage());
                var byCols = assertThrows(IllegalArgumentException.class, () -> initializer.fill(noOutputs, Seeds.generator(1, 0)), name);
                assertTrue(byCols.getMessage().contains("fan-out is 0"), name + ": " + byCols.getMessage());
                var law = assertThrows(IllegalArgumentException.class, () -> initializer.distribution(4, 0), name);
                assertTrue(law.getMessage().contains("fan-out is 0"), name + ": " + law.getMessage());
            }
            assertEquals(10, names.length, "schemes checked");
        }
    }

    @Test
    void biasDrawsFromTheLayerLaw() {
        // He normal for a 50 x 8 layer: 100,000 biases with std √(2/50)
        try (Arena arena = Arena.ofShared()) {
            int count = 100_000;
            MemorySegment bias = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
            Initializers.heNormal().fillBias(bias, 50, count, Seeds.generator(4, 0));
            double variance = TensorStatistics.of(bias, count, 0).variance();
            double expected = 2.0 / 50;
            // Standard error of a normal sample variance: σ²·√(2/n)
            assertEquals(expected, variance, 5 * expected * Math.sqrt(2.0 / count));
            var tooSmall = assertThrows(IllegalArgumentException.class,
                    () -> Initializers.zeros().fillBias(bias.asSlice(0, 16), 5, 3, Seeds.generator(1, 0)));
            assertTrue(tooSmall.getMessage().contains("too small for 3 doubles"), tooSmall.getMessage());
        }
    }

    @Test
    void networkFillsBiasesFromSpec() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{3, 5, 2}, Activation.TANH, Initializers.heNormal())
                .withBiasInitializer(Initializers.constant(0.1));
        try (Network network = Network.create(spec, 1)) {
            for (DenseLayer layer : network.layers()) {
                for (int j = 0; j < layer.fanOut(); j++) {
                    assertEquals(0.1, layer.bias().getAtIndex(ValueLayout.JAVA_DOUBLE, j), 0, "layer " + layer.index() + " bias " + j);
                }
            }
        }
        assertTrue(spec.toString().endsWith("bias constant:0.1"), spec.toString());
        var orthogonal = assertThrows(IllegalArgumentException.class, () -> spec.withBiasInitializer(Initializers.orthogonal(1)));
        assertTrue(orthogonal.getMessage().contains("fills weight matrices only"), orthogonal.getMessage());
    }

    @Test
    void networkWeightsDependOnSeedOnly() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{600, 300, 10}, Activation.RELU, Initializers.heNormal());
        try (Network first = Network.create(spec, 5); Network second = Network.create(spec, 5); Network other = Network.create(spec, 6)) {
            assertEquals(-1, first.parameters().mismatch(second.parameters()));
            assertTrue(first.parameters().mismatch(other.parameters()) >= 0);
        }
    }

    @Test
    void parseRejectsBadSpecsNamingThem() {
        String[][] cases = {
                {"swish", "unknown initializer 'swish'"},
                {"orthogonal:-1", "must be a finite number > 0"},
                {"orthogonal:swish", "gain 'swish' is invalid"},
                {"he-normal:fan-avg", "mode fan-in or fan-out, not fan-avg"},
                {"he-normal:fan-sideways", "fan mode 'fan-sideways' is invalid; allowed: fan-in, fan-out"},
                {"variance-scaling:1:fan-x:normal", "fan mode 'fan-x' is invalid; allowed: fan-in, fan-out, fan-avg"},
                {"he-uniform:fan-in:0.1:3", "takes at most 2 arguments"},
                {"variance-scaling:2:fan-in", "takes 3 argument(s) but got 2"},
                {"variance-scaling:0:fan-in:normal", "variance scale 0.0 is invalid"},
                {"variance-scaling:1:fan-in:cauchy", "distribution 'cauchy' is invalid"},
                {"truncated-normal:0:1:2:-2", "lower bound must be below the upper bound"},
                {"truncated-normal:0:0", "std 0.0 is invalid"},
                {"truncated-normal:0:1:40:50", "have probability 0"},
                {"truncated-normal:0:1:NaN:2", "NaN is invalid"},
                {"truncated-normal:0:1:1", "takes 4 argument(s) but got 3"},
                {"bernoulli:1.5", "must be in [0, 1]"},
                {"nguyen-widrow:1", "takes no arguments"},
                {"constant", "takes 1 argument(s) but got 0"},
                {"constant:abc", "'abc' is not a number"},
                {"uniform:1:0", "low must be < high"},
                {"uniform:0.1", "takes 2 argument(s) but got 1"},
                {"normal:0:-1", "std -1.0 is invalid"},
                {"he-normal:2", "fan mode '2' is invalid"},
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
