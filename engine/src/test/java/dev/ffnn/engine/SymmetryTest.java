package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Symmetric initialization, trained with SGD: a constant layer stays a layer of identical neurons and so acts as
 * one neuron, and all-zero weights with tanh never move.
 */
class SymmetryTest {

    private static final int INPUTS = 5;
    private static final int WIDTH = 6;
    private static final int CLASSES = 4;
    private static final int BATCH = 8;
    private static final int STEPS = 10;
    private static final double LEARNING_RATE = 0.5;
    /** Bound on |logit of A − logit of B| for the width-1 network built from A. */
    private static final double OUTPUT_ATOL = 1e-10;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    @Test
    void constantLayersActAsWidthOne() {
        // Network A: every weight of layer l is ω_l and every bias β_l
        double[] omega = {0.3, -0.2, 0.15};
        double[] beta = {0.1, -0.05, 0.02};
        NetworkSpec wide = NetworkSpec.classifier(new int[]{INPUTS, WIDTH, WIDTH, CLASSES}, Activation.TANH, Initializers.zeros());
        NetworkSpec narrow = NetworkSpec.classifier(new int[]{INPUTS, 1, 1, CLASSES}, Activation.TANH, Initializers.zeros());
        RandomGenerator random = Seeds.generator(17, 0);
        Sgd sgd = new Sgd(LEARNING_RATE);
        try (Network a = Network.create(wide, 1); Workspace trainBatch = a.newWorkspace(BATCH);
             Workspace probeA = a.newWorkspace(BATCH); Network b = Network.create(narrow, 1);
             Workspace probeB = b.newWorkspace(BATCH)) {
            for (DenseLayer layer : a.layers()) {
                layer.weights().fill(omega[layer.index()]);
                RowMajorMatrix.of(layer.bias(), 1, layer.fanOut()).fill(beta[layer.index()]);
            }

            for (int step = 1; step <= STEPS; step++) {
                fillBatch(trainBatch, random);
                a.trainStep(trainBatch, sgd);

                // Each hidden neuron of A still equals its neighbours; the output neurons have separated
                for (int l = 0; l < 2; l++) {
                    DenseLayer hidden = a.layers().get(l);
                    assertEquals(1, InitializationStudy.effectiveWidth(hidden.weights(), hidden.bias(),
                            InitializationStudy.SYMMETRY_TOLERANCE), "effective width of hidden layer " + (l + 1) + " after step " + step);
                }
                DenseLayer output = a.layers().get(2);
                assertEquals(CLASSES, InitializationStudy.effectiveWidth(output.weights(), output.bias(),
                        InitializationStudy.SYMMETRY_TOLERANCE), "output neurons after step " + step);

                // B gives A's outputs on a fresh batch
                copyToWidthOne(a, b);
                fillBatch(probeA, random);
                probeB.input().segment().copyFrom(probeA.input().segment());
                a.forward(probeA);
                b.forward(probeB);
                for (int i = 0; i < BATCH; i++) {
                    for (int k = 0; k < CLASSES; k++) {
                        double expected = probeA.output().get(i, k);
                        double actual = probeB.output().get(i, k);
                        assertTrue(Math.abs(actual - expected) <= OUTPUT_ATOL, "step " + step + ", logit (" + i + ", " + k
                                + "): width " + WIDTH + " gives " + expected + ", width 1 gives " + actual
                                + " (tolerance " + OUTPUT_ATOL + ")");
                    }
                }
            }
        }
    }

    @Test
    void zeroWeightsNeverMove() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{INPUTS, WIDTH, WIDTH, CLASSES}, Activation.TANH, Initializers.zeros());
        RandomGenerator random = Seeds.generator(23, 0);
        Sgd sgd = new Sgd(LEARNING_RATE);
        try (Network network = Network.create(spec, 1); Workspace workspace = network.newWorkspace(BATCH)) {
            DenseLayer output = network.layers().getLast();
            double[] previousOutputBias = new double[CLASSES];
            for (int step = 1; step <= STEPS; step++) {
                fillBatch(workspace, random);
                network.trainStep(workspace, sgd);

                for (DenseLayer layer : network.layers()) {
                    long count = layer.weights().elementCount();
                    for (long e = 0; e < count; e++) {
                        assertEquals(0.0, layer.weights().segment().getAtIndex(DOUBLE, e), 0,
                                "step " + step + ", layer " + (layer.index() + 1) + ", weight " + e);
                    }
                    if (layer != output) {
                        for (int j = 0; j < layer.fanOut(); j++) {
                            assertEquals(0.0, layer.bias().getAtIndex(DOUBLE, j), 0,
                                    "step " + step + ", layer " + (layer.index() + 1) + ", bias " + j);
                        }
                    }
                }
                double[] outputBias = output.bias().toArray(DOUBLE);
                boolean changed = false;
                for (int k = 0; k < CLASSES; k++) {
                    changed |= outputBias[k] != previousOutputBias[k];
                }
                assertTrue(changed, "output biases did not change in step " + step);
                previousOutputBias = outputBias;
            }
        }
    }

    /**
     * Sets B (widths 1) from A: first-layer weights and every bias as in A's first neuron, each later weight
     * A's weight times the width of the layer before.
     */
    private static void copyToWidthOne(Network a, Network b) {
        for (int l = 0; l < a.layers().size(); l++) {
            DenseLayer from = a.layers().get(l);
            DenseLayer to = b.layers().get(l);
            double scale = l == 0 ? 1 : from.fanIn();
            for (int i = 0; i < to.fanIn(); i++) {
                for (int k = 0; k < to.fanOut(); k++) {
                    to.weights().set(i, k, scale * from.weights().get(i, k));
                }
            }
            for (int k = 0; k < to.fanOut(); k++) {
                to.bias().setAtIndex(DOUBLE, k, from.bias().getAtIndex(DOUBLE, k));
            }
        }
    }

    private static void fillBatch(Workspace workspace, RandomGenerator random) {
        RowMajorMatrix input = workspace.input();
        for (int i = 0; i < input.rows(); i++) {
            for (int j = 0; j < input.cols(); j++) {
                input.set(i, j, random.nextGaussian());
            }
            workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, random.nextInt(CLASSES));
        }
    }
}
