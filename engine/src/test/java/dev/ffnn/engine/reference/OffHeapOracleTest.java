package dev.ffnn.engine.reference;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.DenseLayer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Seeds;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Workspace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static dev.ffnn.engine.reference.Agreement.RELATIVE_TOLERANCE;
import static dev.ffnn.engine.reference.Agreement.assertAgree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference engine against the off-heap engine: the same initial parameters and batches, 20 SGD steps, and
 * after every step the losses and all parameters agree within {@link Agreement}'s 1e-9 relative tolerance.
 */
class OffHeapOracleTest {

    /** Non-square layers, so a transposed W or a swapped leading dimension changes the result. */
    private static final int[] SIZES = {7, 5, 3, 4};
    private static final int BATCH = 6;
    private static final int STEPS = 20;
    /** Large enough that 20 steps move the parameters far beyond the tolerance, small enough that none diverges. */
    private static final double LEARNING_RATE = 0.2;

    @Test
    void everyActivationAndLossMatches() {
        List<String> checked = new ArrayList<>();
        for (Activation hidden : Activation.values()) {
            for (Loss loss : Loss.values()) {
                NetworkSpec spec = spec(hidden, loss);
                Trajectory offHeap = trainOffHeap(spec, batches(spec));
                Trajectory reference = trainOnHeap(spec, offHeap.initialParameters(), batches(spec), HeapEngine.Kind.JAVA);

                assertMoved(spec, offHeap);
                for (int step = 0; step < STEPS; step++) {
                    assertAgree(spec + " loss of step " + step, offHeap.losses()[step], reference.losses()[step]);
                    assertAgree(spec + " parameters after step " + step, offHeap.parameters()[step],
                            reference.parameters()[step]);
                }
                checked.add(spec.toString());
            }
        }
        assertEquals(Activation.values().length * Loss.values().length, checked.size(), checked.toString());
    }

    @Test
    void sigmoidOutputWithMseMatches() {
        NetworkSpec spec = new NetworkSpec(SIZES, Activation.TANH, Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR,
                Initializers.xavierNormal());
        Trajectory offHeap = trainOffHeap(spec, batches(spec));
        Trajectory reference = trainOnHeap(spec, offHeap.initialParameters(), batches(spec), HeapEngine.Kind.JAVA);

        assertAgree(spec + " final parameters", offHeap.parameters()[STEPS - 1], reference.parameters()[STEPS - 1]);
    }

    @Test
    void wideLayersAndOddBatchMatch() {
        // Layers wider than the reference engine's blocks and an odd batch reach every edge case of its products
        int[] sizes = {70, 300, 65, 10};
        for (Loss loss : Loss.values()) {
            Activation output = loss == Loss.SOFTMAX_CROSS_ENTROPY ? Activation.IDENTITY : Activation.SIGMOID;
            NetworkSpec spec = new NetworkSpec(sizes, Activation.LEAKY_RELU, output, loss, Initializers.heNormal());
            Batches batches = batches(spec, 9);
            Trajectory offHeap = trainOffHeap(spec, batches);
            Trajectory reference = trainOnHeap(spec, offHeap.initialParameters(), batches, HeapEngine.Kind.JAVA);

            assertMoved(spec, offHeap);
            assertAgree(spec + " losses", offHeap.losses(), reference.losses());
            assertAgree(spec + " final parameters", offHeap.parameters()[STEPS - 1], reference.parameters()[STEPS - 1]);
        }
    }

    @Test
    void perturbedWeightFailsComparison() {
        for (Loss loss : Loss.values()) {
            NetworkSpec spec = spec(Activation.TANH, loss);
            Trajectory offHeap = trainOffHeap(spec, batches(spec));
            // W_1[2][1], one weight of the middle layer, moved by 1e-7 relative
            int perturbed = (SIZES[0] * SIZES[1] + SIZES[1]) + 2 * SIZES[2] + 1;
            double[] start = offHeap.initialParameters().clone();
            start[perturbed] *= 1 + 1e-7;
            Trajectory reference = trainOnHeap(spec, start, batches(spec), HeapEngine.Kind.JAVA);

            double difference = Agreement.maxRelativeDifference(offHeap.parameters()[STEPS - 1],
                    reference.parameters()[STEPS - 1]);
            assertTrue(difference > RELATIVE_TOLERANCE, spec + ": a perturbation of 1e-7 left the parameters within "
                    + RELATIVE_TOLERANCE + " (" + difference + "), so the comparison cannot see a wrong step");
        }
    }

    @Test
    void transposedWeightsFailComparison() {
        NetworkSpec spec = spec(Activation.RELU, Loss.SOFTMAX_CROSS_ENTROPY);
        Trajectory offHeap = trainOffHeap(spec, batches(spec));
        // Reading the first W as fanOut x fanIn, the classic layout bug, must show in the first step's loss
        double[] start = offHeap.initialParameters().clone();
        int fanIn = SIZES[0];
        int fanOut = SIZES[1];
        for (int i = 0; i < fanIn; i++) {
            for (int j = 0; j < fanOut; j++) {
                start[j * fanIn + i] = offHeap.initialParameters()[i * fanOut + j];
            }
        }
        Trajectory reference = trainOnHeap(spec, start, batches(spec), HeapEngine.Kind.JAVA);

        double difference = Agreement.relativeDifference(offHeap.losses()[0], reference.losses()[0]);
        assertTrue(difference > RELATIVE_TOLERANCE, spec + ": transposed weights gave the same first loss");
    }

    /** Returns the spec with the given hidden activation and loss: identity output for cross-entropy, else g. */
    static NetworkSpec spec(Activation hidden, Loss loss) {
        Activation output = loss == Loss.SOFTMAX_CROSS_ENTROPY ? Activation.IDENTITY : hidden;
        return new NetworkSpec(SIZES, hidden, output, loss, Initializers.normal(0, 0.6));
    }

    /** The input batches and labels of the 20 steps, seeded, N(0, 1) features. */
    record Batches(double[][] inputs, int[][] labels) {

        int batchSize() {
            return labels[0].length;
        }
    }

    static Batches batches(NetworkSpec spec) {
        return batches(spec, BATCH);
    }

    static Batches batches(NetworkSpec spec, int batchSize) {
        RandomGenerator random = Seeds.generator(23, 0);
        double[][] inputs = new double[STEPS][batchSize * spec.inputSize()];
        int[][] labels = new int[STEPS][batchSize];
        for (int step = 0; step < STEPS; step++) {
            for (int i = 0; i < inputs[step].length; i++) {
                inputs[step][i] = random.nextGaussian();
            }
            for (int i = 0; i < batchSize; i++) {
                labels[step][i] = random.nextInt(spec.outputSize());
            }
        }
        return new Batches(inputs, labels);
    }

    /** The loss of each step, and the parameters after each step. */
    record Trajectory(double[] initialParameters, double[] losses, double[][] parameters) {
    }

    /** Trains the off-heap network, starting from its seeded weights and nonzero random biases. */
    static Trajectory trainOffHeap(NetworkSpec spec, Batches batches) {
        try (Network network = Network.create(spec, 5); Workspace workspace = network.newWorkspace(batches.batchSize())) {
            // Nonzero biases, so an engine that ignores b shows up
            RandomGenerator random = Seeds.generator(29, 0);
            for (DenseLayer layer : network.layers()) {
                for (int j = 0; j < layer.fanOut(); j++) {
                    layer.bias().setAtIndex(ValueLayout.JAVA_DOUBLE, j, 0.3 * random.nextGaussian());
                }
            }
            double[] initial = network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
            Sgd sgd = new Sgd(LEARNING_RATE);
            double[] losses = new double[STEPS];
            double[][] parameters = new double[STEPS][];
            for (int step = 0; step < STEPS; step++) {
                workspace.input().segment().copyFrom(MemorySegment.ofArray(batches.inputs()[step]));
                workspace.labels().copyFrom(MemorySegment.ofArray(batches.labels()[step]));
                losses[step] = network.trainStep(workspace, sgd);
                parameters[step] = network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
            }
            return new Trajectory(initial, losses, parameters);
        }
    }

    /** Trains an on-heap engine of the given kind from {@code initial}. */
    static Trajectory trainOnHeap(NetworkSpec spec, double[] initial, Batches batches, HeapEngine.Kind kind) {
        HeapEngine engine = kind.create(spec, initial, batches.batchSize());
        double[] losses = new double[STEPS];
        double[][] parameters = new double[STEPS][];
        for (int step = 0; step < STEPS; step++) {
            losses[step] = engine.trainStep(batches.inputs()[step], batches.labels()[step], LEARNING_RATE);
            parameters[step] = engine.parameters();
        }
        return new Trajectory(initial, losses, parameters);
    }

    /** Fails unless the run stayed finite and moved the parameters far beyond the tolerance, so agreement means something. */
    private static void assertMoved(NetworkSpec spec, Trajectory trajectory) {
        for (double loss : trajectory.losses()) {
            assertTrue(Double.isFinite(loss), spec + ": the off-heap run diverged (loss " + loss + ")");
        }
        double moved = Agreement.maxRelativeDifference(trajectory.initialParameters(), trajectory.parameters()[STEPS - 1]);
        assertTrue(moved > 1e-3, spec + ": 20 steps moved the parameters by only " + moved + " relative");
    }
}
