package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/**
 * Adam (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1) and AdamW, Adam with
 * decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019).
 *
 * <p>Step t (from 1) of Adam, for each parameter:
 * <pre>
 *   g ← ∂L/∂θ + λ·θ                 (λ = l2 for weights, 0 for biases; Adam only)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   m̂ = m / (1 − β1^t)
 *   v̂ = v / (1 − β2^t)
 *   θ ← θ − α·m̂ / (√v̂ + ε)
 * </pre>
 * ε is added to the square root of the bias-corrected second moment, as in Algorithm 1, not the faster
 * reformulation at the end of the paper's section 2. AdamW replaces the L2 term by a decay of the weights that
 * bypasses the moments:
 * <pre>
 *   θ ← θ − α·(m̂ / (√v̂ + ε) + wd·θ)  (wd = weight decay for weights, 0 for biases)
 * </pre>
 * The decay is multiplied by the learning rate α, as in PyTorch's {@code AdamW}. The paper writes the
 * same update with a schedule multiplier η_t in front of both terms. Here the schedule changes α, so it scales both
 * terms alike. Both moments start at 0 and are the state tensors {@value #FIRST_MOMENT} and
 * {@value #SECOND_MOMENT}. The step count t is {@link #stepCount()}, which a restored checkpoint must set.
 */
public final class Adam extends ElementwiseOptimizer {

    /** Step size α of the paper. */
    public static final double DEFAULT_LEARNING_RATE = 0.001;
    /** Decay rate of the first moment. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** Decay rate of the second moment. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** Added to √v̂ so the step stays finite where the gradient has been 0. */
    public static final double DEFAULT_EPSILON = 1e-8;
    /** AdamW's weight decay when none is given, PyTorch's default. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;
    /** Name of m in {@link #state()}. */
    public static final String FIRST_MOMENT = "m";
    /** Name of v in {@link #state()}. */
    public static final String SECOND_MOMENT = "v";

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double l2;
    private final double weightDecay;
    private final boolean decoupled;
    private final MemorySegment m; // first moment, parameterCount doubles
    private final MemorySegment v; // second moment, parameterCount doubles
    private double stepSize;             // α/(1 − β1^t) of the current step
    private double secondCorrectionRoot; // 1/√(1 − β2^t) of the current step

    private Adam(WeightRanges weights, double learningRate, double beta1, double beta2, double epsilon, double l2,
                 double weightDecay, boolean decoupled) {
        super(weights, learningRate, FIRST_MOMENT, SECOND_MOMENT);
        this.beta1 = requireInRange("beta1", beta1, 0, 1);
        this.beta2 = requireInRange("beta2", beta2, 0, 1);
        this.epsilon = requirePositive("epsilon", epsilon);
        this.l2 = requireInRange("L2 coefficient", l2, 0, Double.POSITIVE_INFINITY);
        this.weightDecay = requireInRange("weight decay", weightDecay, 0, Double.POSITIVE_INFINITY);
        this.decoupled = decoupled;
        this.m = stateTensor(FIRST_MOMENT);
        this.v = stateTensor(SECOND_MOMENT);
    }

    /**
     * Creates Adam.
     *
     * @param weights the parameter count, and the elements {@code l2} applies to
     * @param beta1   β1 in [0, 1)
     * @param beta2   β2 in [0, 1)
     * @param epsilon ε, a finite number &gt; 0
     * @param l2      L2 coefficient λ ≥ 0 added as {@code λ·θ} to the gradient of each weight; 0 for none
     * @throws IllegalArgumentException if a hyperparameter is outside its range
     */
    public static Adam adam(WeightRanges weights, double learningRate, double beta1, double beta2, double epsilon,
                            double l2) {
        return new Adam(weights, learningRate, beta1, beta2, epsilon, l2, 0, false);
    }

    /**
     * Creates AdamW.
     *
     * @param weights     the parameter count, and the elements the weight decay applies to
     * @param weightDecay wd ≥ 0, multiplied by the learning rate in every step
     * @throws IllegalArgumentException if a hyperparameter is outside its range
     */
    public static Adam adamW(WeightRanges weights, double learningRate, double beta1, double beta2, double epsilon,
                             double weightDecay) {
        return new Adam(weights, learningRate, beta1, beta2, epsilon, 0, weightDecay, true);
    }

    @Override
    void beginStep() {
        long t = stepCount();
        stepSize = learningRate() / (1 - Math.pow(beta1, t));
        secondCorrectionRoot = 1 / Math.sqrt(1 - Math.pow(beta2, t));
    }

    @Override
    void update(MemorySegment parameters, MemorySegment gradients, long from, long to, boolean isWeight) {
        double b1 = beta1;
        double b2 = beta2;
        double eps = epsilon;
        double size = stepSize;
        double rootFactor = secondCorrectionRoot;
        double lambda = isWeight && !decoupled ? l2 : 0;
        double decayStep = isWeight && decoupled ? learningRate() * weightDecay : 0;
        // α·m̂/(√v̂ + ε) = (α/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε): the same value with one division per element
        // instead of three, as PyTorch computes it; the two forms differ only by rounding.
        for (long i = from; i < to; i++) {
            double theta = parameters.getAtIndex(DOUBLE, i);
            double g = gradients.getAtIndex(DOUBLE, i) + lambda * theta;
            double mi = b1 * m.getAtIndex(DOUBLE, i) + (1 - b1) * g;
            double vi = b2 * v.getAtIndex(DOUBLE, i) + (1 - b2) * g * g;
            m.setAtIndex(DOUBLE, i, mi);
            v.setAtIndex(DOUBLE, i, vi);
            parameters.setAtIndex(DOUBLE, i, theta - size * mi / (Math.sqrt(vi) * rootFactor + eps) - decayStep * theta);
        }
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /** Returns the L2 coefficient of Adam, 0 for AdamW. */
    public double l2() {
        return l2;
    }

    /** Returns the decoupled weight decay of AdamW, 0 for Adam. */
    public double weightDecay() {
        return weightDecay;
    }

    /** Returns true for AdamW. */
    public boolean decoupled() {
        return decoupled;
    }

    @Override
    public String describe() {
        String regularization = "";
        if (decoupled) {
            regularization = ", weight_decay=" + weightDecay;
        } else if (l2 > 0) {
            regularization = ", l2=" + l2;
        }
        return (decoupled ? "adamw" : "adam") + "(lr=" + learningRate() + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", eps=" + epsilon + regularization + ")";
    }
}
