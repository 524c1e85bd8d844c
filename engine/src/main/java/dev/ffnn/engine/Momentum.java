package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/**
 * Stochastic gradient descent with momentum, classical or Nesterov, in the convention of PyTorch's
 * {@code torch.optim.SGD}: the velocity accumulates gradients and the learning rate multiplies the step.
 *
 * <pre>
 *   g ← ∂L/∂θ + λ·θ          (λ = l2 for weights, 0 for biases)
 *   v ← μ·v + g
 *   θ ← θ − lr·v             (classical)
 *   θ ← θ − lr·(g + μ·v)     (Nesterov, Sutskever et al. 2013 in the form of PyTorch)
 * </pre>
 *
 * <p>The other common convention, {@code v ← μ·v − lr·g; θ ← θ + v}, gives the same steps at a constant learning
 * rate, but when a schedule changes the rate, this convention applies the new rate to the whole velocity at once.
 * The velocity starts at 0 and is the one state tensor, {@value #VELOCITY}.
 */
public final class Momentum extends ElementwiseOptimizer {

    /** Momentum coefficient μ when none is given. */
    public static final double DEFAULT_MOMENTUM = 0.9;
    /** Name of the velocity in {@link #state()}. */
    public static final String VELOCITY = "velocity";

    private final double momentum;
    private final boolean nesterov;
    private final double l2;
    private final MemorySegment velocity; // v, parameterCount doubles

    /**
     * @param weights      the parameter count, and the elements {@code l2} applies to
     * @param learningRate lr, a finite number &gt; 0
     * @param momentum     μ in [0, 1)
     * @param nesterov     true for Nesterov momentum, false for classical momentum
     * @param l2           L2 coefficient λ ≥ 0 added as {@code λ·θ} to the gradient of each weight: the gradient
     *                     of {@code (λ/2)·‖W‖²}
     * @throws IllegalArgumentException if a hyperparameter is outside its range
     */
    public Momentum(WeightRanges weights, double learningRate, double momentum, boolean nesterov, double l2) {
        super(weights, learningRate, VELOCITY);
        this.momentum = requireInRange("momentum", momentum, 0, 1);
        this.nesterov = nesterov;
        this.l2 = requireInRange("L2 coefficient", l2, 0, Double.POSITIVE_INFINITY);
        this.velocity = stateTensor(VELOCITY);
    }

    @Override
    void update(MemorySegment parameters, MemorySegment gradients, long from, long to, boolean isWeight) {
        double rate = learningRate();
        double mu = momentum;
        double lambda = isWeight ? l2 : 0;
        if (nesterov) {
            for (long i = from; i < to; i++) {
                double theta = parameters.getAtIndex(DOUBLE, i);
                double g = gradients.getAtIndex(DOUBLE, i) + lambda * theta;
                double v = mu * velocity.getAtIndex(DOUBLE, i) + g;
                velocity.setAtIndex(DOUBLE, i, v);
                parameters.setAtIndex(DOUBLE, i, theta - rate * (g + mu * v));
            }
        } else {
            for (long i = from; i < to; i++) {
                double theta = parameters.getAtIndex(DOUBLE, i);
                double g = gradients.getAtIndex(DOUBLE, i) + lambda * theta;
                double v = mu * velocity.getAtIndex(DOUBLE, i) + g;
                velocity.setAtIndex(DOUBLE, i, v);
                parameters.setAtIndex(DOUBLE, i, theta - rate * v);
            }
        }
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    public double l2() {
        return l2;
    }

    @Override
    public String describe() {
        return (nesterov ? "nesterov" : "momentum") + "(lr=" + learningRate() + ", momentum=" + momentum
                + (l2 > 0 ? ", l2=" + l2 : "") + ")";
    }
}
