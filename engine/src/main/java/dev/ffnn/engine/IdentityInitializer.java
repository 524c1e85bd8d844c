package dev.ffnn.engine;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Identity initialization: {@code W[i][j] = gain} when {@code i = j} and 0 otherwise, for any shape (the leading
 * diagonal of a non-square matrix, as PyTorch's {@code eye_}). A square identity layer passes its input through
 * unchanged at gain 1 (Le, Jaitly and Hinton, "A Simple Way to Initialize Recurrent Networks of Rectified Linear
 * Units", 2015, use it for recurrent weights). It draws no random numbers.
 */
final class IdentityInitializer implements Initializer {

    private final double gain;
    private final String name;

    IdentityInitializer(double gain, String name) {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("identity gain " + gain + " is invalid: it must be a finite number");
        }
        this.gain = gain;
        this.name = name;
    }

    @Override
    public void fill(RowMajorMatrix weights, RandomGenerator random) {
        Initializers.requireFanIn(weights.rows(), weights.cols());
        Initializers.requireFanOut(weights.rows(), weights.cols());
        weights.fill(0.0);
        for (int k = 0; k < Math.min(weights.rows(), weights.cols()); k++) {
            weights.set(k, k, gain);
        }
    }

    @Override
    public void fill(RowMajorMatrix weights, long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        fill(weights, null);
    }

    /**
     * Returns the law of an element at a uniformly chosen position: gain with probability
     * {@code p = min(fanIn, fanOut)/(fanIn·fanOut)}, else 0.
     */
    @Override
    public Optional<Distribution> distribution(int fanIn, int fanOut) {
        Initializers.requireFanIn(fanIn, fanOut);
        Initializers.requireFanOut(fanIn, fanOut);
        Distribution indicator = Distribution.bernoulli((double) Math.min(fanIn, fanOut) / ((double) fanIn * fanOut));
        double gain2 = gain * gain;
        return Optional.of(new Distribution(gain * indicator.mean(), gain2 * indicator.variance(),
                gain2 * gain2 * indicator.fourthCentralMoment(), Math.min(0, gain), Math.max(0, gain)));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
