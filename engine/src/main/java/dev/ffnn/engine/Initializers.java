package dev.ffnn.engine;

import java.util.Locale;
import java.util.function.DoubleSupplier;
import java.util.random.RandomGenerator;

/**
 * The weight initializers and their command-line names.
 *
 * <p>Names with arguments are written {@code name:arg:arg}: {@code constant:VALUE},
 * {@code uniform:LOW:HIGH} and {@code normal:MEAN:STD}. Without arguments {@code uniform} draws from
 * {@code [-0.05, 0.05)} and {@code normal} from {@code N(0, 0.05²)}, the defaults of Keras's
 * {@code RandomUniform} and {@code RandomNormal}.
 */
public final class Initializers {

    /** The names {@link #parse} accepts, with argument syntax where there is one. */
    public static final String ALLOWED_NAMES = "zeros, constant:VALUE, uniform[:LOW:HIGH], normal[:MEAN:STD], "
            + "lecun-normal, xavier-normal, xavier-uniform, he-normal, he-uniform";

    /** Bound of {@code uniform} without arguments. */
    public static final double DEFAULT_UNIFORM_BOUND = 0.05;
    /** Standard deviation of {@code normal} without arguments. */
    public static final double DEFAULT_NORMAL_STD = 0.05;

    private Initializers() {
    }

    /** Returns an initializer that sets every weight to 0; the hidden weights of a tanh or ReLU network then never change. */
    public static Initializer zeros() {
        return constant(0.0, "zeros");
    }

    /** Returns an initializer that sets every weight to {@code value}; a layer's neurons then stay identical, so it acts as one. */
    public static Initializer constant(double value) {
        requireFinite("constant value", value);
        return constant(value, "constant:" + value);
    }

    /** Returns an initializer that draws uniformly from {@code [low, high)}: mean {@code (low + high) / 2}, variance {@code (high − low)² / 12}. */
    public static Initializer uniform(double low, double high) {
        requireFinite("uniform low", low);
        requireFinite("uniform high", high);
        if (!(low < high)) {
            throw new IllegalArgumentException("uniform bounds [" + low + ", " + high + ") are invalid: low must be < high");
        }
        if (!Double.isFinite(high - low)) {
            throw new IllegalArgumentException("uniform bounds [" + low + ", " + high
                    + ") are invalid: the width high − low overflows a double");
        }
        return of("uniform:" + low + ":" + high, (weights, random) -> fillWith(weights, () -> random.nextDouble(low, high)));
    }

    /** Returns an initializer that draws from the normal distribution {@code N(mean, std²)}. */
    public static Initializer normal(double mean, double std) {
        requireFinite("normal mean", mean);
        requireFinite("normal std", std);
        if (std < 0) {
            throw new IllegalArgumentException("normal std " + std + " is invalid: it must be >= 0");
        }
        return of("normal:" + mean + ":" + std, (weights, random) -> fillWith(weights, () -> mean + std * random.nextGaussian()));
    }

    /**
     * LeCun normal: {@code N(0, 1/fanIn)}, which keeps the variance of pre-activations level for linear or
     * tanh-like units (LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998).
     */
    public static Initializer lecunNormal() {
        return of("lecun-normal", (weights, random) -> {
            double std = Math.sqrt(1.0 / fanIn(weights));
            fillWith(weights, () -> std * random.nextGaussian());
        });
    }

    /**
     * Xavier (Glorot) normal: {@code N(0, 2/(fanIn + fanOut))}, the harmonic mean of the forward condition
     * {@code 1/fanIn} and the backward condition {@code 1/fanOut} (Glorot and Bengio, "Understanding the
     * difficulty of training deep feedforward neural networks", AISTATS 2010).
     */
    public static Initializer xavierNormal() {
        return of("xavier-normal", (weights, random) -> {
            double std = Math.sqrt(2.0 / (fanIn(weights) + fanOut(weights)));
            fillWith(weights, () -> std * random.nextGaussian());
        });
    }

    /** Xavier (Glorot) uniform: {@code U[-r, r)} with {@code r = √(6/(fanIn + fanOut))}, so the variance is {@code 2/(fanIn + fanOut)}. */
    public static Initializer xavierUniform() {
        return of("xavier-uniform", (weights, random) -> {
            double bound = Math.sqrt(6.0 / (fanIn(weights) + fanOut(weights)));
            fillWith(weights, () -> random.nextDouble(-bound, bound));
        });
    }

    /**
     * He (Kaiming) normal, fan-in mode, for ReLU: {@code N(0, 2/fanIn)} (He, Zhang, Ren and Sun, "Delving
     * Deep into Rectifiers", ICCV 2015).
     */
    public static Initializer heNormal() {
        return of("he-normal", (weights, random) -> {
            double std = Math.sqrt(2.0 / fanIn(weights));
            fillWith(weights, () -> std * random.nextGaussian());
        });
    }

    /** He (Kaiming) uniform, fan-in mode, for ReLU: {@code U[-r, r)} with {@code r = √(6/fanIn)}, variance {@code 2/fanIn}. */
    public static Initializer heUniform() {
        return of("he-uniform", (weights, random) -> {
            double bound = Math.sqrt(6.0 / fanIn(weights));
            fillWith(weights, () -> random.nextDouble(-bound, bound));
        });
    }

    /**
     * Returns the initializer a command-line name stands for.
     *
     * @throws IllegalArgumentException naming the value and {@link #ALLOWED_NAMES}
     */
    public static Initializer parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        String name = parts[0].toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (name) {
            case "zeros" -> withoutArguments(spec, parts, zeros());
            case "constant" -> constant(argument(spec, parts, 1, 1));
            case "uniform" -> parts.length == 1
                    ? uniform(-DEFAULT_UNIFORM_BOUND, DEFAULT_UNIFORM_BOUND)
                    : uniform(argument(spec, parts, 2, 1), argument(spec, parts, 2, 2));
            case "normal" -> parts.length == 1
                    ? normal(0.0, DEFAULT_NORMAL_STD)
                    : normal(argument(spec, parts, 2, 1), argument(spec, parts, 2, 2));
            case "lecun-normal" -> withoutArguments(spec, parts, lecunNormal());
            case "xavier-normal", "glorot-normal" -> withoutArguments(spec, parts, xavierNormal());
            case "xavier-uniform", "glorot-uniform" -> withoutArguments(spec, parts, xavierUniform());
            case "he-normal", "kaiming-normal" -> withoutArguments(spec, parts, heNormal());
            case "he-uniform", "kaiming-uniform" -> withoutArguments(spec, parts, heUniform());
            default -> throw new IllegalArgumentException("unknown initializer '" + spec + "'; allowed: " + ALLOWED_NAMES);
        };
    }

    private static Initializer withoutArguments(String spec, String[] parts, Initializer initializer) {
        if (parts.length != 1) {
            throw new IllegalArgumentException("initializer '" + spec + "' takes no arguments; allowed: " + ALLOWED_NAMES);
        }
        return initializer;
    }

    /** Parses argument {@code index} (1-based) of a spec that must have exactly {@code count} arguments. */
    private static double argument(String spec, String[] parts, int count, int index) {
        if (parts.length - 1 != count) {
            throw new IllegalArgumentException("initializer '" + spec + "' takes " + count + " argument(s) but got "
                    + (parts.length - 1) + "; allowed: " + ALLOWED_NAMES);
        }
        return number(spec, parts[index]);
    }

    private static double number(String spec, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initializer '" + spec + "': '" + text + "' is not a number", e);
        }
    }

    /** Returns the fan-in ({@code weights.rows()}), rejecting 0 so no scale becomes infinite. */
    static int fanIn(RowMajorMatrix weights) {
        if (weights.rows() == 0) {
            throw new IllegalArgumentException("fan-in is 0 for a " + weights.rows() + " x " + weights.cols()
                    + " weight matrix: a layer needs at least one input");
        }
        return weights.rows();
    }

    /** Returns the fan-out ({@code weights.cols()}), rejecting 0. */
    static int fanOut(RowMajorMatrix weights) {
        if (weights.cols() == 0) {
            throw new IllegalArgumentException("fan-out is 0 for a " + weights.rows() + " x " + weights.cols()
                    + " weight matrix: a layer needs at least one output");
        }
        return weights.cols();
    }

    private static void requireFinite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " " + value + " is invalid: it must be a finite number");
        }
    }

    private static Initializer constant(double value, String name) {
        return of(name, (weights, random) -> weights.fill(value));
    }

    /** Writes values in row-major order, so a given generator state always fills the same elements. */
    private static void fillWith(RowMajorMatrix weights, DoubleSupplier values) {
        for (int i = 0; i < weights.rows(); i++) {
            for (int j = 0; j < weights.cols(); j++) {
                weights.set(i, j, values.getAsDouble());
            }
        }
    }

    private static Initializer of(String name, Filler filler) {
        return new Initializer() {
            @Override
            public void fill(RowMajorMatrix weights, RandomGenerator random) {
                filler.fill(weights, random);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @FunctionalInterface
    private interface Filler {
        void fill(RowMajorMatrix weights, RandomGenerator random);
    }
}
