package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitializationStudyTest {

    @Test
    void reluVarianceRatioOverTwentyLayers() {
        // The acceptance case: ReLU, 20 hidden layers of width 256, 2,000 standard-normal inputs. Theory gives
        // Var(z) a factor 1/2 per layer with Xavier (ratio 2⁻¹⁹ ≈ 1.9e-6) and a factor 1 with He. The bounds 1e-4
        // and [0.25, 4] leave room for the finite-width fluctuation of each factor, a few percent per layer.
        double xavier = varianceRatio(Initializers.xavierNormal());
        double he = varianceRatio(Initializers.heNormal());
        assertTrue(xavier < 1e-4, "xavier-normal: Var(z) layer 20 / layer 1 = " + xavier + ", expected below 1e-4");
        assertTrue(he >= 0.25, "he-normal: Var(z) layer 20 / layer 1 = " + he + ", expected at least 0.25");
        assertTrue(he <= 4, "he-normal: Var(z) layer 20 / layer 1 = " + he + ", expected at most 4");
    }

    @Test
    void heFirstLayerVarianceIsTwo() {
        // Var(z₁) = fanIn·Var(w)·E[x²] = 256·(2/256)·1 = 2, up to sampling error of about 1 %
        List<InitializationStudy.Layer> layers = study(Initializers.heNormal(), Activation.RELU, 2, 256, 2000);
        assertEquals(2.0, layers.getFirst().preActivationVariance(), 0.1);
        assertEquals(Math.sqrt(2.0 / 256), layers.getFirst().exactStd(), 1e-15);
        assertEquals(Math.sqrt(2.0 / 256), layers.getFirst().sampledStd(), 0.01 * Math.sqrt(2.0 / 256));
        assertTrue(Double.isNaN(layers.getFirst().saturatedFraction()), "saturation applies to tanh and sigmoid only");
    }

    @Test
    void tanhSaturatesWithUnitNormalWeights() {
        // N(0, 1) weights give Var(z) ≈ 64·E[a²] ≈ 58 from layer 2 on, so |z| ≥ 2.65 (|a| ≥ 0.99) occurs with
        // probability 2Φ(−2.65/√58) ≈ 0.73. Xavier keeps Var(z) below 1, where P(|z| ≥ 2.65) < 0.01
        List<InitializationStudy.Layer> unit = study(Initializers.normal(0, 1), Activation.TANH, 5, 64, 200);
        List<InitializationStudy.Layer> xavier = study(Initializers.xavierNormal(), Activation.TANH, 5, 64, 200);
        for (int l = 1; l < 5; l++) {
            assertTrue(unit.get(l).saturatedFraction() > 0.6, "N(0, 1) layer " + (l + 1) + ": " + unit.get(l).saturatedFraction());
            assertTrue(xavier.get(l).saturatedFraction() < 0.05, "xavier layer " + (l + 1) + ": " + xavier.get(l).saturatedFraction());
        }
    }

    @Test
    void constantInitializationHasWidthOne() {
        List<InitializationStudy.Layer> layers = study(Initializers.constant(0.05), Activation.TANH, 3, 32, 50);
        for (InitializationStudy.Layer layer : layers) {
            assertEquals(1, layer.effectiveWidth(), "layer " + (layer.layer() + 1));
        }
        List<InitializationStudy.Layer> random = study(Initializers.xavierNormal(), Activation.TANH, 3, 32, 50);
        assertEquals(32, random.getFirst().effectiveWidth());
    }

    @Test
    void effectiveWidthUsesTolerance() {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 3, 4);
            MemorySegment bias = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            w.fill(0.5);
            // Column 1 differs by 1e-13 (counts as column 0), column 3 by 1e-9 (a second neuron)
            w.set(2, 1, 0.5 + 1e-13);
            w.set(0, 3, 0.5 + 1e-9);
            assertEquals(2, InitializationStudy.effectiveWidth(w, bias, InitializationStudy.SYMMETRY_TOLERANCE));
            bias.setAtIndex(ValueLayout.JAVA_DOUBLE, 2, 1e-6);
            assertEquals(3, InitializationStudy.effectiveWidth(w, bias, InitializationStudy.SYMMETRY_TOLERANCE));
        }
    }

    @Test
    void deadFractionCountsNeuronsNeverPositive() {
        // Bias −1000 and unit-scale weights: every ReLU unit of layer 1 is negative on every sample
        NetworkSpec spec = NetworkSpec.classifier(new int[]{8, 16, 3}, Activation.RELU, Initializers.xavierNormal())
                .withBiasInitializer(Initializers.constant(-1000));
        try (Network network = Network.create(spec, 1); Workspace workspace = network.newWorkspace(20)) {
            InitializationStudy.fillStandardNormal(workspace, 1);
            List<InitializationStudy.Layer> layers = InitializationStudy.measure(network, workspace);
            assertEquals(1.0, layers.getFirst().deadFraction(), 0);
            assertEquals(0.0, layers.getFirst().activationVariance(), 0);
        }
    }

    private static double varianceRatio(Initializer initializer) {
        List<InitializationStudy.Layer> layers = study(initializer, Activation.RELU, 20, 256, 2000);
        return layers.get(19).preActivationVariance() / layers.getFirst().preActivationVariance();
    }

    /** Measures a network of {@code depth} hidden layers of {@code width}, inputs of {@code width}, 10 classes. */
    private static List<InitializationStudy.Layer> study(Initializer initializer, Activation activation, int depth,
                                                         int width, int batch) {
        int[] sizes = new int[depth + 2];
        java.util.Arrays.fill(sizes, width);
        sizes[depth + 1] = 10;
        NetworkSpec spec = NetworkSpec.classifier(sizes, activation, initializer);
        try (Network network = Network.create(spec, 1); Workspace workspace = network.newWorkspace(batch)) {
            InitializationStudy.fillStandardNormal(workspace, 1);
            return InitializationStudy.measure(network, workspace);
        }
    }
}
