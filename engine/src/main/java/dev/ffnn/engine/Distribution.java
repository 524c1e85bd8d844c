package dev.ffnn.engine;

/**
 * The exact law of one element an initializer writes, for a given layer shape: its first, second and fourth
 * central moments and its support.
 *
 * <p>Tests compare sample moments against these values, and {@code ffnn init-study} prints the exact standard
 * deviation and bound beside the sampled ones.
 *
 * @param mean                the expected value
 * @param variance            {@code E[(x − mean)²]}
 * @param fourthCentralMoment {@code E[(x − mean)⁴]}, which sets the standard error of a sample variance, or NaN
 *                            where no closed form is known
 * @param lower               the smallest value the initializer can write, or {@code -∞}
 * @param upper               the largest value the initializer can write, or {@code +∞}
 */
public record Distribution(double mean, double variance, double fourthCentralMoment, double lower, double upper) {

    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException if the mean or variance is not finite, the variance is negative, or
     *                                  {@code lower > upper}
     */
    public Distribution {
        if (!Double.isFinite(mean) || !Double.isFinite(variance) || variance < 0) {
            throw new IllegalArgumentException("distribution with mean " + mean + " and variance " + variance
                    + " is invalid: both must be finite and the variance >= 0");
        }
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("support [" + lower + ", " + upper + "] is invalid: lower must be <= upper");
        }
    }

    /** Returns a point mass at {@code value}: variance 0, support {@code [value, value]}. */
    public static Distribution constant(double value) {
        return new Distribution(value, 0, 0, value, value);
    }

    /** Returns the uniform law on {@code [low, high)}: variance {@code (high − low)²/12}, μ₄ {@code (high − low)⁴/80}. */
    public static Distribution uniform(double low, double high) {
        double width = high - low;
        return new Distribution(low + width / 2, width * width / 12, Math.pow(width, 4) / 80, low, high);
    }

    /** Returns {@code N(mean, std²)}: μ₄ {@code 3σ⁴}, unbounded support. */
    public static Distribution normal(double mean, double std) {
        double variance = std * std;
        return new Distribution(mean, variance, 3 * variance * variance, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /** Returns {@code Bernoulli(p)} on {0, 1}: mean p, variance {@code pq}, μ₄ {@code pq(1 − 3pq)} with {@code q = 1 − p}. */
    public static Distribution bernoulli(double p) {
        double pq = p * (1 - p);
        return new Distribution(p, pq, pq * (1 - 3 * pq), p == 1 ? 1 : 0, p == 0 ? 0 : 1);
    }

    /** Returns the standard deviation, {@code √variance}. */
    public double std() {
        return Math.sqrt(variance);
    }

    /** Returns {@code max(|lower|, |upper|)}, the b of a support inside {@code [−b, b]}, or NaN for an unbounded support. */
    public double bound() {
        double bound = Math.max(Math.abs(lower), Math.abs(upper));
        return Double.isFinite(bound) ? bound : Double.NaN;
    }

    /**
     * Returns the standard error of the sample mean of {@code n} independent draws, {@code σ/√n}.
     */
    public double meanStandardError(long n) {
        return Math.sqrt(variance / n);
    }

    /**
     * Returns the standard error of the sample variance of {@code n} independent draws,
     * {@code √((μ₄ − σ⁴·(n − 3)/(n − 1)) / n)}, the exact variance of the unbiased estimator.
     */
    public double varianceStandardError(long n) {
        double sigma4 = variance * variance;
        return Math.sqrt((fourthCentralMoment - sigma4 * (n - 3.0) / (n - 1.0)) / n);
    }
}
