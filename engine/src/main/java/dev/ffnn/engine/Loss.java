package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Loss functions over a batch of B samples and K outputs. Every loss is minimised and non-negative, and is
 * the mean over the batch, so a gradient does not grow with the batch size.
 */
public enum Loss {
    /**
     * Softmax cross-entropy from logits: {@code L = (1/B) Σᵢ (log Σₖ e^{z_ik} − z_{i,yᵢ})}.
     *
     * <p>The softmax is fused into the loss, so the output layer's activation must be {@link Activation#IDENTITY}.
     * The log-sum-exp is shifted by the row maximum, so logits in the thousands, positive or negative, give a
     * finite loss and gradient {@code δ = (softmax(z) − onehot(y)) / B}.
     */
    SOFTMAX_CROSS_ENTROPY("cross-entropy"),
    /**
     * Mean squared error against one-hot targets: {@code L = (1/(B·K)) Σᵢ Σₖ (a_ik − onehot(yᵢ)_k)²}, with
     * {@code δ = 2 (a − y) ⊙ g'(z) / (B·K)}.
     */
    MEAN_SQUARED_ERROR("mse");

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final String cliName;

    Loss(String cliName) {
        this.cliName = cliName;
    }

    /** Returns the name used on the command line and in files. */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns the loss with the given command-line name.
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static Loss parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Loss loss : values()) {
            if (loss.cliName.equals(key)) {
                return loss;
            }
        }
        throw new IllegalArgumentException("unknown loss '" + name + "'; allowed: " + allowedNames());
    }

    /** Returns the command-line names, comma-separated. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(Loss::cliName).collect(Collectors.joining(", "));
    }

    /**
     * Computes the batch loss and writes {@code δ = ∂L/∂z} for the output layer.
     *
     * @param z          not modified: output pre-activations, packed {@code batch x classes}
     * @param a          not modified: output activations {@code g(z)}, packed like z (may be z itself)
     * @param activation the output layer's activation g
     * @param labels     not modified: {@code batch} int32 class indices in {@code [0, classes)}
     * @param delta      modified: packed {@code batch x classes}
     * @return the mean loss over the batch
     */
    public double lossAndDelta(MemorySegment z, MemorySegment a, Activation activation, MemorySegment labels,
                               int batch, int classes, MemorySegment delta) {
        return switch (this) {
            case SOFTMAX_CROSS_ENTROPY -> softmaxCrossEntropy(z, labels, batch, classes, delta);
            case MEAN_SQUARED_ERROR -> meanSquaredError(z, a, activation, labels, batch, classes, delta);
        };
    }

    /**
     * Computes the mean loss of a batch without writing a gradient; used for evaluation.
     *
     * @see #lossAndDelta
     */
    public double loss(MemorySegment z, MemorySegment a, MemorySegment labels, int batch, int classes) {
        double sum = 0.0;
        for (int i = 0; i < batch; i++) {
            long rowStart = (long) i * classes;
            int label = labels.getAtIndex(INT, i);
            if (this == SOFTMAX_CROSS_ENTROPY) {
                double max = rowMax(z, rowStart, classes);
                sum += Math.log(shiftedExpSum(z, rowStart, classes, max)) - (z.getAtIndex(DOUBLE, rowStart + label) - max);
            } else {
                for (int k = 0; k < classes; k++) {
                    double diff = a.getAtIndex(DOUBLE, rowStart + k) - (k == label ? 1.0 : 0.0);
                    sum += diff * diff;
                }
            }
        }
        return this == SOFTMAX_CROSS_ENTROPY ? sum / batch : sum / ((double) batch * classes);
    }

    private static double softmaxCrossEntropy(MemorySegment z, MemorySegment labels, int batch, int classes,
                                              MemorySegment delta) {
        double sum = 0.0;
        double inverseBatch = 1.0 / batch;
        for (int i = 0; i < batch; i++) {
            long rowStart = (long) i * classes;
            int label = labels.getAtIndex(INT, i);
            // Work with z − max throughout: max + log(Σ) would lose log(Σ) to rounding once |max| dwarfs it
            double max = rowMax(z, rowStart, classes);
            double expSum = shiftedExpSum(z, rowStart, classes, max);

            // loss_i = log Σ_k e^{z_ik − max} − (z_iy − max); δ_ik = (softmax_ik − [k == y]) / B
            sum += Math.log(expSum) - (z.getAtIndex(DOUBLE, rowStart + label) - max);
            for (int k = 0; k < classes; k++) {
                double softmax = Math.exp(z.getAtIndex(DOUBLE, rowStart + k) - max) / expSum;
                double target = k == label ? 1.0 : 0.0;
                delta.setAtIndex(DOUBLE, rowStart + k, (softmax - target) * inverseBatch);
            }
        }
        return sum * inverseBatch;
    }

    private static double meanSquaredError(MemorySegment z, MemorySegment a, Activation activation,
                                           MemorySegment labels, int batch, int classes, MemorySegment delta) {
        double sum = 0.0;
        double scale = 2.0 / ((double) batch * classes);
        for (int i = 0; i < batch; i++) {
            long rowStart = (long) i * classes;
            int label = labels.getAtIndex(INT, i);
            for (int k = 0; k < classes; k++) {
                long index = rowStart + k;
                double output = a.getAtIndex(DOUBLE, index);
                double diff = output - (k == label ? 1.0 : 0.0);
                sum += diff * diff;
                delta.setAtIndex(DOUBLE, index, scale * diff * activation.derivative(z.getAtIndex(DOUBLE, index), output));
            }
        }
        return sum / ((double) batch * classes);
    }

    private static double rowMax(MemorySegment z, long rowStart, int classes) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            double value = z.getAtIndex(DOUBLE, rowStart + k);
            // NaN must win, so the loss becomes NaN instead of silently skipping a diverged logit
            if (value > max || Double.isNaN(value)) {
                max = value;
            }
        }
        return max;
    }

    /** Returns {@code Σ_k e^{z_k − max}}, which lies in {@code [1, classes]} when max is the row maximum. */
    private static double shiftedExpSum(MemorySegment z, long rowStart, int classes, double max) {
        double expSum = 0.0;
        for (int k = 0; k < classes; k++) {
            expSum += Math.exp(z.getAtIndex(DOUBLE, rowStart + k) - max);
        }
        return expSum;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
