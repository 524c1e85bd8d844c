package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LearningRateSchedulesTest {

    private static final double TOLERANCE = 1e-15;

    @Test
    void stepDecaysEveryKEpochs() {
        // base 0.8, every 2 epochs × 0.5: epochs 1-2 → 0.8, 3-4 → 0.4, 5 → 0.2
        var step = new LearningRateSchedules.Step(2, 0.5);
        double[] expected = {0.8, 0.8, 0.4, 0.4, 0.2};
        for (int epoch = 1; epoch <= expected.length; epoch++) {
            assertEquals(expected[epoch - 1], step.rate(0.8, epoch, 5), TOLERANCE, "epoch " + epoch);
        }
    }

    @Test
    void exponentialMultipliesEachEpoch() {
        // base 0.1 × 0.9^(epoch − 1): 0.1, 0.09, 0.081, 0.0729
        var exponential = new LearningRateSchedules.Exponential(0.9);
        double[] expected = {0.1, 0.09, 0.081, 0.0729};
        for (int epoch = 1; epoch <= expected.length; epoch++) {
            assertEquals(expected[epoch - 1], exponential.rate(0.1, epoch, 4), TOLERANCE, "epoch " + epoch);
        }
    }

    @Test
    void cosineGoesFromBaseToMinimum() {
        // base 1, min 0.1, 5 epochs: progress 0, 1/4, 1/2, 3/4, 1; (1 + cos(π·p))/2 = 1, 0.853553, 0.5, 0.146447, 0
        // rate = 0.1 + 0.9·that = 1, 0.868198, 0.55, 0.231802, 0.1
        var cosine = new LearningRateSchedules.Cosine(0.1);
        double[] expected = {1.0, 0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, 0.55, 0.1 + 0.9 * (1 - Math.sqrt(0.5)) / 2, 0.1};
        for (int epoch = 1; epoch <= expected.length; epoch++) {
            assertEquals(expected[epoch - 1], cosine.rate(1.0, epoch, 5), TOLERANCE, "epoch " + epoch);
        }
        assertEquals(1.0, cosine.rate(1.0, 1, 1), "a one-epoch run keeps the base rate");
        assertEquals(0.1, cosine.rate(1.0, 7, 5), TOLERANCE, "after the planned epochs");
    }

    @Test
    void invalidParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedules.Step(0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedules.Step(3, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedules.Exponential(0));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedules.Cosine(Double.NaN));
    }
}
