package dev.ffnn.engine.reference;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Loss;

/**
 * The elementwise steps of a training step on packed row-major {@code double[]} matrices: bias and activation,
 * activation derivative, loss and output error, and the SGD update. Both on-heap engines use them.
 *
 * <p>The {@link Activation} and {@link Loss} constants serve only as names here: the formulas are written out
 * again, so that the on-heap engines check the off-heap engine's numerics instead of sharing them. They are
 * the same formulas, with the same NaN behaviour: {@code g(NaN)} is NaN for every activation, and a NaN logit
 * makes its row's cross-entropy NaN.
 *
 * <p>Nothing here allocates.
 */
final class Elementwise {

    /** Slope of leaky ReLU for negative inputs, the same 0.01 as the off-heap engine and PyTorch's default. */
    static final double LEAKY_RELU_SLOPE = 0.01;

    private Elementwise() {
    }

    /**
     * Adds the bias to every row of z and applies g: {@code z[i][j] += bias[j]; a[i][j] = g(z[i][j])}.
     *
     * @param z    modified: {@code rows x cols}, the pre-activations, bias added
     * @param bias not modified: {@code cols} doubles from {@code biasOffset}
     * @param a    modified: {@code rows x cols}, the activations; may be z itself when g is the identity
     */
    static void addBiasAndActivate(Activation activation, double[] z, double[] bias, int biasOffset, double[] a,
                                   int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                z[row + j] += bias[biasOffset + j];
            }
            switch (activation) {
                case IDENTITY -> {
                    if (a != z) {
                        System.arraycopy(z, row, a, row, cols);
                    }
                }
                case SIGMOID -> {
                    for (int j = row; j < row + cols; j++) {
                        a[j] = 1.0 / (1.0 + Math.exp(-z[j]));
                    }
                }
                case TANH -> {
                    for (int j = row; j < row + cols; j++) {
                        a[j] = Math.tanh(z[j]);
                    }
                }
                case RELU -> {
                    for (int j = row; j < row + cols; j++) {
                        // A comparison with NaN is false, so NaN passes through
                        a[j] = z[j] < 0.0 ? 0.0 : z[j];
                    }
                }
                case LEAKY_RELU -> {
                    for (int j = row; j < row + cols; j++) {
                        a[j] = z[j] < 0.0 ? LEAKY_RELU_SLOPE * z[j] : z[j];
                    }
                }
            }
        }
    }

    /**
     * Multiplies the errors by the derivative of g: {@code delta[i] *= g'(z[i])}, where g' comes from a for
     * sigmoid ({@code a (1 − a)}) and tanh ({@code 1 − a²}) and from the sign of z for the ReLUs.
     *
     * @param z     not modified: {@code count} pre-activations
     * @param a     not modified: {@code count} activations {@code g(z)}
     * @param delta modified: {@code count} errors
     */
    static void multiplyByDerivative(Activation activation, double[] z, double[] a, double[] delta, int count) {
        switch (activation) {
            case IDENTITY -> {
            }
            case SIGMOID -> {
                for (int i = 0; i < count; i++) {
                    delta[i] *= a[i] * (1.0 - a[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < count; i++) {
                    delta[i] *= 1.0 - a[i] * a[i];
                }
            }
            case RELU -> {
                for (int i = 0; i < count; i++) {
                    delta[i] *= z[i] > 0.0 ? 1.0 : 0.0;
                }
            }
            case LEAKY_RELU -> {
                for (int i = 0; i < count; i++) {
                    delta[i] *= z[i] > 0.0 ? 1.0 : LEAKY_RELU_SLOPE;
                }
            }
        }
    }

    /** Returns {@code g'(z)} for one element, given z and {@code a = g(z)}; see {@link #multiplyByDerivative}. */
    private static double derivative(Activation activation, double z, double a) {
        return switch (activation) {
            case IDENTITY -> 1.0;
            case SIGMOID -> a * (1.0 - a);
            case TANH -> 1.0 - a * a;
            case RELU -> z > 0.0 ? 1.0 : 0.0;
            case LEAKY_RELU -> z > 0.0 ? 1.0 : LEAKY_RELU_SLOPE;
        };
    }

    /**
     * Computes the mean loss of a batch and, when {@code delta} is not null, the output error
     * {@code δ = ∂L/∂Z}.
     *
     * <ul>
     *   <li>Softmax cross-entropy from logits z: {@code L = (1/B) Σᵢ (log Σₖ e^{z_ik − mᵢ} − (z_{i,yᵢ} − mᵢ))}
     *       with {@code mᵢ} the row maximum, and {@code δ = (softmax(z) − onehot(y)) / B}.</li>
     *   <li>Mean squared error against one-hot targets: {@code L = (1/(B·K)) Σᵢ Σₖ (a_ik − onehot(yᵢ)_k)²} and
     *       {@code δ = 2 (a − onehot(y)) ⊙ g'(z) / (B·K)}.</li>
     * </ul>
     *
     * @param z      not modified: {@code batch x classes} output pre-activations
     * @param a      not modified: {@code batch x classes} output activations (z itself for the identity)
     * @param labels not modified: {@code batch} class indices
     * @param delta  modified unless null: {@code batch x classes}
     * @throws IllegalArgumentException if a label is outside {@code [0, classes)}
     */
    static double lossAndDelta(Loss loss, Activation outputActivation, double[] z, double[] a, int[] labels,
                               int batch, int classes, double[] delta) {
        return switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> softmaxCrossEntropy(z, labels, batch, classes, delta);
            case MEAN_SQUARED_ERROR -> meanSquaredError(outputActivation, z, a, labels, batch, classes, delta);
        };
    }

    private static double softmaxCrossEntropy(double[] z, int[] labels, int batch, int classes, double[] delta) {
        double sum = 0.0;
        double inverseBatch = 1.0 / batch;
        for (int i = 0; i < batch; i++) {
            int row = i * classes;
            int label = checkedLabel(labels, i, classes);

            // Shift by the row maximum, so e^{z − m} lies in (0, 1] and cannot overflow
            double max = Double.NEGATIVE_INFINITY;
            for (int k = row; k < row + classes; k++) {
                if (z[k] > max || Double.isNaN(z[k])) {
                    max = z[k];
                }
            }
            double expSum = 0.0;
            for (int k = row; k < row + classes; k++) {
                expSum += Math.exp(z[k] - max);
            }
            sum += Math.log(expSum) - (z[row + label] - max);

            if (delta != null) {
                for (int k = 0; k < classes; k++) {
                    double probability = Math.exp(z[row + k] - max) / expSum;
                    delta[row + k] = (probability - (k == label ? 1.0 : 0.0)) * inverseBatch;
                }
            }
        }
        return sum * inverseBatch;
    }

    private static double meanSquaredError(Activation outputActivation, double[] z, double[] a, int[] labels,
                                           int batch, int classes, double[] delta) {
        double sum = 0.0;
        double count = (double) batch * classes;
        for (int i = 0; i < batch; i++) {
            int row = i * classes;
            int label = checkedLabel(labels, i, classes);
            for (int k = 0; k < classes; k++) {
                double difference = a[row + k] - (k == label ? 1.0 : 0.0);
                sum += difference * difference;
                if (delta != null) {
                    delta[row + k] = 2.0 * difference * derivative(outputActivation, z[row + k], a[row + k]) / count;
                }
            }
        }
        return sum / count;
    }

    /** Writes the column sums of the {@code rows x cols} matrix m into {@code sums[offset ..]}: {@code ∂b = δᵀ·1}. */
    static void columnSums(double[] m, int rows, int cols, double[] sums, int offset) {
        java.util.Arrays.fill(sums, offset, offset + cols, 0.0);
        for (int i = 0; i < rows; i++) {
            int row = i * cols;
            for (int j = 0; j < cols; j++) {
                sums[offset + j] += m[row + j];
            }
        }
    }

    /** Takes one SGD step over {@code count} doubles from {@code offset}: {@code θ ← θ − lr·g}. */
    static void sgdStep(double learningRate, double[] gradients, double[] parameters, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            parameters[i] -= learningRate * gradients[i];
        }
    }

    /**
     * Returns {@code labels[i]}.
     *
     * @throws IllegalArgumentException if it is outside {@code [0, classes)}
     */
    private static int checkedLabel(int[] labels, int i, int classes) {
        int label = labels[i];
        if (label < 0 || label >= classes) {
            throw new IllegalArgumentException("label " + label + " of sample " + i + " is invalid: labels must be in [0, "
                    + classes + ") for " + classes + " outputs");
        }
        return label;
    }
}
