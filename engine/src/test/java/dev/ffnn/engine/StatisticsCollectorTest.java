package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsCollectorTest {

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final double RTOL = 1e-12;

    @Test
    void constantInitializationHasWidthOne() {
        // Equal weights make every unit of a layer the same; random weights make them all distinct
        assertEquals(List.of(1, 1, 1), widths(Initializers.parse("constant:0.3")));
        assertEquals(List.of(7, 6, 3), widths(Initializers.heNormal()));
    }

    private static List<Integer> widths(Initializer initializer) {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{5, 7, 6, 3}, Activation.TANH, initializer);
        try (Network network = Network.create(spec, 1);
             Workspace workspace = network.newWorkspace(2);
             StatisticsCollector collector = new StatisticsCollector(network, StatisticsSettings.perEpoch())) {
            network.forward(workspace);
            double loss = network.backward(workspace);
            return collector.collect(workspace, 0, 0, 0, 0.1, loss, false).layers().stream()
                    .map(LayerStatistics::effectiveWidth).toList();
        }
    }

    @Test
    void deadFractionCountsAlwaysZeroUnits() {
        try (Arena arena = Arena.ofShared()) {
            // 3 samples x 4 units: unit 1 is zero for every sample, unit 3 is NaN once (not dead: a NaN cannot hide)
            RowMajorMatrix a = RowMajorMatrix.allocate(arena, 3, 4);
            double[][] rows = {{0, 0, 1, 0}, {0.5, 0, 0, Double.NaN}, {0, 0, 0, 0}};
            fill(a, rows);
            assertEquals(0.25, StatisticsCollector.deadFraction(Activation.RELU, a));
            assertEquals(Double.NaN, StatisticsCollector.deadFraction(Activation.TANH, a));
        }
    }

    @Test
    void saturatedFractionUsesTheThresholds() {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix a = RowMajorMatrix.allocate(arena, 2, 4);
            fill(a, new double[][]{{0.995, -0.995, 0.99, 0.5}, {0.005, 0.011, -0.2, 1.0}});
            // tanh: |a| > 0.99 holds for 0.995, -0.995 and 1.0
            assertEquals(3.0 / 8, StatisticsCollector.saturatedFraction(Activation.TANH, a));
            // sigmoid: a < 0.01 or a > 0.99 holds for 0.995, -0.995, 0.005, -0.2 and 1.0
            assertEquals(5.0 / 8, StatisticsCollector.saturatedFraction(Activation.SIGMOID, a));
            assertEquals(Double.NaN, StatisticsCollector.saturatedFraction(Activation.RELU, a));
        }
    }

    @Test
    void sgdUpdateRatioMatchesFormula() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{4, 6, 3}, Activation.RELU, Initializers.heNormal());
        double rate = 0.05;
        try (Network network = Network.create(spec, 2);
             Workspace workspace = network.newWorkspace(5);
             StatisticsCollector collector = new StatisticsCollector(network, StatisticsSettings.perEpoch())) {
            var random = Seeds.generator(2, 1);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 4; j++) {
                    workspace.input().set(i, j, random.nextGaussian());
                }
                workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, i % 3);
            }
            double[] weightNorms = new double[2];
            for (DenseLayer layer : network.layers()) {
                weightNorms[layer.index()] = plainNorm(layer.weights().segment(), layer.weights().elementCount());
            }

            collector.snapshot();
            double loss = network.trainStep(workspace, new Sgd(rate));
            StatisticsRecord record = collector.collect(workspace, 1, 1, 1, rate, loss, true);

            for (DenseLayer layer : network.layers()) {
                // For SGD, ΔW = −lr·∂W, so ‖ΔW‖/‖W‖ = lr·‖∂W‖/‖W‖
                double expected = rate * plainNorm(layer.weightGradient().segment(), layer.weights().elementCount())
                        / weightNorms[layer.index()];
                double actual = record.layers().get(layer.index()).updateRatio();
                assertTrue(Math.abs(actual - expected) <= 1e-9 * expected,
                        "layer " + layer.index() + ": " + actual + " vs " + expected + " (rtol 1e-9)");
            }
            double squares = 0;
            for (int i = 0; i < network.parameterCount(); i++) {
                double g = network.gradients().getAtIndex(DOUBLE, i);
                squares += g * g;
            }
            assertEquals(Math.sqrt(squares), record.gradientNorm(), RTOL * Math.sqrt(squares), "gradient norm");
            assertEquals(5, record.batchSize());
            assertTrue(record.isFinite());
        }
    }

    @Test
    void recordWithoutUpdateHasNaNRatio() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 3, 2}, Activation.SIGMOID, Initializers.xavierNormal());
        try (Network network = Network.create(spec, 2);
             Workspace workspace = network.newWorkspace(2);
             StatisticsCollector collector = new StatisticsCollector(network, new StatisticsSettings(0, 5))) {
            network.forward(workspace);
            double loss = network.backward(workspace);
            StatisticsRecord record = collector.collect(workspace, 0, 0, 0, 0.1, loss, false);
            LayerStatistics first = record.layers().getFirst();
            assertEquals(Double.NaN, first.updateRatio());
            assertEquals(5, first.tensor(LayerStatistics.Tensor.WEIGHTS).histogram().length);
            assertEquals(6, first.tensor(LayerStatistics.Tensor.ACTIVATIONS).count(), "2 samples x 3 units");
        }
    }

    @Test
    void locateNonFiniteNamesFirstLayerAndTensor() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 3, 2}, Activation.RELU, Initializers.heNormal());
        try (Network network = Network.create(spec, 2); Workspace workspace = network.newWorkspace(2)) {
            network.forward(workspace);
            network.backward(workspace);
            assertEquals(null, StatisticsCollector.locateNonFinite(network, workspace));
            network.layers().get(1).biasGradient().setAtIndex(DOUBLE, 1, Double.NEGATIVE_INFINITY);
            assertEquals("layer 2 bias_gradient (-Infinity)", StatisticsCollector.locateNonFinite(network, workspace));
        }
    }

    private static void fill(RowMajorMatrix matrix, double[][] rows) {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                matrix.set(i, j, rows[i][j]);
            }
        }
    }

    private static double plainNorm(MemorySegment values, long count) {
        double sum = 0;
        for (long i = 0; i < count; i++) {
            double value = values.getAtIndex(DOUBLE, i);
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
