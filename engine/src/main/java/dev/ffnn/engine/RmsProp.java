package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/**
 * RMSProp: each step is divided by a running root mean square of the gradient. This is PyTorch's
 * {@code torch.optim.RMSprop} without its momentum and centered variants.
 *
 * <pre>
 *   g ← ∂L/∂θ + λ·θ           (λ = l2 for weights, 0 for biases)
 *   s ← ρ·s + (1 − ρ)·g²
 *   θ ← θ − lr·g / (√s + ε)
 * </pre>
 * ε is added outside the square root, as in PyTorch. There is no bias correction, so s starts at 0 and the
 * first steps are larger than lr: the first moves each parameter by {@code lr/√(1 − ρ)} for ε → 0. The state
 * tensor is {@value #MEAN_SQUARE}. The defaults are lr = 0.001, ρ = 0.9 and ε = 1e-8. PyTorch's defaults differ:
 * lr = 0.01 and ρ (its {@code alpha}) = 0.99.
 */
public final class RmsProp extends ElementwiseOptimizer {

    /** Learning rate when none is given. */
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    /** Decay rate ρ of the mean square. */
    public static final double DEFAULT_RHO = 0.9;
    /** Added to √s so the step stays finite where the gradient has been 0. */
    public static final double DEFAULT_EPSILON = 1e-8;
    /** Name of s in {@link #state()}. */
    public static final String MEAN_SQUARE = "mean_square";

    private final double rho;
    private final double epsilon;
    private final double l2;
    private final MemorySegment meanSquare; // s, parameterCount doubles

    /**
     * @param weights the parameter count, and the elements {@code l2} applies to
     * @param rho     ρ in [0, 1)
     * @param epsilon ε, a finite number &gt; 0
     * @param l2      L2 coefficient λ ≥ 0 added as {@code λ·θ} to the gradient of each weight; 0 for none
     * @throws IllegalArgumentException if a hyperparameter is outside its range
     */
    public RmsProp(WeightRanges weights, double learningRate, double rho, double epsilon, double l2) {
        super(weights, learningRate, MEAN_SQUARE);
        this.rho = requireInRange("rho", rho, 0, 1);
        this.epsilon = requirePositive("epsilon", epsilon);
        this.l2 = requireInRange("L2 coefficient", l2, 0, Double.POSITIVE_INFINITY);
        this.meanSquare = stateTensor(MEAN_SQUARE);
    }

    @Override
    void update(MemorySegment parameters, MemorySegment gradients, long from, long to, boolean isWeight) {
        double rate = learningRate();
        double r = rho;
        double eps = epsilon;
        double lambda = isWeight ? l2 : 0;
        for (long i = from; i < to; i++) {
            double theta = parameters.getAtIndex(DOUBLE, i);
            double g = gradients.getAtIndex(DOUBLE, i) + lambda * theta;
            double s = r * meanSquare.getAtIndex(DOUBLE, i) + (1 - r) * g * g;
            meanSquare.setAtIndex(DOUBLE, i, s);
            parameters.setAtIndex(DOUBLE, i, theta - rate * g / (Math.sqrt(s) + eps));
        }
    }

    public double rho() {
        return rho;
    }

    public double epsilon() {
        return epsilon;
    }

    public double l2() {
        return l2;
    }

    @Override
    public String describe() {
        return "rmsprop(lr=" + learningRate() + ", rho=" + rho + ", eps=" + epsilon + (l2 > 0 ? ", l2=" + l2 : "") + ")";
    }
}
