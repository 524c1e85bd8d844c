package dev.ffnn.engine;

import dev.ffnn.engine.VarianceScaling.Family;
import dev.ffnn.engine.VarianceScaling.Mode;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Samples 10⁶ values from every element-wise initializer and checks them against exact moments computed here,
 * independently of the initializers' own {@link Distribution}: closed forms for the uniform, normal and
 * Bernoulli laws, and Simpson integration of the density for truncated normals.
 */
class InitializerDistributionTest {

    /** 2000 x 500 = 10⁶ values; non-square, so a swapped fan-in and fan-out changes every fan-scaled variance. */
    private static final int FAN_IN = 2000;
    private static final int FAN_OUT = 500;
    private static final long COUNT = (long) FAN_IN * FAN_OUT;
    /** Sample moments must lie within this many standard errors of the exact ones. */
    private static final double STANDARD_ERRORS = 5;
    /** The initializers' exact moments must match the integrated ones this closely (relative). */
    private static final double EXACT_RTOL = 1e-9;
    /** Standard deviation of N(0, 1) truncated to [−2, 2], the constant Keras's VarianceScaling divides by. */
    private static final double KERAS_TRUNCATED_STD = 0.87962566103423978;
    /** Relative tolerance of erfc, set by the cancellation in 1 − erf(t) just below t = 2.5 (about 1e-16 / 4e-4). */
    private static final double ERFC_RTOL = 3e-13;

    /** An initializer and the exact law of its elements for a FAN_IN x FAN_OUT matrix. */
    private record Case(Initializer initializer, Distribution expected) {
    }

    private static List<Case> cases() {
        double avg = (FAN_IN + FAN_OUT) / 2.0;
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(Initializers.zeros(), Distribution.constant(0)));
        cases.add(new Case(Initializers.ones(), Distribution.constant(1)));
        cases.add(new Case(Initializers.constant(-0.25), Distribution.constant(-0.25)));
        cases.add(new Case(Initializers.uniform(-0.5, 1.5), uniform(-0.5, 1.5)));
        cases.add(new Case(Initializers.normal(0.3, 0.7), normal(0.3, 0.7)));
        cases.add(new Case(Initializers.bernoulli(0.1), new Distribution(0.1, 0.09, 0.09 * (1 - 3 * 0.09), 0, 1)));
        cases.add(new Case(Initializers.truncatedNormal(0, 1, -2, 2), truncated(0, 1, -2, 2)));
        cases.add(new Case(Initializers.truncatedNormal(1, 0.5, -1, 3), truncated(1, 0.5, -1, 3)));
        // Intervals that take each of the narrow-interval samplers: around 0, one-sided uniform, one-sided exponential
        cases.add(new Case(Initializers.truncatedNormal(0, 1, -0.2, 0.3), truncated(0, 1, -0.2, 0.3)));
        cases.add(new Case(Initializers.truncatedNormal(0, 1, 0.1, 0.3), truncated(0, 1, 0.1, 0.3)));
        cases.add(new Case(Initializers.truncatedNormal(0, 1, 2.5, 4), truncated(0, 1, 2.5, 4)));
        cases.add(new Case(Initializers.truncatedNormal(0, 2, -4.5, -3), truncated(0, 2, -4.5, -3)));
        // Absolute bounds [−1, 4] around mean 0.5 with std 2 are −0.75 and 1.75 standard deviations
        cases.add(new Case(Initializers.truncatedNormalAbsolute(0.5, 2, -1, 4), truncated(0.5, 2, -0.75, 1.75)));
        cases.add(new Case(Initializers.lecunNormal(), normal(0, Math.sqrt(1.0 / FAN_IN))));
        cases.add(new Case(Initializers.lecunUniform(), uniform(-Math.sqrt(3.0 / FAN_IN), Math.sqrt(3.0 / FAN_IN))));
        cases.add(new Case(Initializers.lecunTruncatedNormal(), truncated(0, Math.sqrt(1.0 / FAN_IN) / KERAS_TRUNCATED_STD, -2, 2)));
        cases.add(new Case(Initializers.xavierNormal(), normal(0, Math.sqrt(2.0 / (FAN_IN + FAN_OUT)))));
        double xavierBound = Math.sqrt(6.0 / (FAN_IN + FAN_OUT));
        cases.add(new Case(Initializers.xavierUniform(), uniform(-xavierBound, xavierBound)));
        cases.add(new Case(Initializers.xavierTruncatedNormal(),
                truncated(0, Math.sqrt(1.0 / avg) / KERAS_TRUNCATED_STD, -2, 2)));
        cases.add(new Case(Initializers.heNormal(), normal(0, Math.sqrt(2.0 / FAN_IN))));
        cases.add(new Case(Initializers.heUniform(), uniform(-Math.sqrt(6.0 / FAN_IN), Math.sqrt(6.0 / FAN_IN))));
        cases.add(new Case(Initializers.he(Family.TRUNCATED_NORMAL, Mode.FAN_IN, 0),
                truncated(0, Math.sqrt(2.0 / FAN_IN) / KERAS_TRUNCATED_STD, -2, 2)));
        // Fan-out mode with leaky slope 0.2: variance 2/((1 + 0.04)·500)
        cases.add(new Case(Initializers.he(Family.NORMAL, Mode.FAN_OUT, 0.2), normal(0, Math.sqrt(2.0 / (1.04 * FAN_OUT)))));
        cases.add(new Case(Initializers.parse("he-uniform:fan-out:0.2"),
                uniform(-Math.sqrt(6.0 / (1.04 * FAN_OUT)), Math.sqrt(6.0 / (1.04 * FAN_OUT)))));
        cases.add(new Case(Initializers.varianceScaling(3, Mode.FAN_AVG, Family.UNIFORM),
                uniform(-Math.sqrt(9.0 / avg), Math.sqrt(9.0 / avg))));
        cases.add(new Case(Initializers.parse("variance-scaling:0.5:fan-out:truncated-normal"),
                truncated(0, Math.sqrt(0.5 / FAN_OUT) / KERAS_TRUNCATED_STD, -2, 2)));
        return cases;
    }

    @Test
    void exactMomentsMatchIndependentFormulas() {
        List<Case> cases = cases();
        for (Case c : cases) {
            Distribution actual = c.initializer().distribution(FAN_IN, FAN_OUT).orElseThrow();
            Distribution expected = c.expected();
            String name = c.initializer().name();
            assertClose(name + " mean", expected.mean(), actual.mean(), EXACT_RTOL * Math.max(expected.std(), 1e-300));
            assertClose(name + " variance", expected.variance(), actual.variance(), EXACT_RTOL * expected.variance());
            assertClose(name + " fourth central moment", expected.fourthCentralMoment(), actual.fourthCentralMoment(),
                    EXACT_RTOL * expected.fourthCentralMoment());
            assertEquals(expected.lower(), actual.lower(), 1e-12 * Math.abs(expected.lower()), name + " lower bound");
            assertEquals(expected.upper(), actual.upper(), 1e-12 * Math.abs(expected.upper()), name + " upper bound");
        }
        assertEquals(26, cases.size(), "cases checked");
    }

    @Test
    void samplesMatchExactMomentsAndSupport() {
        List<Case> cases = cases();
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, FAN_IN, FAN_OUT);
            long seed = 11;
            for (Case c : cases) {
                c.initializer().fill(w, seed++, 2);
                assertSample(c.initializer().name(), w, c.expected());
            }
        }
    }

    @Test
    void sequentialFillMatchesExactMoments() {
        // fill(weights, random) draws from one generator in row-major order; its law is the same
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, FAN_IN, FAN_OUT);
            Initializers.truncatedNormal(0, 1, 2.5, 4).fill(w, Seeds.generator(5, 0));
            assertSample("truncated-normal [2.5, 4], sequential", w, truncated(0, 1, 2.5, 4));
            Initializers.xavierUniform().fill(w, Seeds.generator(6, 0));
            assertSample("xavier-uniform, sequential", w, uniform(-Math.sqrt(6.0 / (FAN_IN + FAN_OUT)), Math.sqrt(6.0 / (FAN_IN + FAN_OUT))));
        }
    }

    @Test
    void truncatedStdFactorIsKerasConstant() {
        assertEquals(KERAS_TRUNCATED_STD, VarianceScaling.TRUNCATED_STD_FACTOR, 1e-15);
    }

    @Test
    void erfMatchesReferenceValues() {
        // Reference values from the C library's erf and erfc, as Python 3's math.erf and math.erfc print them
        double[][] erf = {{0.5, 0.5204998778130465}, {1, 0.8427007929497149}};
        double[][] erfc = {{2, 0.004677734981047265}, {2.4, 0.0006885138966450789}, {2.49, 0.000429287867733913},
                {2.5, 0.0004069520174449589}, {2.6, 0.00023603441652934908}, {3, 2.2090496998585438e-05},
                {4, 1.541725790028002e-08}, {5, 1.5374597944280351e-12}};
        for (double[] point : erf) {
            assertClose("erf(" + point[0] + ")", point[1], StandardNormal.erf(point[0]), 1e-15);
        }
        for (double[] point : erfc) {
            assertClose("erfc(" + point[0] + ")", point[1], StandardNormal.erfc(point[0]), ERFC_RTOL * point[1]);
        }
        assertClose("Q(0)", 0.5, StandardNormal.upperTail(0), 1e-16);
        assertClose("Q(-1) + Q(1)", 1, StandardNormal.upperTail(-1) + StandardNormal.upperTail(1), 1e-15);
    }

    private static void assertSample(String name, RowMajorMatrix w, Distribution expected) {
        TensorStatistics statistics = TensorStatistics.of(w.segment(), COUNT, 0);
        double mean = statistics.mean();
        double variance = statistics.variance() * COUNT / (COUNT - 1);
        double meanTolerance = STANDARD_ERRORS * expected.meanStandardError(COUNT);
        double varianceTolerance = STANDARD_ERRORS * expected.varianceStandardError(COUNT);
        // A point mass has standard error 0: allow rounding only
        assertClose(name + " sample mean", expected.mean(), mean, Math.max(meanTolerance, 1e-15 * Math.abs(expected.mean())));
        assertClose(name + " sample variance", expected.variance(), variance, Math.max(varianceTolerance, 1e-15));
        for (long k = 0; k < COUNT; k++) {
            double value = w.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, k);
            if (!(value >= expected.lower() && value <= expected.upper())) {
                throw new AssertionError(name + ": element " + k + " = " + value + " outside ["
                        + expected.lower() + ", " + expected.upper() + "]");
            }
        }
    }

    private static void assertClose(String what, double expected, double actual, double tolerance) {
        if (!(Math.abs(actual - expected) <= tolerance)) {
            throw new AssertionError(what + ": expected " + expected + " but got " + actual + " (difference "
                    + Math.abs(actual - expected) + " > tolerance " + tolerance + ")");
        }
    }

    private static Distribution uniform(double low, double high) {
        double width = high - low;
        return new Distribution((low + high) / 2, width * width / 12, Math.pow(width, 4) / 80, low, high);
    }

    private static Distribution normal(double mean, double std) {
        return new Distribution(mean, std * std, 3 * Math.pow(std, 4), Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    /**
     * Returns the law of {@code mean + std·X}, X ~ N(0, 1) conditioned on [a, b], by composite Simpson integration of
     * {@code x^k e^{−x²/2}} on 200,000 intervals (infinite bounds cut at 40 standard deviations).
     */
    private static Distribution truncated(double mean, double std, double a, double b) {
        double low = Math.max(a, -40);
        double high = Math.min(b, 40);
        int intervals = 200_000;
        double h = (high - low) / intervals;
        double[] raw = new double[5];
        for (int i = 0; i <= intervals; i++) {
            double x = low + i * h;
            double weight = (i == 0 || i == intervals) ? 1 : (i % 2 == 1 ? 4 : 2);
            double density = Math.exp(-0.5 * x * x);
            double power = 1;
            for (int k = 0; k <= 4; k++) {
                raw[k] += weight * power * density;
                power *= x;
            }
        }
        double m1 = raw[1] / raw[0];
        double m2 = raw[2] / raw[0];
        double m3 = raw[3] / raw[0];
        double m4 = raw[4] / raw[0];
        double variance = m2 - m1 * m1;
        double fourth = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * Math.pow(m1, 4);
        return new Distribution(mean + std * m1, std * std * variance, Math.pow(std, 4) * fourth,
                mean + std * a, mean + std * b);
    }
}
