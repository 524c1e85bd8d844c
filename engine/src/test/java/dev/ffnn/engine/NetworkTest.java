package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkTest {

    private static final NetworkSpec SPEC = NetworkSpec.classifier(new int[]{4, 3, 2}, Activation.TANH, Initializers.heNormal());

    @Test
    void parametersPackedAsWeightsThenBias() {
        try (Network network = Network.create(SPEC, 5)) {
            assertEquals(4 * 3 + 3 + 3 * 2 + 2, network.parameterCount());
            DenseLayer first = network.layers().get(0);
            DenseLayer second = network.layers().get(1);
            assertEquals(0, first.parameterOffset());
            assertEquals(15, second.parameterOffset());

            // Writing through each view lands at the documented flat index
            first.weights().set(2, 1, 11.0);
            first.bias().setAtIndex(ValueLayout.JAVA_DOUBLE, 2, 12.0);
            second.weights().set(1, 0, 13.0);
            second.bias().setAtIndex(ValueLayout.JAVA_DOUBLE, 1, 14.0);
            double[] flat = network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
            assertEquals(11.0, flat[2 * 3 + 1]);
            assertEquals(12.0, flat[12 + 2]);
            assertEquals(13.0, flat[15 + 1 * 2]);
            assertEquals(14.0, flat[15 + 6 + 1]);

            // The gradient segment has the same layout
            first.weightGradient().set(2, 1, 21.0);
            assertEquals(21.0, network.gradients().getAtIndex(ValueLayout.JAVA_DOUBLE, 7));
        }
    }

    @Test
    void byteSizesMatchWhatIsAllocated() {
        // 4-3-2 with tanh then identity: Z, A, δ for layer 0 (3 wide), Z (shared with A) and δ for layer 1 (2 wide)
        int batch = 5;
        long doubles = batch * 4L + batch + 3L * batch * 3 + 2L * batch * 2;
        assertEquals(doubles * Double.BYTES + batch * Integer.BYTES, SPEC.workspaceByteSize(batch));
        try (Network network = Network.create(SPEC, 1)) {
            assertEquals(network.parameterCount(), SPEC.parameterCount());
            assertEquals(network.parameters().byteSize() + network.gradients().byteSize(), SPEC.networkByteSize());
        }
    }

    @Test
    void seedDeterminesWeightsBitForBit() {
        try (Network a = Network.create(SPEC, 99); Network b = Network.create(SPEC, 99); Network c = Network.create(SPEC, 100)) {
            double[] first = a.parameters().toArray(ValueLayout.JAVA_DOUBLE);
            assertArrayEquals(first, b.parameters().toArray(ValueLayout.JAVA_DOUBLE));
            assertFalse(java.util.Arrays.equals(first, c.parameters().toArray(ValueLayout.JAVA_DOUBLE)));
        }
    }

    @Test
    void biasesStartAtZero() {
        try (Network network = Network.create(SPEC, 1)) {
            for (DenseLayer layer : network.layers()) {
                for (double value : layer.bias().toArray(ValueLayout.JAVA_DOUBLE)) {
                    assertEquals(0.0, value);
                }
            }
        }
    }

    @Test
    void closedNetworkThrowsIllegalStateException() {
        Network network = Network.create(SPEC, 1);
        Workspace workspace = network.newWorkspace(2);
        network.close();
        assertFalse(network.isOpen());
        assertThrows(IllegalStateException.class, () -> network.forward(workspace));
        assertThrows(IllegalStateException.class, () -> network.layers().get(0).weights().get(0, 0));
        workspace.close();
    }

    @Test
    void workspaceOfAnotherNetworkIsRejected() {
        try (Network a = Network.create(SPEC, 1); Network b = Network.create(SPEC, 1); Workspace workspace = b.newWorkspace(2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> a.forward(workspace));
            assertTrue(e.getMessage().contains("another network"), e.getMessage());
        }
    }

    @Test
    void specRejectsInvalidArchitectures() {
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.classifier(new int[]{4}, Activation.RELU, Initializers.heNormal()));
        var size = assertThrows(IllegalArgumentException.class,
                () -> NetworkSpec.classifier(new int[]{4, 0, 2}, Activation.RELU, Initializers.heNormal()));
        assertTrue(size.getMessage().contains("layer size 0 at position 2"), size.getMessage());
        var output = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSpec(new int[]{4, 2}, Activation.RELU, Activation.SIGMOID, Loss.SOFTMAX_CROSS_ENTROPY, Initializers.heNormal()));
        assertTrue(output.getMessage().contains("use identity"), output.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NetworkSpec.classifier(new int[]{4, 1}, Activation.RELU, Initializers.heNormal()));
    }

    @Test
    void forwardMatchesHandComputedOneLayerNetwork() {
        NetworkSpec linear = new NetworkSpec(new int[]{2, 3}, Activation.RELU, Activation.RELU, Loss.MEAN_SQUARED_ERROR,
                Initializers.zeros());
        try (Network network = Network.create(linear, 1); Workspace workspace = network.newWorkspace(1)) {
            RowMajorMatrix w = network.layers().get(0).weights();
            // W = [[1, -2, 0.5], [3, 1, -1]], b = (0.5, 0, -4), x = (2, -1)
            double[][] values = {{1, -2, 0.5}, {3, 1, -1}};
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    w.set(i, j, values[i][j]);
                }
            }
            network.layers().get(0).bias().copyFrom(java.lang.foreign.MemorySegment.ofArray(new double[]{0.5, 0, -4}));
            workspace.input().set(0, 0, 2);
            workspace.input().set(0, 1, -1);

            network.forward(workspace);

            // z = x·W + b = (2 − 3 + 0.5, −4 − 1, 1 + 1 − 4) = (−0.5, −5, −2); relu gives 0 everywhere
            assertArrayEquals(new double[]{-0.5, -5, -2}, workspace.preActivations(0).toArray()[0]);
            assertArrayEquals(new double[]{0, 0, 0}, workspace.activations(0).toArray()[0]);
        }
    }
}
