package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Central finite differences against the backward pass, for every activation with both losses. */
class GradientCheckTest {

    /** Step of the central difference; its truncation error is O(h²) ≈ 1e-10 relative here. */
    private static final double STEP = 1e-5;
    /** Bound on ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) over all parameters. */
    private static final double MAX_RELATIVE_ERROR = 1e-6;
    /** Per-parameter bound |analytic − numeric| <= ATOL + RTOL·|numeric|. */
    private static final double ATOL = 1e-8;
    private static final double RTOL = 1e-5;

    private static final int[] SIZES = {3, 5, 4, 3};
    private static final int BATCH = 6;

    @Test
    void everyActivationWithBothLossesMatchesFiniteDifferences() {
        List<String> checked = new ArrayList<>();
        for (Activation hidden : Activation.values()) {
            for (Loss loss : Loss.values()) {
                Activation output = loss == Loss.SOFTMAX_CROSS_ENTROPY ? Activation.IDENTITY : hidden;
                NetworkSpec spec = new NetworkSpec(SIZES, hidden, output, loss, Initializers.normal(0, 0.8));
                checkGradients(spec);
                checked.add(hidden.cliName() + "/" + loss.cliName());
            }
        }
        assertEquals(Activation.values().length * Loss.values().length, checked.size(), checked.toString());
    }

    @Test
    void sigmoidOutputWithMseMatches() {
        checkGradients(new NetworkSpec(SIZES, Activation.TANH, Activation.SIGMOID, Loss.MEAN_SQUARED_ERROR,
                Initializers.xavierNormal()));
    }

    private static void checkGradients(NetworkSpec spec) {
        try (Network network = Network.create(spec, 7); Workspace workspace = network.newWorkspace(BATCH)) {
            RandomGenerator random = Seeds.generator(11, 0);
            // Nonzero biases, so a bug that ignores b shows up
            for (DenseLayer layer : network.layers()) {
                for (int j = 0; j < layer.fanOut(); j++) {
                    layer.bias().setAtIndex(ValueLayout.JAVA_DOUBLE, j, 0.3 * random.nextGaussian());
                }
            }
            RowMajorMatrix input = workspace.input();
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < spec.inputSize(); j++) {
                    input.set(i, j, random.nextGaussian());
                }
                workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, random.nextInt(spec.outputSize()));
            }

            network.forward(workspace);
            network.backward(workspace);
            double[] analytic = network.gradients().toArray(ValueLayout.JAVA_DOUBLE);
            double[] numeric = numericGradient(network, workspace);

            compare(spec, analytic, numeric);
        }
    }

    private static double[] numericGradient(Network network, Workspace workspace) {
        MemorySegment parameters = network.parameters();
        double[] numeric = new double[(int) network.parameterCount()];
        for (int p = 0; p < numeric.length; p++) {
            double original = parameters.getAtIndex(ValueLayout.JAVA_DOUBLE, p);
            parameters.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original + STEP);
            network.forward(workspace);
            double plus = network.loss(workspace);
            parameters.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original - STEP);
            network.forward(workspace);
            double minus = network.loss(workspace);
            parameters.setAtIndex(ValueLayout.JAVA_DOUBLE, p, original);
            numeric[p] = (plus - minus) / (2 * STEP);
        }
        return numeric;
    }

    private static void compare(NetworkSpec spec, double[] analytic, double[] numeric) {
        double differenceSquares = 0;
        double analyticSquares = 0;
        double numericSquares = 0;
        for (int p = 0; p < analytic.length; p++) {
            double difference = analytic[p] - numeric[p];
            differenceSquares += difference * difference;
            analyticSquares += analytic[p] * analytic[p];
            numericSquares += numeric[p] * numeric[p];
            double tolerance = ATOL + RTOL * Math.abs(numeric[p]);
            if (!(Math.abs(difference) <= tolerance)) {
                fail(spec + ": parameter " + p + ": analytic " + analytic[p] + " numeric " + numeric[p]
                        + " (tolerance " + tolerance + ")");
            }
        }
        assertTrue(numericSquares > 0, spec + ": every numeric gradient is 0, so the check proves nothing");
        double relative = Math.sqrt(differenceSquares) / Math.max(Math.sqrt(analyticSquares), Math.sqrt(numericSquares));
        assertTrue(relative < MAX_RELATIVE_ERROR, spec + ": relative error " + relative + " >= " + MAX_RELATIVE_ERROR);
    }
}
