package dev.ffnn.engine.reference;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * How two engines' numbers are compared: the relative difference of a pair is
 * {@code |a − b| / max(|a|, |b|, FLOOR)}, and two arrays agree when every pair's relative difference is at most
 * {@link #RELATIVE_TOLERANCE}.
 *
 * <p>The floor keeps values that pass near zero (a bias that crosses 0) from demanding agreement far below
 * rounding error: below {@link #FLOOR} in magnitude the bound is the absolute {@code 1e-9 · 1e-3 = 1e-12}. A NaN
 * on either side never agrees.
 */
final class Agreement {

    /** The bound on each pair's relative difference. */
    static final double RELATIVE_TOLERANCE = 1e-9;
    /** The magnitude below which the difference is measured against the floor instead of the values. */
    static final double FLOOR = 1e-3;

    private Agreement() {
    }

    /** Returns {@code |a − b| / max(|a|, |b|, FLOOR)}, or infinity when either is NaN. */
    static double relativeDifference(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(a - b) / Math.max(Math.max(Math.abs(a), Math.abs(b)), FLOOR);
    }

    /** Returns the largest {@link #relativeDifference} over the pairs of two arrays of the same length. */
    static double maxRelativeDifference(double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            throw new IllegalArgumentException("lengths differ: " + expected.length + " and " + actual.length);
        }
        double max = 0.0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, relativeDifference(expected[i], actual[i]));
        }
        return max;
    }

    /** Fails, naming the first index, both values and the tolerance, unless every pair agrees. */
    static void assertAgree(String what, double[] expected, double[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": " + expected.length + " values expected, " + actual.length + " found");
        }
        for (int i = 0; i < expected.length; i++) {
            double difference = relativeDifference(expected[i], actual[i]);
            if (!(difference <= RELATIVE_TOLERANCE)) {
                fail(what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i] + ", relative difference "
                        + difference + " > " + RELATIVE_TOLERANCE);
            }
        }
    }

    /** Fails unless the two values agree; see {@link #assertAgree(String, double[], double[])}. */
    static void assertAgree(String what, double expected, double actual) {
        assertAgree(what, new double[]{expected}, new double[]{actual});
    }
}
