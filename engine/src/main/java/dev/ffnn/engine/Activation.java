package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Elementwise activation functions {@code a = g(z)} and their derivatives.
 *
 * <p>Each function propagates NaN: {@code g(NaN)} is NaN, so a diverging run cannot hide behind a ReLU
 * ({@code max(0, NaN)} here is NaN, not 0).
 */
public enum Activation {
    /** {@code g(z) = z}. */
    IDENTITY("identity"),
    /** {@code g(z) = 1 / (1 + e^-z)}, with {@code g'(z) = a (1 - a)}. */
    SIGMOID("sigmoid"),
    /** {@code g(z) = tanh(z)}, with {@code g'(z) = 1 - a²}. */
    TANH("tanh"),
    /** {@code g(z) = max(0, z)}, with {@code g'(z) = 1} for {@code z > 0} and 0 otherwise. */
    RELU("relu"),
    /** {@code g(z) = z} for {@code z > 0} and {@link #LEAKY_RELU_SLOPE}{@code · z} otherwise. */
    LEAKY_RELU("leaky-relu");

    /** Slope of {@link #LEAKY_RELU} for negative inputs; 0.01 as in PyTorch's {@code LeakyReLU} default. */
    public static final double LEAKY_RELU_SLOPE = 0.01;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final String cliName;

    Activation(String cliName) {
        this.cliName = cliName;
    }

    /** Returns the name used on the command line and in files, such as {@code leaky-relu}. */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns the activation with the given command-line name (case-insensitive; {@code _} is read as {@code -}).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static Activation parse(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Activation activation : values()) {
            if (activation.cliName.equals(key)) {
                return activation;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "'; allowed: " + allowedNames());
    }

    /** Returns the command-line names, comma-separated. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(Activation::cliName).collect(Collectors.joining(", "));
    }

    /**
     * Adds the bias to every row of z and applies g: {@code z[i][j] += bias[j]; a[i][j] = g(z[i][j])}.
     *
     * <p>Both matrices are packed {@code rows x cols}; a may be the same segment as z.
     *
     * @param z    modified: the pre-activations, bias added
     * @param bias not modified: {@code cols} doubles
     * @param a    modified: the activations
     */
    public void addBiasAndApply(MemorySegment z, MemorySegment bias, MemorySegment a, int rows, int cols) {
        if (this == RELU) {
            addBiasAndApplyRelu(z, bias, a, rows, cols);
            return;
        }
        for (int i = 0; i < rows; i++) {
            long rowStart = (long) i * cols;
            for (int j = 0; j < cols; j++) {
                long index = rowStart + j;
                double value = z.getAtIndex(DOUBLE, index) + bias.getAtIndex(DOUBLE, j);
                z.setAtIndex(DOUBLE, index, value);
                a.setAtIndex(DOUBLE, index, apply(value));
            }
        }
    }

    /** Returns {@code g(z)} for one value. */
    public double apply(double z) {
        return switch (this) {
            case IDENTITY -> z;
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-z));
            case TANH -> Math.tanh(z);
            case RELU -> z < 0.0 ? 0.0 : z;
            case LEAKY_RELU -> z < 0.0 ? LEAKY_RELU_SLOPE * z : z;
        };
    }

    /** Returns {@code g'(z)} given both the input z and the output {@code a = g(z)}. */
    public double derivative(double z, double a) {
        return switch (this) {
            case IDENTITY -> 1.0;
            case SIGMOID -> a * (1.0 - a);
            case TANH -> 1.0 - a * a;
            case RELU -> z > 0.0 ? 1.0 : 0.0;
            case LEAKY_RELU -> z > 0.0 ? 1.0 : LEAKY_RELU_SLOPE;
        };
    }

    /**
     * Multiplies the errors by the derivative: {@code delta[i] *= g'(z[i])} over {@code count} elements.
     *
     * @param z     not modified: the pre-activations
     * @param a     not modified: the activations {@code g(z)}
     * @param delta modified
     */
    public void multiplyByDerivative(MemorySegment z, MemorySegment a, MemorySegment delta, long count) {
        if (this == IDENTITY) {
            return;
        }
        if (this == RELU) {
            multiplyByReluDerivative(z, delta, count);
            return;
        }
        for (long i = 0; i < count; i++) {
            double d = delta.getAtIndex(DOUBLE, i);
            delta.setAtIndex(DOUBLE, i, d * derivative(z.getAtIndex(DOUBLE, i), a.getAtIndex(DOUBLE, i)));
        }
    }

    /** Computes {@link #addBiasAndApply} for ReLU with {@link #relu}, which has no branch. */
    private static void addBiasAndApplyRelu(MemorySegment z, MemorySegment bias, MemorySegment a, int rows, int cols) {
        for (int i = 0; i < rows; i++) {
            long rowStart = (long) i * cols;
            for (int j = 0; j < cols; j++) {
                long index = rowStart + j;
                double value = z.getAtIndex(DOUBLE, index) + bias.getAtIndex(DOUBLE, j);
                z.setAtIndex(DOUBLE, index, value);
                a.setAtIndex(DOUBLE, index, relu(value));
            }
        }
    }

    /**
     * Returns {@code z < 0 ? 0.0 : z}, bit for bit (−0 and NaN pass through), by masking the bits instead of
     * branching on the sign, which is close to random in a trained layer.
     */
    static double relu(double z) {
        long bits = Double.doubleToRawLongBits(z);
        // z < 0 exactly when the sign bit is set and |z| is neither 0 nor NaN
        long negative = positiveBitsIndicator(bits & Long.MAX_VALUE) & (bits >>> 63);
        return Double.longBitsToDouble(bits & (negative - 1));
    }

    /**
     * Computes {@code delta[i] *= (z[i] > 0 ? 1 : 0)} without a branch. The sign of trained pre-activations is
     * close to random, so a branch here is mispredicted about every other element.
     */
    private static void multiplyByReluDerivative(MemorySegment z, MemorySegment delta, long count) {
        for (long i = 0; i < count; i++) {
            // z > 0 exactly when its bits, as a signed long, lie in [1, bits of +∞]: that excludes −0, negatives and NaN
            long greaterThanZero = positiveBitsIndicator(Double.doubleToRawLongBits(z.getAtIndex(DOUBLE, i)));
            delta.setAtIndex(DOUBLE, i, delta.getAtIndex(DOUBLE, i) * (double) greaterThanZero);
        }
    }

    private static final long POSITIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

    /** Returns 1 when {@code 1 <= bits <= bits of +∞} and 0 otherwise, with shifts instead of a comparison. */
    static long positiveBitsIndicator(long bits) {
        long x = bits - 1;
        // Reads x >= 0 and x − (bits of +∞) < 0 from the sign bits. The subtraction cannot overflow for x >= 0
        return (~x & (x - POSITIVE_INFINITY_BITS)) >>> 63;
    }

    /** Returns true when {@link #apply} is the identity, so the activations can share the pre-activations' buffer. */
    public boolean isIdentity() {
        return this == IDENTITY;
    }

    @Override
    public String toString() {
        return cliName;
    }
}
