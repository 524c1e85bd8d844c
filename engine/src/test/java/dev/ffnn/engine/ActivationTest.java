package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationTest {

    private static final double TOLERANCE = 1e-15;

    @Test
    void valuesMatchDefinitions() {
        double[] inputs = {-2.5, -0.1, 0.0, 0.7, 3.0};
        for (double z : inputs) {
            assertEquals(z, Activation.IDENTITY.apply(z), 0);
            assertEquals(1 / (1 + Math.exp(-z)), Activation.SIGMOID.apply(z), TOLERANCE);
            assertEquals(Math.tanh(z), Activation.TANH.apply(z), 0);
            assertEquals(Math.max(0, z), Activation.RELU.apply(z), 0);
            assertEquals(z > 0 ? z : 0.01 * z, Activation.LEAKY_RELU.apply(z), 0);
        }
    }

    @Test
    void everyActivationPropagatesNaN() {
        for (Activation activation : Activation.values()) {
            assertTrue(Double.isNaN(activation.apply(Double.NaN)), activation + " hid a NaN");
        }
    }

    @Test
    void addBiasAndApplyTouchesEveryElementOnce() {
        try (Arena arena = Arena.ofConfined()) {
            // 2 x 3 batch, bias (1, 2, 3)
            MemorySegment z = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, -5, 0.5, -1, 2, -3, 4);
            MemorySegment bias = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, 1, 2, 3);
            MemorySegment a = arena.allocate(ValueLayout.JAVA_DOUBLE, 6);

            Activation.RELU.addBiasAndApply(z, bias, a, 2, 3);

            double[] expectedZ = {-4, 2.5, 2, 3, -1, 7};
            double[] expectedA = {0, 2.5, 2, 3, 0, 7};
            for (int i = 0; i < 6; i++) {
                assertEquals(expectedZ[i], z.getAtIndex(ValueLayout.JAVA_DOUBLE, i), 0, "z[" + i + "]");
                assertEquals(expectedA[i], a.getAtIndex(ValueLayout.JAVA_DOUBLE, i), 0, "a[" + i + "]");
            }
        }
    }

    @Test
    void derivativesMatchCentralDifferences() {
        double step = 1e-6;
        for (Activation activation : Activation.values()) {
            for (double z : new double[]{-1.3, -0.2, 0.4, 2.1}) {
                double numeric = (activation.apply(z + step) - activation.apply(z - step)) / (2 * step);
                Matrices.assertClose(numeric, activation.derivative(z, activation.apply(z)), 1e-9, 1e-7,
                        activation + " at " + z);
            }
        }
    }

    @Test
    void parseAcceptsCliNamesAndRejectsOthers() {
        assertEquals(Activation.LEAKY_RELU, Activation.parse("leaky-relu"));
        assertEquals(Activation.LEAKY_RELU, Activation.parse("LEAKY_RELU"));
        var e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
        assertTrue(e.getMessage().contains("'swish'"), e.getMessage());
        assertTrue(e.getMessage().contains("identity, sigmoid, tanh, relu, leaky-relu"), e.getMessage());
    }
}
