package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Nguyen-Widrow initialization (Nguyen and Widrow, "Improving the learning speed of 2-layer neural networks by
 * choosing initial values of the adaptive weights", IJCNN 1990).
 *
 * <p>With {@code n = fanIn} inputs and {@code H = fanOut} neurons, {@code β = 0.7·H^{1/n}}. Each neuron's incoming
 * weights (a column of {@code W[fanIn x fanOut]}) are drawn from {@code U[−0.5, 0.5)} and rescaled to Euclidean
 * norm β; each bias is drawn from {@code U[−β, β)}. The paper targets one hidden layer with inputs in [−1, 1];
 * ffnn applies the rule to every layer with that layer's fans, as MATLAB's {@code initnw} does.
 *
 * <p>An element's marginal law has mean 0 and variance {@code β²/fanIn} exactly (a column's squares sum to β²);
 * its fourth moment has no simple closed form and is reported as NaN.
 */
final class NguyenWidrowInitializer implements Initializer {

    static final String NAME = "nguyen-widrow";

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    @Override
    public void fill(RowMajorMatrix weights, RandomGenerator random) {
        double beta = beta(weights.rows(), weights.cols());
        for (int i = 0; i < weights.rows(); i++) {
            for (int j = 0; j < weights.cols(); j++) {
                weights.set(i, j, random.nextDouble(-0.5, 0.5));
            }
        }
        normalizeColumns(weights, beta);
    }

    @Override
    public void fill(RowMajorMatrix weights, long seed, int threads) {
        double beta = beta(weights.rows(), weights.cols());
        BlockFill.fill(weights, seed, threads, random -> random.nextDouble(-0.5, 0.5));
        normalizeColumns(weights, beta);
    }

    @Override
    public boolean fillsBiases() {
        return true;
    }

    @Override
    public void fillBias(MemorySegment bias, int fanIn, int fanOut, RandomGenerator random) {
        Initializers.requireBiasSize(bias, fanOut);
        double beta = beta(fanIn, fanOut);
        for (int j = 0; j < fanOut; j++) {
            bias.setAtIndex(DOUBLE, j, random.nextDouble(-beta, beta));
        }
    }

    @Override
    public Optional<Distribution> distribution(int fanIn, int fanOut) {
        double beta = beta(fanIn, fanOut);
        return Optional.of(new Distribution(0, beta * beta / fanIn, Double.NaN, -beta, beta));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME;
    }

    /** Returns {@code β = 0.7·fanOut^{1/fanIn}}, rejecting a zero fan. */
    static double beta(int fanIn, int fanOut) {
        Initializers.requireFanIn(fanIn, fanOut);
        Initializers.requireFanOut(fanIn, fanOut);
        return 0.7 * Math.pow(fanOut, 1.0 / fanIn);
    }

    /** Scales every column of {@code weights} to Euclidean norm β, one row-major pass for the norms and one to scale. */
    private static void normalizeColumns(RowMajorMatrix weights, double beta) {
        double[] squares = new double[weights.cols()]; // per column, fanOut doubles
        for (int i = 0; i < weights.rows(); i++) {
            for (int j = 0; j < weights.cols(); j++) {
                double w = weights.get(i, j);
                squares[j] += w * w;
            }
        }
        double[] scales = new double[weights.cols()];
        for (int j = 0; j < weights.cols(); j++) {
            // An all-zero column has probability 0 but would divide by 0, so it stays zero
            scales[j] = squares[j] > 0 ? beta / Math.sqrt(squares[j]) : 0;
        }
        for (int i = 0; i < weights.rows(); i++) {
            for (int j = 0; j < weights.cols(); j++) {
                weights.set(i, j, weights.get(i, j) * scales[j]);
            }
        }
    }
}
