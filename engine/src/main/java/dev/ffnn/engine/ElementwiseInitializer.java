package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * An initializer that draws every element independently from one law, which may depend on the layer's fan-in
 * and fan-out: the constant, uniform, normal, truncated normal, Bernoulli and variance-scaling schemes.
 */
final class ElementwiseInitializer implements Initializer {

    /** The law for one layer shape: how to draw an element and its exact moments. */
    record Law(Distribution distribution, BlockFill.Sampler sampler) {
    }

    /** Builds the law for a {@code fanIn x fanOut} layer, rejecting a zero fan where the law scales by it. */
    @FunctionalInterface
    interface LawFactory {
        Law law(int fanIn, int fanOut);
    }

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final String name;
    private final LawFactory laws;

    ElementwiseInitializer(String name, LawFactory laws) {
        this.name = Objects.requireNonNull(name, "name");
        this.laws = Objects.requireNonNull(laws, "laws");
    }

    /** Writes values in row-major order from one generator, so a given generator state always fills the same elements. */
    @Override
    public void fill(RowMajorMatrix weights, RandomGenerator random) {
        BlockFill.Sampler sampler = laws.law(weights.rows(), weights.cols()).sampler();
        for (int i = 0; i < weights.rows(); i++) {
            long rowOffset = (long) i * weights.leadingDimension();
            for (int j = 0; j < weights.cols(); j++) {
                weights.segment().setAtIndex(DOUBLE, rowOffset + j, sampler.next(random));
            }
        }
    }

    @Override
    public void fill(RowMajorMatrix weights, long seed, int threads) {
        BlockFill.fill(weights, seed, threads, laws.law(weights.rows(), weights.cols()).sampler());
    }

    @Override
    public boolean fillsBiases() {
        return true;
    }

    @Override
    public void fillBias(MemorySegment bias, int fanIn, int fanOut, RandomGenerator random) {
        Initializers.requireBiasSize(bias, fanOut);
        BlockFill.Sampler sampler = laws.law(fanIn, fanOut).sampler();
        for (int j = 0; j < fanOut; j++) {
            bias.setAtIndex(DOUBLE, j, sampler.next(random));
        }
    }

    @Override
    public Optional<Distribution> distribution(int fanIn, int fanOut) {
        return Optional.of(laws.law(fanIn, fanOut).distribution());
    }

    /** Returns the law of a {@code fanIn x fanOut} layer's elements. */
    Law law(int fanIn, int fanOut) {
        return laws.law(fanIn, fanOut);
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
