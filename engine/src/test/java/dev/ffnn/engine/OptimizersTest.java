package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks each optimizer against a hand calculation of two steps on L(θ) = θ1² + 2·θ2², whose gradient is
 * g = (2·θ1, 4·θ2), from θ = (1, −0.5). The second parameter is a bias wherever weight ranges matter: the ranges
 * make only θ1 a weight.
 */
class OptimizersTest {

    /** The hand values are rounded to 16 or more significant digits; the doubles differ from them by rounding. */
    private static final double TOLERANCE = 1e-14;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final WeightRanges FIRST_IS_WEIGHT = WeightRanges.of(2, 0, 1);

    @Test
    void momentumMatchesHandCalculation() {
        // lr = 0.1, μ = 0.9, v ← μv + g, θ ← θ − lr·v
        // step 1: g = (2, −2); v = (2, −2); θ = (1 − 0.2, −0.5 + 0.2) = (0.8, −0.3)
        // step 2: g = (1.6, −1.2); v = 0.9·(2, −2) + (1.6, −1.2) = (3.4, −3.0); θ = (0.8 − 0.34, −0.3 + 0.30) = (0.46, 0)
        try (Momentum momentum = new Momentum(FIRST_IS_WEIGHT, 0.1, 0.9, false, 0)) {
            assertTwoSteps(momentum, new double[]{0.8, -0.3}, new double[]{0.46, 0.0});
            assertState(momentum, Momentum.VELOCITY, 3.4, -3.0);
        }
    }

    @Test
    void nesterovMatchesHandCalculation() {
        // lr = 0.1, μ = 0.9, v ← μv + g, θ ← θ − lr·(g + μv)
        // step 1: g = (2, −2); v = (2, −2); g + μv = (3.8, −3.8); θ = (1 − 0.38, −0.5 + 0.38) = (0.62, −0.12)
        // step 2: g = (1.24, −0.48); v = 0.9·(2, −2) + (1.24, −0.48) = (3.04, −2.28);
        //         g + μv = (1.24 + 2.736, −0.48 − 2.052) = (3.976, −2.532);
        //         θ = (0.62 − 0.3976, −0.12 + 0.2532) = (0.2224, 0.1332)
        try (Momentum nesterov = new Momentum(FIRST_IS_WEIGHT, 0.1, 0.9, true, 0)) {
            assertTwoSteps(nesterov, new double[]{0.62, -0.12}, new double[]{0.2224, 0.1332});
            assertState(nesterov, Momentum.VELOCITY, 3.04, -2.28);
        }
    }

    @Test
    void adamMatchesAlgorithmOne() {
        // α = 0.1, β1 = 0.9, β2 = 0.999, and ε = 0.5, large so that its place in the formula shows.
        // step 1: g = (2, −2); m = 0.1·g = (0.2, −0.2); v = 0.001·g² = (0.004, 0.004);
        //         m̂ = m/0.1 = (2, −2); v̂ = v/0.001 = (4, 4); √v̂ = 2;
        //         θ = θ − 0.1·m̂/(2 + 0.5) = (1 − 0.08, −0.5 + 0.08) = (0.92, −0.42)
        // step 2: g = (1.84, −1.68); m = 0.9·m + 0.1·g = (0.364, −0.348);
        //         v = 0.999·v + 0.001·g² = (0.003996 + 0.0033856, 0.003996 + 0.0028224) = (0.0073816, 0.0068184);
        //         1 − β1² = 0.19; 1 − β2² = 0.001999;
        //         m̂ = (1.915789473684210526, −1.831578947368421053); v̂ = (3.692646323161580790, 3.410905452726363182);
        //         √v̂ = (1.921625958182700235, 1.846863680060432392);
        //         θ1 = 0.92 − 0.1·1.915789473684210526/2.421625958182700235 = 0.840888299565391706
        //         θ2 = −0.42 + 0.1·1.831578947368421053/2.346863680060432392 = −0.341956312889836985
        try (Adam adam = Adam.adam(FIRST_IS_WEIGHT, 0.1, 0.9, 0.999, 0.5, 0)) {
            assertTwoSteps(adam, new double[]{0.92, -0.42}, new double[]{0.840888299565391706, -0.341956312889836985});
            assertState(adam, Adam.FIRST_MOMENT, 0.364, -0.348);
            assertState(adam, Adam.SECOND_MOMENT, 0.0073816, 0.0068184);
            assertEquals(2, adam.stepCount());
        }
    }

    @Test
    void adamFirstStepWithDefaults() {
        // m̂ = g and v̂ = g² at t = 1, so θ ← θ − α·g/(|g| + ε) with α = 0.001, ε = 1e-8:
        // θ1 = 1 − 0.001·2/2.00000001 = 0.999000000004999999975; θ2 = −0.5 + 0.000999999995 = −0.499000000005
        try (Adam adam = Adam.adam(FIRST_IS_WEIGHT, Adam.DEFAULT_LEARNING_RATE, Adam.DEFAULT_BETA1,
                Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, 0); Arena arena = Arena.ofShared()) {
            MemorySegment theta = arena.allocateFrom(DOUBLE, 1, -0.5);
            MemorySegment gradient = arena.allocate(DOUBLE, 2);
            step(adam, theta, gradient);
            assertClose(0.999000000004999999975, theta.getAtIndex(DOUBLE, 0), "θ1");
            assertClose(-0.499000000004999999975, theta.getAtIndex(DOUBLE, 1), "θ2");
        }
    }

    @Test
    void adamWDecaysOnlyWeights() {
        // As adamMatchesAlgorithmOne, plus θ1 (a weight) decays with wd = 0.5: θ1 ← θ1 − α·(m̂/(√v̂ + ε) + wd·θ1).
        // θ2 is a bias, so it follows Adam exactly.
        // step 1: θ1 = 1 − 0.1·(0.8 + 0.5·1) = 0.87; θ2 = −0.42
        // step 2: g1 = 1.74; m1 = 0.18 + 0.174 = 0.354; v1 = 0.003996 + 0.001·3.0276 = 0.0070236;
        //         m̂1 = 0.354/0.19 = 1.863157894736842105; v̂1 = 0.0070236/0.001999 = 3.513556778389194597;
        //         √v̂1 = 1.874448393098405523;
        //         θ1 = 0.87 − 0.1·(1.863157894736842105/2.374448393098405523 + 0.5·0.87) = 0.748033022147277881
        try (Adam adamW = Adam.adamW(FIRST_IS_WEIGHT, 0.1, 0.9, 0.999, 0.5, 0.5)) {
            assertTwoSteps(adamW, new double[]{0.87, -0.42}, new double[]{0.748033022147277881, -0.341956312889836985});
        }
    }

    @Test
    void rmsPropMatchesHandCalculation() {
        // lr = 0.1, ρ = 0.75, ε = 1; s ← ρs + (1 − ρ)g², θ ← θ − lr·g/(√s + ε)
        // step 1: g = (2, −2); s = 0.25·4 = (1, 1); θ = (1 − 0.1·2/2, −0.5 + 0.1·2/2) = (0.9, −0.4)
        // step 2: g = (1.8, −1.6); s = (0.75 + 0.81, 0.75 + 0.64) = (1.56, 1.39);
        //         √s = (1.248999599679679641, 1.178982612255159597);
        //         θ1 = 0.9 − 0.18/2.248999599679679641 = 0.819964414388674401
        //         θ2 = −0.4 + 0.16/2.178982612255159597 = −0.326571235997883242
        try (RmsProp rmsProp = new RmsProp(FIRST_IS_WEIGHT, 0.1, 0.75, 1, 0)) {
            assertTwoSteps(rmsProp, new double[]{0.9, -0.4}, new double[]{0.819964414388674401, -0.326571235997883242});
            assertState(rmsProp, RmsProp.MEAN_SQUARE, 1.56, 1.39);
        }
    }

    @Test
    void sgdWithL2MatchesHandCalculation() {
        // lr = 0.1, λ = 0.5 on θ1 only: θ1 ← θ1 − lr·(g1 + λθ1), θ2 ← θ2 − lr·g2
        // step 1: g = (2, −2); θ1 = 1 − 0.1·(2 + 0.5) = 0.75; θ2 = −0.5 + 0.2 = −0.3
        // step 2: g = (1.5, −1.2); θ1 = 0.75 − 0.1·(1.5 + 0.375) = 0.5625; θ2 = −0.3 + 0.12 = −0.18
        assertTwoSteps(new Sgd(FIRST_IS_WEIGHT, 0.1, 0.5), new double[]{0.75, -0.3}, new double[]{0.5625, -0.18});
    }

    @Test
    void momentumWithL2MatchesHandCalculation() {
        // lr = 0.1, μ = 0.9, λ = 0.5 on θ1 only; g1 includes λθ1
        // step 1: g = (2 + 0.5, −2) = (2.5, −2); v = (2.5, −2); θ = (0.75, −0.3)
        // step 2: g = (1.5 + 0.375, −1.2) = (1.875, −1.2); v = (2.25 + 1.875, −1.8 − 1.2) = (4.125, −3.0);
        //         θ = (0.75 − 0.4125, −0.3 + 0.3) = (0.3375, 0)
        try (Momentum momentum = new Momentum(FIRST_IS_WEIGHT, 0.1, 0.9, false, 0.5)) {
            assertTwoSteps(momentum, new double[]{0.75, -0.3}, new double[]{0.3375, 0.0});
        }
    }

    @Test
    void restoredStateContinuesBitForBit() {
        // Two steps in one optimizer equal one step, a copy of the state and step count into a new one, one step.
        List<Factory> factories = List.of(
                () -> new Momentum(FIRST_IS_WEIGHT, 0.1, 0.9, true, 0.01),
                () -> Adam.adam(FIRST_IS_WEIGHT, 0.1, 0.9, 0.999, 1e-8, 0.01),
                () -> Adam.adamW(FIRST_IS_WEIGHT, 0.1, 0.9, 0.999, 1e-8, 0.01),
                () -> new RmsProp(FIRST_IS_WEIGHT, 0.1, 0.9, 1e-8, 0.01));
        for (Factory factory : factories) {
            try (Optimizer uninterrupted = factory.create(); Optimizer first = factory.create();
                 Optimizer resumed = factory.create(); Arena arena = Arena.ofShared()) {
                MemorySegment expected = arena.allocateFrom(DOUBLE, 1, -0.5);
                MemorySegment actual = arena.allocateFrom(DOUBLE, 1, -0.5);
                MemorySegment gradient = arena.allocate(DOUBLE, 2);
                step(uninterrupted, expected, gradient);
                step(uninterrupted, expected, gradient);

                step(first, actual, gradient);
                for (Map.Entry<String, MemorySegment> tensor : first.state().entrySet()) {
                    resumed.state().get(tensor.getKey()).copyFrom(tensor.getValue());
                }
                resumed.restoreStepCount(first.stepCount());
                step(resumed, actual, gradient);

                assertEquals(expected.getAtIndex(DOUBLE, 0), actual.getAtIndex(DOUBLE, 0), uninterrupted.describe());
                assertEquals(expected.getAtIndex(DOUBLE, 1), actual.getAtIndex(DOUBLE, 1), uninterrupted.describe());
            }
        }
    }

    @Test
    void l2LeavesBiasesOfNetworkUntouched() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{3, 4, 2}, Activation.TANH, Initializers.xavierNormal());
        try (Network network = Network.create(spec, 7); Arena arena = Arena.ofShared()) {
            WeightRanges weights = network.weightRanges();
            List<Optimizer> optimizers = List.of(new Sgd(weights, 0.1, 0.5),
                    new Momentum(weights, 0.1, 0.9, false, 0.5), new Momentum(weights, 0.1, 0.9, true, 0.5),
                    Adam.adam(weights, 0.1, 0.9, 0.999, 1e-8, 0.5), Adam.adamW(weights, 0.1, 0.9, 0.999, 1e-8, 0.5),
                    new RmsProp(weights, 0.1, 0.9, 1e-8, 0.5));
            // A zero gradient: only the regularization moves anything
            MemorySegment zeroGradient = arena.allocate(DOUBLE, network.parameterCount());
            for (Optimizer optimizer : optimizers) {
                network.initialize(7);
                for (DenseLayer layer : network.layers()) {
                    for (int j = 0; j < layer.fanOut(); j++) {
                        layer.bias().setAtIndex(DOUBLE, j, 0.25 * (j + 1));
                    }
                }
                double[] before = network.parameters().toArray(DOUBLE);

                optimizer.step(network.parameters(), zeroGradient, network.parameterCount());

                double[] after = network.parameters().toArray(DOUBLE);
                for (DenseLayer layer : network.layers()) {
                    long biasStart = layer.parameterOffset() + (long) layer.fanIn() * layer.fanOut();
                    for (long i = layer.parameterOffset(); i < biasStart; i++) {
                        // Adam and RMSProp normalize the step, so a small weight may overshoot 0; the sign still shows.
                        assertTrue((after[(int) i] - before[(int) i]) * before[(int) i] < 0,
                                optimizer.describe() + ": weight " + i + " did not move towards 0: " + before[(int) i]
                                        + " -> " + after[(int) i]);
                    }
                    for (long i = biasStart; i < layer.parameterOffset() + layer.parameterCount(); i++) {
                        assertEquals(before[(int) i], after[(int) i], optimizer.describe() + ": bias " + i);
                    }
                }
                optimizer.close();
            }
        }
    }

    @Test
    void networkWeightRangesCoverEachW() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{3, 4, 2}, Activation.RELU, Initializers.heNormal());
        try (Network network = Network.create(spec, 1)) {
            // layer 0: W [0, 12), b [12, 16); layer 1: W [16, 24), b [24, 26)
            assertEquals(WeightRanges.of(26, 0, 12, 16, 24), network.weightRanges());
        }
    }

    @Test
    void stepAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        WeightRanges weights = WeightRanges.of(1_000, 0, 400, 450, 900);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment theta = arena.allocate(DOUBLE, 1_000);
            MemorySegment gradient = arena.allocate(DOUBLE, 1_000);
            List<Optimizer> optimizers = List.of(new Sgd(weights, 1e-3, 1e-4),
                    new Momentum(weights, 1e-3, 0.9, true, 1e-4), Adam.adamW(weights, 1e-3, 0.9, 0.999, 1e-8, 1e-2),
                    new RmsProp(weights, 1e-3, 0.9, 1e-8, 1e-4));
            for (Optimizer optimizer : optimizers) {
                // Warm up until the step is compiled, so interpreter frames do not count
                for (int i = 0; i < 20_000; i++) {
                    optimizer.step(theta, gradient, 1_000);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 1_000; i++) {
                    optimizer.step(theta, gradient, 1_000);
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < 1_024, optimizer.describe() + ": 1,000 steps allocated " + allocated + " bytes");
                optimizer.close();
            }
        }
    }

    @Test
    void invalidHyperparametersAreRejected() {
        var tooHigh = assertThrows(IllegalArgumentException.class,
                () -> Adam.adam(FIRST_IS_WEIGHT, 0.1, 1.0, 0.999, 1e-8, 0));
        assertEquals("beta1 1.0 is invalid: it must be in [0.0, 1.0)", tooHigh.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RmsProp(FIRST_IS_WEIGHT, 0.1, 0.9, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Momentum(FIRST_IS_WEIGHT, 0.1, -0.1, false, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(FIRST_IS_WEIGHT, 0.1, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> WeightRanges.of(4, 0, 2, 1, 3));
    }

    @Test
    void wrongCountOrClosedIsRejected() {
        Adam adam = Adam.adam(FIRST_IS_WEIGHT, 0.1, 0.9, 0.999, 1e-8, 0);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment three = arena.allocate(DOUBLE, 3);
            assertThrows(IllegalArgumentException.class, () -> adam.step(three, three, 3));
            adam.close();
            var closed = assertThrows(IllegalStateException.class, () -> adam.step(three, three, 2));
            assertTrue(closed.getMessage().contains("is closed"), closed.getMessage());
            assertThrows(IllegalStateException.class, adam::state);
        }
    }

    @FunctionalInterface
    private interface Factory {
        Optimizer create();
    }

    /** Runs two steps from θ = (1, −0.5) and checks θ after each. */
    private static void assertTwoSteps(Optimizer optimizer, double[] afterFirst, double[] afterSecond) {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment theta = arena.allocateFrom(DOUBLE, 1, -0.5);
            MemorySegment gradient = arena.allocate(DOUBLE, 2);
            step(optimizer, theta, gradient);
            assertClose(afterFirst[0], theta.getAtIndex(DOUBLE, 0), optimizer.describe() + " step 1, θ1");
            assertClose(afterFirst[1], theta.getAtIndex(DOUBLE, 1), optimizer.describe() + " step 1, θ2");
            step(optimizer, theta, gradient);
            assertClose(afterSecond[0], theta.getAtIndex(DOUBLE, 0), optimizer.describe() + " step 2, θ1");
            assertClose(afterSecond[1], theta.getAtIndex(DOUBLE, 1), optimizer.describe() + " step 2, θ2");
        }
    }

    /** Writes g = (2·θ1, 4·θ2), the gradient of θ1² + 2·θ2², then steps. */
    private static void step(Optimizer optimizer, MemorySegment theta, MemorySegment gradient) {
        gradient.setAtIndex(DOUBLE, 0, 2 * theta.getAtIndex(DOUBLE, 0));
        gradient.setAtIndex(DOUBLE, 1, 4 * theta.getAtIndex(DOUBLE, 1));
        optimizer.step(theta, gradient, 2);
    }

    private static void assertState(Optimizer optimizer, String name, double first, double second) {
        MemorySegment tensor = optimizer.state().get(name);
        assertClose(first, tensor.getAtIndex(DOUBLE, 0), optimizer.describe() + " " + name + "[0]");
        assertClose(second, tensor.getAtIndex(DOUBLE, 1), optimizer.describe() + " " + name + "[1]");
    }

    /** Checks |actual − expected| ≤ TOLERANCE·max(1, |expected|); fails on NaN. */
    private static void assertClose(double expected, double actual, String what) {
        double bound = TOLERANCE * Math.max(1, Math.abs(expected));
        assertTrue(Math.abs(actual - expected) <= bound,
                what + ": expected " + expected + ", got " + actual + " (tolerance " + bound + ")");
    }
}
