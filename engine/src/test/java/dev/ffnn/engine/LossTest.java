package dev.ffnn.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossTest {

    private static final double TOLERANCE = 1e-12;

    private Arena arena;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void crossEntropyFiniteForHugeLogits() {
        // Row 0: label 0 with logits 1000, 2000, 3000 → loss = 3000 + log(1 + e^-1000 + e^-2000) − 1000 = 2000.
        // Row 1: label 2 with logits −3000, −2000, −1000 → loss = log(1 + e^-1000 + e^-2000) = 0 (to double precision).
        MemorySegment z = doubles(1000, 2000, 3000, -3000, -2000, -1000);
        MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_INT, 0, 2);
        MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, 6);

        double loss = Loss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(z, z, Activation.IDENTITY, labels, 2, 3, delta);

        assertEquals(1000.0, loss, TOLERANCE, "mean of 2000 and 0");
        // δ = (softmax − onehot) / B: softmax is (0, 0, 1) in both rows
        double[] expected = {-0.5, 0, 0.5, 0, 0, 0};
        for (int i = 0; i < 6; i++) {
            double actual = delta.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            assertTrue(Double.isFinite(actual), "δ[" + i + "] = " + actual);
            assertEquals(expected[i], actual, TOLERANCE, "δ[" + i + "]");
        }
        assertEquals(loss, Loss.SOFTMAX_CROSS_ENTROPY.loss(z, z, labels, 2, 3), TOLERANCE);
    }

    @Test
    void crossEntropyExactForEqualHugeLogits() {
        // Equal logits of 1e300: softmax is (1/3, 1/3, 1/3), so loss = ln 3 and δ = (1/3 − [k == y]) / B
        MemorySegment z = doubles(1e300, 1e300, 1e300);
        MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_INT, 2);
        MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, 3);

        double loss = Loss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(z, z, Activation.IDENTITY, labels, 1, 3, delta);

        assertEquals(Math.log(3), loss, TOLERANCE);
        assertEquals(Math.log(3), Loss.SOFTMAX_CROSS_ENTROPY.loss(z, z, labels, 1, 3), TOLERANCE);
        double[] expected = {1.0 / 3, 1.0 / 3, 1.0 / 3 - 1};
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k], delta.getAtIndex(ValueLayout.JAVA_DOUBLE, k), TOLERANCE, "δ[" + k + "]");
        }
    }

    @Test
    void crossEntropyMatchesDirectFormulaForModerateLogits() {
        MemorySegment z = doubles(0.5, -1.25, 2.0);
        MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
        MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, 3);
        double sum = Math.exp(0.5) + Math.exp(-1.25) + Math.exp(2.0);

        double loss = Loss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(z, z, Activation.IDENTITY, labels, 1, 3, delta);

        assertEquals(-Math.log(Math.exp(-1.25) / sum), loss, TOLERANCE);
        assertEquals(Math.exp(0.5) / sum, delta.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), TOLERANCE);
        assertEquals(Math.exp(-1.25) / sum - 1, delta.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), TOLERANCE);
        assertEquals(Math.exp(2.0) / sum, delta.getAtIndex(ValueLayout.JAVA_DOUBLE, 2), TOLERANCE);
    }

    @Test
    void crossEntropyPropagatesNaNLogit() {
        MemorySegment z = doubles(1.0, Double.NaN, 0.0);
        MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_INT, 0);
        MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, 3);
        assertTrue(Double.isNaN(Loss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(z, z, Activation.IDENTITY, labels, 1, 3, delta)));
    }

    @Test
    void meanSquaredErrorMatchesFormulaWithSigmoidOutput() {
        // One sample, 2 outputs, label 1: targets (0, 1)
        MemorySegment z = doubles(0.3, -0.2);
        double a0 = 1 / (1 + Math.exp(-0.3));
        double a1 = 1 / (1 + Math.exp(0.2));
        MemorySegment a = doubles(a0, a1);
        MemorySegment labels = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
        MemorySegment delta = arena.allocate(ValueLayout.JAVA_DOUBLE, 2);

        double loss = Loss.MEAN_SQUARED_ERROR.lossAndDelta(z, a, Activation.SIGMOID, labels, 1, 2, delta);

        assertEquals((a0 * a0 + (a1 - 1) * (a1 - 1)) / 2, loss, TOLERANCE);
        assertEquals(2 * a0 * a0 * (1 - a0) / 2, delta.getAtIndex(ValueLayout.JAVA_DOUBLE, 0), TOLERANCE);
        assertEquals(2 * (a1 - 1) * a1 * (1 - a1) / 2, delta.getAtIndex(ValueLayout.JAVA_DOUBLE, 1), TOLERANCE);
    }

    @Test
    void parseAcceptsNamesAndListsAllowedOnes() {
        assertEquals(Loss.MEAN_SQUARED_ERROR, Loss.parse("MSE"));
        assertEquals(Loss.SOFTMAX_CROSS_ENTROPY, Loss.parse("cross-entropy"));
        var e = assertThrows(IllegalArgumentException.class, () -> Loss.parse("hinge"));
        assertTrue(e.getMessage().contains("'hinge'"), e.getMessage());
        assertTrue(e.getMessage().contains("cross-entropy, mse"), e.getMessage());
    }

    private MemorySegment doubles(double... values) {
        return arena.allocateFrom(ValueLayout.JAVA_DOUBLE, values);
    }
}
