package dev.ffnn.engine;

import java.util.Locale;

/**
 * The variance-scaling family: weights with mean 0 and variance {@code scale / n}, where n is the fan-in, the
 * fan-out or their mean, drawn from a normal, a truncated normal or a uniform law. LeCun, Xavier/Glorot and
 * He/Kaiming initialization are cases of it (the scheme and its name follow Keras's {@code VarianceScaling}).
 *
 * <ul>
 *   <li>normal: {@code N(0, scale/n)};</li>
 *   <li>truncated normal: a normal with standard deviation {@code √(scale/n) / c} truncated to ±2 of its own
 *       standard deviations and re-drawn outside them, where {@code c = 0.87962566…} is the standard deviation of
 *       N(0, 1) truncated to [−2, 2]. The variance after truncation is then exactly {@code scale/n};</li>
 *   <li>uniform: {@code U[−r, r)} with {@code r = √(3·scale/n)}, whose variance {@code r²/3} is {@code scale/n}.</li>
 * </ul>
 *
 * <p>Weights are {@code W[fanIn x fanOut]}, so fan-in is the number of rows (see {@link Initializer}).
 */
public final class VarianceScaling {

    /** The fan that divides the scale. */
    public enum Mode {
        /** n = fan-in: keeps the variance of activations level in the forward pass. */
        FAN_IN("fan-in"),
        /** n = fan-out: keeps the variance of errors level in the backward pass. */
        FAN_OUT("fan-out"),
        /** n = (fan-in + fan-out)/2: the compromise of Glorot and Bengio (2010). */
        FAN_AVG("fan-avg");

        private final String cliName;

        Mode(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /** Returns n for a {@code fanIn x fanOut} layer, rejecting a fan of 0 whichever fan n uses. */
        double fan(int fanIn, int fanOut) {
            Initializers.requireFanIn(fanIn, fanOut);
            Initializers.requireFanOut(fanIn, fanOut);
            return switch (this) {
                case FAN_IN -> fanIn;
                case FAN_OUT -> fanOut;
                case FAN_AVG -> (fanIn + (double) fanOut) / 2;
            };
        }

        /**
         * Returns the mode with the given name.
         *
         * @throws IllegalArgumentException naming the value and the allowed names
         */
        public static Mode parse(String text) {
            String key = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Mode mode : values()) {
                if (mode.cliName.equals(key)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("fan mode '" + text + "' is invalid; allowed: fan-in, fan-out, fan-avg");
        }
    }

    /** The law the weights are drawn from. */
    public enum Family {
        NORMAL("normal"),
        TRUNCATED_NORMAL("truncated-normal"),
        UNIFORM("uniform");

        private final String cliName;

        Family(String cliName) {
            this.cliName = cliName;
        }

        public String cliName() {
            return cliName;
        }

        /**
         * Returns the family with the given name.
         *
         * @throws IllegalArgumentException naming the value and the allowed names
         */
        public static Family parse(String text) {
            String key = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Family family : values()) {
                if (family.cliName.equals(key)) {
                    return family;
                }
            }
            throw new IllegalArgumentException("distribution '" + text + "' is invalid; allowed: normal, truncated-normal, uniform");
        }
    }

    /** Truncation bound of the truncated family, in standard deviations of the normal before truncation. */
    public static final double TRUNCATION_BOUND = 2.0;

    /**
     * Standard deviation of N(0, 1) truncated to [−2, 2], {@code √(1 − 4φ(2)/(Φ(2) − Φ(−2)))} ≈ 0.8796, by
     * which the truncated family divides its standard deviation.
     */
    public static final double TRUNCATED_STD_FACTOR =
            StandardNormal.truncated(0, 1, -TRUNCATION_BOUND, TRUNCATION_BOUND).std();

    private static final double TRUNCATED_MASS = StandardNormal.mass(-TRUNCATION_BOUND, TRUNCATION_BOUND);

    private VarianceScaling() {
    }

    /**
     * Returns the initializer with variance {@code scale / n}.
     *
     * @param name the command-line name it reports, such as {@code he-normal}
     * @throws IllegalArgumentException if the scale is not a finite number > 0
     */
    public static Initializer of(String name, double scale, Mode mode, Family family) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("variance scale " + scale + " is invalid: it must be a finite number > 0");
        }
        return new ElementwiseInitializer(name, (fanIn, fanOut) -> {
            double variance = scale / mode.fan(fanIn, fanOut);
            return switch (family) {
                case NORMAL -> {
                    double std = Math.sqrt(variance);
                    yield new ElementwiseInitializer.Law(Distribution.normal(0, std), random -> std * random.nextGaussian());
                }
                case TRUNCATED_NORMAL -> {
                    double std = Math.sqrt(variance) / TRUNCATED_STD_FACTOR;
                    yield new ElementwiseInitializer.Law(
                            StandardNormal.truncated(0, std, -TRUNCATION_BOUND, TRUNCATION_BOUND),
                            random -> std * StandardNormal.sampleTruncated(random, -TRUNCATION_BOUND, TRUNCATION_BOUND, TRUNCATED_MASS));
                }
                case UNIFORM -> {
                    double bound = Math.sqrt(3 * variance);
                    yield new ElementwiseInitializer.Law(Distribution.uniform(-bound, bound), random -> random.nextDouble(-bound, bound));
                }
            };
        });
    }

    /** Returns the canonical name {@code variance-scaling:SCALE:MODE:DISTRIBUTION}. */
    static String name(double scale, Mode mode, Family family) {
        return "variance-scaling:" + scale + ":" + mode.cliName() + ":" + family.cliName();
    }
}
