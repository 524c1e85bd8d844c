package dev.ffnn.engine;

import java.util.Locale;

/**
 * The recommended gain of each activation: the factor by which an initializer's standard deviation is scaled so
 * the variance of activations stays level through depth. These are the values of PyTorch's
 * {@code torch.nn.init.calculate_gain}.
 *
 * <ul>
 *   <li>identity and sigmoid: 1;</li>
 *   <li>tanh: 5/3, PyTorch's value. A gain above 1 offsets the slope of tanh, which is below 1 away from 0;</li>
 *   <li>ReLU: √2, because ReLU zeroes half of a symmetric input and so halves its second moment (He, Zhang, Ren
 *       and Sun, "Delving Deep into Rectifiers", ICCV 2015);</li>
 *   <li>leaky ReLU with negative slope a: √(2 / (1 + a²)), the same argument with the negative half kept at
 *       slope a (He et al. 2015);</li>
 *   <li>SELU: 3/4, PyTorch's choice for self-normalizing networks. ffnn has no SELU activation, so this gain is
 *       only in this table and in {@link #parse}.</li>
 * </ul>
 */
public final class Gain {

    /** Gain of identity and sigmoid. */
    public static final double LINEAR = 1.0;
    /** Gain of tanh. */
    public static final double TANH = 5.0 / 3.0;
    /** Gain of ReLU, √2. */
    public static final double RELU = Math.sqrt(2.0);
    /** Gain of SELU. */
    public static final double SELU = 0.75;

    /** The names {@link #parse} accepts beside a number. */
    public static final String ALLOWED_NAMES = "identity, sigmoid, tanh, relu, leaky-relu, selu, or a number";

    private Gain() {
    }

    /** Returns the gain of {@code activation}, for leaky ReLU with {@link Activation#LEAKY_RELU_SLOPE}. */
    public static double of(Activation activation) {
        return switch (activation) {
            case IDENTITY, SIGMOID -> LINEAR;
            case TANH -> TANH;
            case RELU -> RELU;
            case LEAKY_RELU -> leakyRelu(Activation.LEAKY_RELU_SLOPE);
        };
    }

    /**
     * Returns √(2 / (1 + slope²)), the gain of a leaky ReLU with negative slope {@code slope}.
     *
     * @throws IllegalArgumentException if the slope is not finite
     */
    public static double leakyRelu(double slope) {
        if (!Double.isFinite(slope)) {
            throw new IllegalArgumentException("leaky ReLU slope " + slope + " is invalid: it must be a finite number");
        }
        return Math.sqrt(2.0 / (1.0 + slope * slope));
    }

    /**
     * Returns the gain a name stands for: an activation name ({@code tanh}, {@code selu}, ...) or a number.
     *
     * @throws IllegalArgumentException naming the value and {@link #ALLOWED_NAMES}, or if a number is not finite
     *                                  and positive
     */
    public static double parse(String text) {
        String key = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (key.equals("selu")) {
            return SELU;
        }
        for (Activation activation : Activation.values()) {
            if (activation.cliName().equals(key)) {
                return of(activation);
            }
        }
        double gain;
        try {
            gain = Double.parseDouble(key);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gain '" + text + "' is invalid; allowed: " + ALLOWED_NAMES, e);
        }
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("gain " + text + " is invalid: it must be a finite number > 0");
        }
        return gain;
    }
}
