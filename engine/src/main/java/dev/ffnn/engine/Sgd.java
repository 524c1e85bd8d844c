package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Plain stochastic gradient descent: {@code θ ← θ − lr · ∂L/∂θ}, one {@code daxpy} over the flat parameters.
 *
 * <p>With an L2 coefficient λ &gt; 0, each weight's gradient gets {@code λ·θ} added first, the gradient of
 * {@code (λ/2)·‖W‖²}, so a weight moves by {@code −lr·(∂L/∂θ + λ·θ)}; biases are not regularized.
 */
public final class Sgd implements Optimizer {

    /** The largest element count one {@code daxpy} call takes, since BLAS counts with 32-bit ints. */
    private static final int MAX_CHUNK = Integer.MAX_VALUE / 2;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final double l2;
    private final WeightRanges weights; // null without L2
    private double learningRate;
    private long stepCount;

    /**
     * @throws IllegalArgumentException if the learning rate is not a positive finite number
     */
    public Sgd(double learningRate) {
        setLearningRate(learningRate);
        this.l2 = 0;
        this.weights = null;
    }

    /**
     * Creates SGD with L2 regularization of the weights in {@code weights}.
     *
     * @param l2 the coefficient λ ≥ 0; 0 gives plain SGD
     * @throws IllegalArgumentException if the learning rate is not a positive finite number or {@code l2} is
     *                                  negative or not finite
     */
    public Sgd(WeightRanges weights, double learningRate, double l2) {
        setLearningRate(learningRate);
        this.l2 = ElementwiseOptimizer.requireInRange("L2 coefficient", l2, 0, Double.POSITIVE_INFINITY);
        this.weights = Objects.requireNonNull(weights, "weights");
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

    /** Returns the L2 coefficient λ, 0 for none. */
    public double l2() {
        return l2;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the optimizer has L2 regularization and {@code count} differs from the
     *                                  parameter count of its weight ranges
     */
    @Override
    public void step(MemorySegment parameters, MemorySegment gradients, long count) {
        // SGD's update does not use the count, but checkpoints record it for every optimizer alike
        stepCount++;
        if (l2 > 0) {
            stepWithL2(parameters, gradients, count);
            return;
        }
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

    /** Runs θ ← θ − lr·(g + λθ) over the weights and θ ← θ − lr·g over the biases. */
    private void stepWithL2(MemorySegment parameters, MemorySegment gradients, long count) {
        if (count != weights.parameterCount()) {
            throw new IllegalArgumentException(describe() + " was made for " + weights.parameterCount()
                    + " parameters but step got " + count + ": create the optimizer from this network's weightRanges()");
        }
        long position = 0;
        for (int r = 0; r < weights.rangeCount(); r++) {
            update(parameters, gradients, position, weights.start(r), 0);
            update(parameters, gradients, weights.start(r), weights.end(r), l2);
            position = weights.end(r);
        }
        update(parameters, gradients, position, count, 0);
    }

    private void update(MemorySegment parameters, MemorySegment gradients, long from, long to, double lambda) {
        double rate = learningRate;
        for (long i = from; i < to; i++) {
            double theta = parameters.getAtIndex(DOUBLE, i);
            parameters.setAtIndex(DOUBLE, i, theta - rate * (gradients.getAtIndex(DOUBLE, i) + lambda * theta));
        }
    }

    @Override
    public long stepCount() {
        return stepCount;
    }

    /** @throws IllegalArgumentException if {@code steps < 0} */
    @Override
    public void restoreStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("step count " + steps + " is invalid: it must be >= 0");
        }
        this.stepCount = steps;
    }

    @Override
    public String describe() {
        return "sgd(lr=" + learningRate + (l2 > 0 ? ", l2=" + l2 : "") + ")";
    }
}
