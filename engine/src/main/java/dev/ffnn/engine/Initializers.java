package dev.ffnn.engine;

import dev.ffnn.engine.VarianceScaling.Family;
import dev.ffnn.engine.VarianceScaling.Mode;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * The weight and bias initializers and their command-line names.
 *
 * <p>Names with arguments are written {@code name:arg:arg}, such as {@code uniform:-0.1:0.1} or
 * {@code he-normal:fan-out:0.01}; {@link #ALLOWED_NAMES} lists them all. Without arguments {@code uniform} draws
 * from {@code [-0.05, 0.05)} and {@code normal} from {@code N(0, 0.05²)}, the defaults of Keras's
 * {@code RandomUniform} and {@code RandomNormal}.
 *
 * <p>Weights are {@code W[fanIn x fanOut]} (see {@link Initializer}): fan-in is the number of rows. Every scheme
 * that divides by a fan rejects a fan of 0 with an {@link IllegalArgumentException} rather than writing NaN or ∞.
 */
public final class Initializers {

    /** The names {@link #parse} accepts, with argument syntax where there is one. */
    public static final String ALLOWED_NAMES = "zeros, ones, constant:VALUE, uniform[:LOW:HIGH], normal[:MEAN:STD], "
            + "truncated-normal[:MEAN:STD[:A:B]] (A, B in standard deviations, default -2:2), "
            + "truncated-normal-absolute:MEAN:STD:LOW:HIGH, bernoulli:P, "
            + "lecun-normal, lecun-uniform, lecun-truncated-normal, xavier-normal, xavier-uniform, xavier-truncated-normal, "
            + "he-normal[:MODE[:SLOPE]], he-uniform[:MODE[:SLOPE]], he-truncated-normal[:MODE[:SLOPE]] (MODE fan-in or fan-out), "
            + "variance-scaling:SCALE:MODE:DISTRIBUTION (MODE fan-in, fan-out or fan-avg; DISTRIBUTION normal, "
            + "truncated-normal or uniform), orthogonal[:GAIN], identity[:GAIN] (GAIN a number or an activation name), "
            + "nguyen-widrow";

    /** Bound of {@code uniform} without arguments. */
    public static final double DEFAULT_UNIFORM_BOUND = 0.05;
    /** Standard deviation of {@code normal} without arguments. */
    public static final double DEFAULT_NORMAL_STD = 0.05;
    /** Truncation bounds of {@code truncated-normal} without bounds, in standard deviations. */
    public static final double DEFAULT_TRUNCATION = 2.0;

    private Initializers() {
    }

    /** Returns an initializer that sets every weight to 0, so the hidden weights of a tanh or ReLU network never change. */
    public static Initializer zeros() {
        return constant(0.0, "zeros");
    }

    /** Returns an initializer that sets every weight to 1. */
    public static Initializer ones() {
        return constant(1.0, "ones");
    }

    /** Returns an initializer that sets every weight to {@code value}, so a layer's neurons stay identical and act as one. */
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
        ElementwiseInitializer.Law law = new ElementwiseInitializer.Law(Distribution.uniform(low, high),
                random -> random.nextDouble(low, high));
        return new ElementwiseInitializer("uniform:" + low + ":" + high, (fanIn, fanOut) -> law);
    }

    /** Returns an initializer that draws from the normal distribution {@code N(mean, std²)}. */
    public static Initializer normal(double mean, double std) {
        requireFinite("normal mean", mean);
        requireNonNegativeStd("normal std", std);
        ElementwiseInitializer.Law law = new ElementwiseInitializer.Law(Distribution.normal(mean, std),
                random -> mean + std * random.nextGaussian());
        return new ElementwiseInitializer("normal:" + mean + ":" + std, (fanIn, fanOut) -> law);
    }

    /**
     * Returns {@code N(mean, std²)} truncated to {@code [mean + a·std, mean + b·std]}: values outside are re-drawn,
     * never clipped. The bounds a and b are in standard deviations of the normal before truncation, and absolute
     * bounds {@code low} and {@code high} convert to them as {@code a = (low − mean)/std}, {@code b = (high − mean)/std}
     * (see {@link #truncatedNormalAbsolute}). The variance after truncation is smaller than {@code std²}. For
     * {@code a = −b} it is {@code std²·(1 − 2bφ(b)/(Φ(b) − Φ(−b)))}, about {@code 0.774·std²} at b = 2.
     *
     * @throws IllegalArgumentException if {@code std ≤ 0}, {@code a ≥ b}, or the interval has probability 0
     *                                  in double precision
     */
    public static Initializer truncatedNormal(double mean, double std, double a, double b) {
        requireFinite("truncated normal mean", mean);
        requirePositiveStd("truncated normal std", std);
        requireBound("truncated normal lower bound", a);
        requireBound("truncated normal upper bound", b);
        double mass = StandardNormal.requireMass(a, b);
        ElementwiseInitializer.Law law = new ElementwiseInitializer.Law(StandardNormal.truncated(mean, std, a, b),
                random -> mean + std * StandardNormal.sampleTruncated(random, a, b, mass));
        String name = a == -DEFAULT_TRUNCATION && b == DEFAULT_TRUNCATION
                ? "truncated-normal:" + mean + ":" + std
                : "truncated-normal:" + mean + ":" + std + ":" + a + ":" + b;
        return new ElementwiseInitializer(name, (fanIn, fanOut) -> law);
    }

    /**
     * Returns {@code N(mean, std²)} truncated to the absolute interval {@code [low, high]}, the same as
     * {@link #truncatedNormal}{@code (mean, std, (low − mean)/std, (high − mean)/std)}.
     *
     * @throws IllegalArgumentException as {@link #truncatedNormal}
     */
    public static Initializer truncatedNormalAbsolute(double mean, double std, double low, double high) {
        requireFinite("truncated normal mean", mean);
        requirePositiveStd("truncated normal std", std);
        requireBound("truncated normal low", low);
        requireBound("truncated normal high", high);
        Initializer standardized = truncatedNormal(mean, std, (low - mean) / std, (high - mean) / std);
        String name = "truncated-normal-absolute:" + mean + ":" + std + ":" + low + ":" + high;
        return new ElementwiseInitializer(name, (fanIn, fanOut) -> lawOf(standardized, fanIn, fanOut));
    }

    /**
     * Returns a Bernoulli(p) mask: 1 with probability p, else 0, for sparse initialization (multiply it into other
     * weights, or use it as a 0/1 connectivity pattern). Mean p, variance {@code p(1 − p)}.
     *
     * @throws IllegalArgumentException if p is not in [0, 1]
     */
    public static Initializer bernoulli(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli probability " + p + " is invalid: it must be in [0, 1]");
        }
        ElementwiseInitializer.Law law = new ElementwiseInitializer.Law(Distribution.bernoulli(p),
                random -> random.nextDouble() < p ? 1.0 : 0.0);
        return new ElementwiseInitializer("bernoulli:" + p, (fanIn, fanOut) -> law);
    }

    /**
     * LeCun normal: {@code N(0, 1/fanIn)}, which keeps the variance of pre-activations level for linear or
     * tanh-like units (LeCun, Bottou, Orr and Müller, "Efficient BackProp", 1998).
     */
    public static Initializer lecunNormal() {
        return VarianceScaling.of("lecun-normal", 1, Mode.FAN_IN, Family.NORMAL);
    }

    /** LeCun uniform: {@code U[-r, r)} with {@code r = √(3/fanIn)}, variance {@code 1/fanIn}. */
    public static Initializer lecunUniform() {
        return VarianceScaling.of("lecun-uniform", 1, Mode.FAN_IN, Family.UNIFORM);
    }

    /** LeCun truncated normal: variance {@code 1/fanIn} after truncation at ±2 standard deviations (see {@link VarianceScaling}). */
    public static Initializer lecunTruncatedNormal() {
        return VarianceScaling.of("lecun-truncated-normal", 1, Mode.FAN_IN, Family.TRUNCATED_NORMAL);
    }

    /**
     * Xavier (Glorot) normal: {@code N(0, 2/(fanIn + fanOut))}, the harmonic mean of the forward condition
     * {@code 1/fanIn} and the backward condition {@code 1/fanOut} (Glorot and Bengio, "Understanding the
     * difficulty of training deep feedforward neural networks", AISTATS 2010).
     */
    public static Initializer xavierNormal() {
        return VarianceScaling.of("xavier-normal", 1, Mode.FAN_AVG, Family.NORMAL);
    }

    /** Xavier (Glorot) uniform: {@code U[-r, r)} with {@code r = √(6/(fanIn + fanOut))}, so the variance is {@code 2/(fanIn + fanOut)}. */
    public static Initializer xavierUniform() {
        return VarianceScaling.of("xavier-uniform", 1, Mode.FAN_AVG, Family.UNIFORM);
    }

    /** Xavier (Glorot) truncated normal: variance {@code 2/(fanIn + fanOut)} after truncation at ±2 standard deviations. */
    public static Initializer xavierTruncatedNormal() {
        return VarianceScaling.of("xavier-truncated-normal", 1, Mode.FAN_AVG, Family.TRUNCATED_NORMAL);
    }

    /**
     * He (Kaiming) normal, fan-in mode, for ReLU: {@code N(0, 2/fanIn)} (He, Zhang, Ren and Sun, "Delving
     * Deep into Rectifiers", ICCV 2015).
     */
    public static Initializer heNormal() {
        return he(Family.NORMAL, Mode.FAN_IN, 0.0);
    }

    /** He (Kaiming) uniform, fan-in mode, for ReLU: {@code U[-r, r)} with {@code r = √(6/fanIn)}, variance {@code 2/fanIn}. */
    public static Initializer heUniform() {
        return he(Family.UNIFORM, Mode.FAN_IN, 0.0);
    }

    /**
     * He (Kaiming) initialization for a leaky ReLU with negative slope a: variance {@code 2/((1 + a²)·n)}, where n
     * is the fan-in ({@code mode} {@link Mode#FAN_IN}, which preserves the forward variance) or the fan-out
     * ({@link Mode#FAN_OUT}, which preserves the backward variance). Slope 0 is plain ReLU (He et al. 2015).
     *
     * @throws IllegalArgumentException if the mode is {@link Mode#FAN_AVG} or the slope is not finite
     */
    public static Initializer he(Family family, Mode mode, double slope) {
        if (mode == Mode.FAN_AVG) {
            throw new IllegalArgumentException("He initialization takes mode fan-in or fan-out, not fan-avg;"
                    + " use variance-scaling for fan-avg");
        }
        double gain = Gain.leakyRelu(slope);
        String base = "he-" + family.cliName();
        String name = mode == Mode.FAN_IN && slope == 0 ? base : base + ":" + mode.cliName() + ":" + slope;
        return VarianceScaling.of(name, gain * gain, mode, family);
    }

    /**
     * Returns the general variance-scaling initializer, variance {@code scale/n}, as {@link VarianceScaling} describes.
     *
     * @throws IllegalArgumentException if the scale is not a finite number > 0
     */
    public static Initializer varianceScaling(double scale, Mode mode, Family family) {
        return VarianceScaling.of(VarianceScaling.name(scale, mode, family), scale, mode, family);
    }

    /**
     * Orthogonal with gain {@code gain}: orthonormal columns ({@code Wᵀ·W = gain²·I}) for {@code fanIn ≥ fanOut},
     * orthonormal rows ({@code W·Wᵀ = gain²·I}) otherwise (Saxe, McClelland and Ganguli, ICLR 2014).
     * {@link Gain} lists the gain of each activation.
     *
     * @throws IllegalArgumentException if the gain is not a finite number > 0
     */
    public static Initializer orthogonal(double gain) {
        return new OrthogonalInitializer(gain, gain == 1 ? "orthogonal" : "orthogonal:" + gain);
    }

    /**
     * Identity with gain {@code gain}: {@code gain} on the leading diagonal, 0 elsewhere.
     *
     * @throws IllegalArgumentException if the gain is not finite
     */
    public static Initializer identity(double gain) {
        return new IdentityInitializer(gain, gain == 1 ? "identity" : "identity:" + gain);
    }

    /** Nguyen-Widrow: each neuron's incoming weights scaled to norm {@code 0.7·fanOut^{1/fanIn}}, biases uniform in ±that norm. */
    public static Initializer nguyenWidrow() {
        return new NguyenWidrowInitializer();
    }

    /**
     * Returns the initializer a command-line name stands for (case-insensitive; {@code _} is read as {@code -}).
     *
     * @throws IllegalArgumentException naming the value and {@link #ALLOWED_NAMES}
     */
    public static Initializer parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        String name = parts[0].toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (name) {
            case "zeros" -> withoutArguments(spec, parts, zeros());
            case "ones" -> withoutArguments(spec, parts, ones());
            case "constant" -> constant(argument(spec, parts, 1, 1));
            case "uniform" -> parts.length == 1
                    ? uniform(-DEFAULT_UNIFORM_BOUND, DEFAULT_UNIFORM_BOUND)
                    : uniform(argument(spec, parts, 2, 1), argument(spec, parts, 2, 2));
            case "normal" -> parts.length == 1
                    ? normal(0.0, DEFAULT_NORMAL_STD)
                    : normal(argument(spec, parts, 2, 1), argument(spec, parts, 2, 2));
            case "truncated-normal" -> switch (parts.length) {
                case 1 -> truncatedNormal(0.0, DEFAULT_NORMAL_STD, -DEFAULT_TRUNCATION, DEFAULT_TRUNCATION);
                case 3 -> truncatedNormal(argument(spec, parts, 2, 1), argument(spec, parts, 2, 2),
                        -DEFAULT_TRUNCATION, DEFAULT_TRUNCATION);
                default -> truncatedNormal(argument(spec, parts, 4, 1), argument(spec, parts, 4, 2),
                        argument(spec, parts, 4, 3), argument(spec, parts, 4, 4));
            };
            case "truncated-normal-absolute" -> truncatedNormalAbsolute(argument(spec, parts, 4, 1),
                    argument(spec, parts, 4, 2), argument(spec, parts, 4, 3), argument(spec, parts, 4, 4));
            case "bernoulli" -> bernoulli(argument(spec, parts, 1, 1));
            case "lecun-normal" -> withoutArguments(spec, parts, lecunNormal());
            case "lecun-uniform" -> withoutArguments(spec, parts, lecunUniform());
            case "lecun-truncated-normal" -> withoutArguments(spec, parts, lecunTruncatedNormal());
            case "xavier-normal", "glorot-normal" -> withoutArguments(spec, parts, xavierNormal());
            case "xavier-uniform", "glorot-uniform" -> withoutArguments(spec, parts, xavierUniform());
            case "xavier-truncated-normal", "glorot-truncated-normal" -> withoutArguments(spec, parts, xavierTruncatedNormal());
            case "he-normal", "kaiming-normal" -> parseHe(spec, parts, Family.NORMAL);
            case "he-uniform", "kaiming-uniform" -> parseHe(spec, parts, Family.UNIFORM);
            case "he-truncated-normal", "kaiming-truncated-normal" -> parseHe(spec, parts, Family.TRUNCATED_NORMAL);
            case "variance-scaling" -> {
                requireArgumentCount(spec, parts, 3);
                yield varianceScaling(number(spec, parts[1]), Mode.parse(parts[2]), Family.parse(parts[3]));
            }
            case "orthogonal" -> orthogonal(parts.length == 1 ? 1.0 : gain(spec, parts));
            case "identity" -> identity(parts.length == 1 ? 1.0 : gain(spec, parts));
            case "nguyen-widrow" -> withoutArguments(spec, parts, nguyenWidrow());
            default -> throw new IllegalArgumentException("unknown initializer '" + spec + "'; allowed: " + ALLOWED_NAMES);
        };
    }

    /** Parses the MODE of a He initializer, which allows fan-in and fan-out only. */
    private static Mode heMode(String text) {
        Mode mode;
        try {
            mode = Mode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fan mode '" + text + "' is invalid; allowed: fan-in, fan-out", e);
        }
        return mode;
    }

    /** Parses {@code he-FAMILY[:MODE[:SLOPE]]}. */
    private static Initializer parseHe(String spec, String[] parts, Family family) {
        if (parts.length > 3) {
            throw new IllegalArgumentException("initializer '" + spec + "' takes at most 2 arguments (MODE and SLOPE)"
                    + " but got " + (parts.length - 1) + "; allowed: " + ALLOWED_NAMES);
        }
        try {
            Mode mode = parts.length > 1 ? heMode(parts[1]) : Mode.FAN_IN;
            double slope = parts.length > 2 ? number(spec, parts[2]) : 0.0;
            return he(family, mode, slope);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("initializer '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static double gain(String spec, String[] parts) {
        requireArgumentCount(spec, parts, 1);
        try {
            return Gain.parse(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("initializer '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static Initializer withoutArguments(String spec, String[] parts, Initializer initializer) {
        if (parts.length != 1) {
            throw new IllegalArgumentException("initializer '" + spec + "' takes no arguments; allowed: " + ALLOWED_NAMES);
        }
        return initializer;
    }

    /** Parses argument {@code index} (1-based) of a spec that must have exactly {@code count} arguments. */
    private static double argument(String spec, String[] parts, int count, int index) {
        requireArgumentCount(spec, parts, count);
        return number(spec, parts[index]);
    }

    private static void requireArgumentCount(String spec, String[] parts, int count) {
        if (parts.length - 1 != count) {
            throw new IllegalArgumentException("initializer '" + spec + "' takes " + count + " argument(s) but got "
                    + (parts.length - 1) + "; allowed: " + ALLOWED_NAMES);
        }
    }

    private static double number(String spec, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("initializer '" + spec + "': '" + text + "' is not a number", e);
        }
    }

    /** Returns {@code fanIn}, rejecting 0 so no scale becomes infinite. */
    static int requireFanIn(int fanIn, int fanOut) {
        if (fanIn == 0) {
            throw new IllegalArgumentException("fan-in is 0 for a " + fanIn + " x " + fanOut
                    + " weight matrix: a layer needs at least one input");
        }
        return fanIn;
    }

    /** Returns {@code fanOut}, rejecting 0. */
    static int requireFanOut(int fanIn, int fanOut) {
        if (fanOut == 0) {
            throw new IllegalArgumentException("fan-out is 0 for a " + fanIn + " x " + fanOut
                    + " weight matrix: a layer needs at least one output");
        }
        return fanOut;
    }

    /** Rejects a bias segment smaller than {@code fanOut} doubles. */
    static void requireBiasSize(MemorySegment bias, int fanOut) {
        if (fanOut < 0 || bias.byteSize() < (long) fanOut * Double.BYTES) {
            throw new IllegalArgumentException("bias segment of " + bias.byteSize() + " bytes is too small for "
                    + fanOut + " doubles");
        }
    }

    private static void requireFinite(String what, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " " + value + " is invalid: it must be a finite number");
        }
    }

    private static void requireNonNegativeStd(String what, double std) {
        requireFinite(what, std);
        if (std < 0) {
            throw new IllegalArgumentException(what + " " + std + " is invalid: it must be >= 0");
        }
    }

    private static void requirePositiveStd(String what, double std) {
        requireFinite(what, std);
        if (!(std > 0)) {
            throw new IllegalArgumentException(what + " " + std + " is invalid: it must be > 0");
        }
    }

    /** Accepts a finite bound or ±∞ (a one-sided truncation), rejecting NaN. */
    private static void requireBound(String what, double bound) {
        if (Double.isNaN(bound)) {
            throw new IllegalArgumentException(what + " NaN is invalid: give a number, or Infinity for no bound");
        }
    }

    private static ElementwiseInitializer.Law lawOf(Initializer elementwise, int fanIn, int fanOut) {
        ElementwiseInitializer source = (ElementwiseInitializer) elementwise;
        return source.law(fanIn, fanOut);
    }

    private static Initializer constant(double value, String name) {
        ElementwiseInitializer.Law law = new ElementwiseInitializer.Law(Distribution.constant(value), random -> value);
        return new ElementwiseInitializer(name, (fanIn, fanOut) -> law);
    }
}
