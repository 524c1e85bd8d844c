package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/** Plain stochastic gradient descent: {@code θ ← θ − lr · ∂L/∂θ}, one {@code daxpy} over the flat parameters. */
public final class Sgd implements Optimizer {

    /** The largest element count one {@code daxpy} call takes, since BLAS counts with 32-bit ints. */
    private static final int MAX_CHUNK = Integer.MAX_VALUE / 2;

    private double learningRate;

    /**
     * @throws IllegalArgumentException if the learning rate is not a positive finite number
     */
    public Sgd(double learningRate) {
        setLearningRate(learningRate);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate " + rate + " is invalid: it must be a finite number > 0");
        }
        this.learningRate = rate;
    }

    @Override
    public void step(MemorySegment parameters, MemorySegment gradients, long count) {
        if (count <= MAX_CHUNK) {
            // θ = θ − lr·g
            Blas.axpy((int) count, -learningRate, gradients, 1, parameters, 1);
            return;
        }
        // Slices allocate, so only networks too large for one call take this path.
        for (long start = 0; start < count; start += MAX_CHUNK) {
            int chunk = (int) Math.min(MAX_CHUNK, count - start);
            long byteOffset = start * Double.BYTES;
            Blas.axpy(chunk, -learningRate, gradients.asSlice(byteOffset), 1, parameters.asSlice(byteOffset), 1);
        }
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate + ")";
    }
}
