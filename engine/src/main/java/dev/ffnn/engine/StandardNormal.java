package dev.ffnn.engine;

import java.util.random.RandomGenerator;

/**
 * The standard normal distribution N(0, 1): density, tail probability, the exact moments of its truncation to
 * an interval, and an exact sampler for that truncation.
 *
 * <p>The tail probability comes from {@code erfc}, computed by the everywhere-convergent series
 * {@code erf(t) = (2/√π) e^{−t²} Σₙ 2ⁿ t^{2n+1} / (1·3·…·(2n+1))} below t = 2.5 and by the continued fraction
 * {@code erfc(t) = e^{−t²}/√π · 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …))))} above it. Neither sums terms of
 * opposite sign. Below t = 2.5, erfc is {@code 1 − erf}, which loses up to about 3e-13 relative accuracy just
 * below 2.5. The tests compare both against the C library's values.
 */
final class StandardNormal {

    private static final double SQRT_2 = Math.sqrt(2);
    private static final double SQRT_PI = Math.sqrt(Math.PI);
    private static final double INVERSE_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    /** Below this mass of the interval, plain rejection from N(0, 1) is slow and a tailored proposal takes over. */
    private static final double PLAIN_REJECTION_MINIMUM_MASS = 0.25;
    private static final int CONTINUED_FRACTION_TERMS = 80;

    private StandardNormal() {
    }

    /** Returns the density {@code φ(x) = e^{−x²/2}/√(2π)}, 0 at ±∞. */
    static double density(double x) {
        return Double.isInfinite(x) ? 0 : INVERSE_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Returns {@code Q(x) = P(X > x) = erfc(x/√2)/2}. */
    static double upperTail(double x) {
        if (x < 0) {
            return 1 - upperTail(-x);
        }
        return 0.5 * erfc(x / SQRT_2);
    }

    /** Returns {@code P(a ≤ X ≤ b)}, summing tails on the side where they are small so no precision is lost. */
    static double mass(double a, double b) {
        if (a >= 0) {
            return upperTail(a) - upperTail(b);
        }
        if (b <= 0) {
            return upperTail(-b) - upperTail(-a);
        }
        return 1 - upperTail(-a) - upperTail(b);
    }

    /** Returns {@code erf(t)} for t ≥ 0, by the positive-term series below t = 2.5 and from erfc above. */
    static double erf(double t) {
        if (t >= 2.5) {
            return 1 - erfc(t);
        }
        double twoTSquared = 2 * t * t;
        double term = t;
        double sum = t;
        for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
            term *= twoTSquared / (2 * n + 1);
            sum += term;
        }
        return 2 / SQRT_PI * Math.exp(-t * t) * sum;
    }

    /** Returns {@code erfc(t) = 1 − erf(t)} for t ≥ 0. */
    static double erfc(double t) {
        if (t < 2.5) {
            return 1 - erf(t);
        }
        if (t > 27.3) {
            return 0;
        }
        // Evaluated from the innermost level outwards: f = t + (k/2)/f
        double f = t;
        for (int k = CONTINUED_FRACTION_TERMS; k >= 1; k--) {
            f = t + (k / 2.0) / f;
        }
        return Math.exp(-t * t) / (SQRT_PI * f);
    }

    /**
     * Returns the exact law of {@code mean + std·X} with X standard normal conditioned on {@code a ≤ X ≤ b}.
     *
     * <p>With {@code Z = Φ(b) − Φ(a)}, the raw moments {@code m_k} of the truncated X follow
     * {@code m_k = (k − 1) m_{k−2} + (a^{k−1}φ(a) − b^{k−1}φ(b)) / Z} from {@code m₀ = 1},
     * {@code m₁ = (φ(a) − φ(b)) / Z} (integration by parts of {@code x^{k−1}·xφ(x)}). The variance is
     * {@code m₂ − m₁²} and the fourth central moment {@code m₄ − 4m₁m₃ + 6m₁²m₂ − 3m₁⁴}.
     *
     * @throws IllegalArgumentException if {@code a ≥ b} or the interval's probability underflows to 0
     */
    static Distribution truncated(double mean, double std, double a, double b) {
        double z = requireMass(a, b);
        double phiA = density(a);
        double phiB = density(b);
        double m1 = (phiA - phiB) / z;
        double m2 = 1 + (times(a, phiA) - times(b, phiB)) / z;
        double m3 = 2 * m1 + (times(a * a, phiA) - times(b * b, phiB)) / z;
        double m4 = 3 * m2 + (times(a * a * a, phiA) - times(b * b * b, phiB)) / z;
        double variance = Math.max(0, m2 - m1 * m1);
        double fourth = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
        return new Distribution(mean + std * m1, std * std * variance, Math.pow(std, 4) * fourth,
                mean + std * a, mean + std * b);
    }

    /** Returns {@code x·φ}, taking {@code ±∞·0} as 0 because {@code x^k φ(x) → 0} at infinity. */
    private static double times(double x, double density) {
        return density == 0 ? 0 : x * density;
    }

    /**
     * Returns the probability of {@code [a, b]} under N(0, 1).
     *
     * @throws IllegalArgumentException if {@code a ≥ b} or the probability is 0 in double precision
     */
    static double requireMass(double a, double b) {
        if (!(a < b)) {
            throw new IllegalArgumentException("truncation bounds [" + a + ", " + b + "] (in standard deviations) are"
                    + " invalid: the lower bound must be below the upper bound");
        }
        double z = mass(a, b);
        if (!(z > 0)) {
            throw new IllegalArgumentException("truncation bounds [" + a + ", " + b + "] (in standard deviations)"
                    + " have probability 0 in double precision; choose bounds within about 37 standard deviations of the mean");
        }
        return z;
    }

    /**
     * Draws X ~ N(0, 1) conditioned on {@code a ≤ X ≤ b} by exact rejection, re-drawing and never clipping.
     *
     * <p>An interval with probability at least 0.25 rejects plain normal draws. A narrower one uses the proposals
     * of Robert ("Simulation of truncated normal variables", Statistics and Computing 5, 1995): uniform on the
     * interval, or for a one-sided tail beyond {@code a > 0} the exponential {@code a + Exp(λ)} with
     * {@code λ = (a + √(a² + 4))/2}.
     *
     * @param mass {@code P(a ≤ X ≤ b)}, from {@link #requireMass}
     */
    static double sampleTruncated(RandomGenerator random, double a, double b, double mass) {
        if (mass >= PLAIN_REJECTION_MINIMUM_MASS) {
            while (true) {
                double x = random.nextGaussian();
                if (x >= a && x <= b) {
                    return x;
                }
            }
        }
        if (a <= 0 && b >= 0) {
            // A narrow interval around 0: φ(x)/φ(0) is the acceptance probability of a uniform proposal
            while (true) {
                double x = uniform(random, a, b);
                if (random.nextDouble() <= Math.exp(-0.5 * x * x)) {
                    return x;
                }
            }
        }
        if (b < 0) {
            return -sampleOneSided(random, -b, -a);
        }
        return sampleOneSided(random, a, b);
    }

    /** Draws from N(0, 1) conditioned on {@code [a, b]} with {@code 0 < a < b}. */
    private static double sampleOneSided(RandomGenerator random, double a, double b) {
        double root = Math.sqrt(a * a + 4);
        double lambda = (a + root) / 2;
        // Robert's rule: the uniform proposal is more efficient when the interval is shorter than this
        double uniformWidth = 2 * Math.sqrt(Math.E) / (a + root) * Math.exp((a * a - a * root) / 4);
        if (b - a <= uniformWidth) {
            while (true) {
                double x = uniform(random, a, b);
                if (random.nextDouble() <= Math.exp((a * a - x * x) / 2)) {
                    return x;
                }
            }
        }
        while (true) {
            double x = a - Math.log1p(-random.nextDouble()) / lambda;
            double shifted = x - lambda;
            if (x <= b && random.nextDouble() <= Math.exp(-0.5 * shifted * shifted)) {
                return x;
            }
        }
    }

    /** Returns a uniform draw from {@code [low, high]}, also when the interval is wider than a double holds. */
    private static double uniform(RandomGenerator random, double low, double high) {
        if (Double.isInfinite(high - low)) {
            throw new IllegalArgumentException("truncation interval [" + low + ", " + high + "] is too wide for a uniform proposal");
        }
        return low + (high - low) * random.nextDouble();
    }
}
