package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks the branch-free ReLU paths against the plain comparisons they replace, bit for bit. */
class ReluBitsTest {

    /** Zeros of both signs, subnormals, normals, infinities and NaNs of both signs and payloads. */
    private static final double[] EDGE_VALUES = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-320, -1e-320,
            Double.MIN_NORMAL, -Double.MIN_NORMAL, 1.0, -1.0, 0.5, -2.5, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN,
            Double.longBitsToDouble(0x7FF0000000000001L), Double.longBitsToDouble(0xFFF8000000000001L)};

    @Test
    void reluMatchesComparisonBitForBit() {
        for (double z : EDGE_VALUES) {
            double expected = z < 0.0 ? 0.0 : z;
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(Activation.relu(z)),
                    "relu(" + z + ")");
        }
    }

    @Test
    void positiveIndicatorMatchesComparison() {
        for (double z : EDGE_VALUES) {
            assertEquals(z > 0.0 ? 1L : 0L, Activation.positiveBitsIndicator(Double.doubleToRawLongBits(z)),
                    "indicator(" + z + ")");
        }
    }

    @Test
    void reluDerivativeMatchesPerElementFormula() {
        int count = EDGE_VALUES.length;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment z = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
            MemorySegment a = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
            MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
            for (int i = 0; i < count; i++) {
                z.setAtIndex(ValueLayout.JAVA_DOUBLE, i, EDGE_VALUES[i]);
                a.setAtIndex(ValueLayout.JAVA_DOUBLE, i, Activation.RELU.apply(EDGE_VALUES[i]));
                // Mixed signs and an infinity, so 0·∞ = NaN shows up where the derivative is 0
                delta.setAtIndex(ValueLayout.JAVA_DOUBLE, i, i == 3 ? Double.POSITIVE_INFINITY : (i % 2 == 0 ? 1.5 : -0.25));
            }
            double[] before = delta.toArray(ValueLayout.JAVA_DOUBLE);

            Activation.RELU.multiplyByDerivative(z, a, delta, count);

            for (int i = 0; i < count; i++) {
                double expected = before[i] * Activation.RELU.derivative(EDGE_VALUES[i], Activation.RELU.apply(EDGE_VALUES[i]));
                assertEquals(Double.doubleToRawLongBits(expected),
                        Double.doubleToRawLongBits(delta.getAtIndex(ValueLayout.JAVA_DOUBLE, i)),
                        "delta[" + i + "] for z = " + EDGE_VALUES[i]);
            }
        }
    }
}
