package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Per-layer measurements of a freshly initialized network after one forward and one backward pass without an
 * update: how the variance of pre-activations, activations, errors and weight gradients moves through depth.
 *
 * <p>Variances are population variances over every element of the tensor, as in {@link TensorStatistics}.
 */
public final class InitializationStudy {

    /** Two neurons whose incoming weights and bias all differ by at most this much count as one in {@link #effectiveWidth}. */
    public static final double SYMMETRY_TOLERANCE = 1e-12;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    /**
     * The measurements of one layer.
     *
     * @param layer                  0-based layer index
     * @param fanIn                  rows of W
     * @param fanOut                 columns of W
     * @param activation             the layer's activation
     * @param exactStd               the initializer's exact standard deviation for this shape, NaN when unknown
     * @param exactBound             the b of the initializer's support {@code [−b, b]}, NaN when unbounded or unknown
     * @param sampledStd             standard deviation of W's elements
     * @param sampledBound           {@code max |W|}
     * @param preActivationVariance  Var(Z)
     * @param activationVariance     Var(A)
     * @param errorVariance          Var(δ), δ = ∂L/∂Z
     * @param weightGradientVariance Var(∂L/∂W)
     * @param saturatedFraction      fraction of activations in saturation: {@code |a| > 0.99} for tanh, {@code a < 0.01}
     *                               or {@code a > 0.99} for sigmoid; NaN for other activations. The training
     *                               statistics use the same definition.
     * @param deadFraction           fraction of ReLU neurons whose activation is 0 on every sample of the batch; NaN
     *                               for other activations (a leaky ReLU is never exactly 0). The training statistics
     *                               use the same definition.
     * @param effectiveWidth         number of distinct neurons, see {@link #effectiveWidth}
     */
    public record Layer(int layer, int fanIn, int fanOut, Activation activation, double exactStd, double exactBound,
                        double sampledStd, double sampledBound, double preActivationVariance,
                        double activationVariance, double errorVariance, double weightGradientVariance,
                        double saturatedFraction, double deadFraction, int effectiveWidth) {
    }

    private InitializationStudy() {
    }

    /**
     * Fills the workspace's input with N(0, 1) draws and its labels with classes drawn uniformly from
     * {@code [0, outputSize)}, from the generator {@link Seeds#generator}{@code (seed, STUDY_INPUTS)}.
     */
    public static void fillStandardNormal(Workspace workspace, long seed) {
        RandomGenerator random = Seeds.generator(seed, Seeds.STUDY_INPUTS);
        RowMajorMatrix input = workspace.input();
        for (int i = 0; i < input.rows(); i++) {
            for (int j = 0; j < input.cols(); j++) {
                input.set(i, j, random.nextGaussian());
            }
        }
        int classes = workspace.network().spec().outputSize();
        for (int i = 0; i < workspace.batchSize(); i++) {
            workspace.labels().setAtIndex(INT, i, random.nextInt(classes));
        }
    }

    /**
     * Runs a forward and a backward pass on the batch in {@code workspace} without updating the parameters, and
     * returns the measurements of every layer.
     */
    public static List<Layer> measure(Network network, Workspace workspace) {
        network.forward(workspace);
        network.backward(workspace);
        List<Layer> result = new ArrayList<>(network.layers().size());
        for (DenseLayer layer : network.layers()) {
            result.add(measure(network.spec().initializer(), layer, workspace));
        }
        return result;
    }

    private static Layer measure(Initializer initializer, DenseLayer layer, Workspace workspace) {
        int l = layer.index();
        RowMajorMatrix w = layer.weights();
        Distribution exact = initializer.distribution(layer.fanIn(), layer.fanOut()).orElse(null);
        long weightCount = w.elementCount();
        long batchCount = workspace.preActivations(l).elementCount();
        MemorySegment z = workspace.preActivations(l).segment();
        MemorySegment a = workspace.activations(l).segment();
        MemorySegment delta = workspace.errors(l).segment();
        MemorySegment gradient = layer.weightGradient().segment();
        return new Layer(l, layer.fanIn(), layer.fanOut(), layer.activation(),
                exact == null ? Double.NaN : exact.std(), exact == null ? Double.NaN : exact.bound(),
                Math.sqrt(variance(w.segment(), weightCount)), maxAbs(w.segment(), weightCount),
                variance(z, batchCount), variance(a, batchCount), variance(delta, batchCount),
                variance(gradient, weightCount),
                StatisticsCollector.saturatedFraction(layer.activation(), workspace.activations(l)),
                StatisticsCollector.deadFraction(layer.activation(), workspace.activations(l)),
                effectiveWidth(w, layer.bias(), SYMMETRY_TOLERANCE));
    }

    /**
     * Returns the number of distinct neurons of a layer: neurons j and k count once when
     * {@code |W[i][j] − W[i][k]| ≤ tolerance} for every i and {@code |b[j] − b[k]| ≤ tolerance}. Each neuron is
     * compared with the first neuron of every group found so far, so a symmetric layer gives 1 and a layer
     * of distinct neurons gives {@code fanOut}.
     *
     * @param weights not modified: {@code fanIn x fanOut}
     * @param bias    not modified: {@code fanOut} doubles
     */
    public static int effectiveWidth(RowMajorMatrix weights, MemorySegment bias, double tolerance) {
        List<Integer> representatives = new ArrayList<>();
        for (int j = 0; j < weights.cols(); j++) {
            boolean found = false;
            for (int representative : representatives) {
                if (sameNeuron(weights, bias, j, representative, tolerance)) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                representatives.add(j);
            }
        }
        return representatives.size();
    }

    private static boolean sameNeuron(RowMajorMatrix weights, MemorySegment bias, int j, int k, double tolerance) {
        if (!(Math.abs(bias.getAtIndex(DOUBLE, j) - bias.getAtIndex(DOUBLE, k)) <= tolerance)) {
            return false;
        }
        for (int i = 0; i < weights.rows(); i++) {
            if (!(Math.abs(weights.get(i, j) - weights.get(i, k)) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    private static double variance(MemorySegment values, long count) {
        return TensorStatistics.of(values, count, 0).variance();
    }

    private static double maxAbs(MemorySegment values, long count) {
        double max = 0;
        for (long i = 0; i < count; i++) {
            double value = Math.abs(values.getAtIndex(DOUBLE, i));
            if (!(value <= max)) {
                max = value;
            }
        }
        return max;
    }
}
