package dev.ffnn.engine.benchmark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepGemmsTest {

    @Test
    void productsMatchTheStepShapes() {
        // 5-3-2 at batch 4: forward (4x5)(5x3), (4x3)(3x2); backward ∂W2 = (4x3)ᵀ(4x2), δ·W2ᵀ = (4x2)(3x2)ᵀ,
        // ∂W1 = (4x5)ᵀ(4x3); no δ·W1ᵀ because layer 1 has no layer before it
        try (StepGemms gemms = StepGemms.allocate(new int[]{5, 3, 2}, 4)) {
            assertEquals(5, gemms.count());
            String[] expected = {"m=4 n=3 k=5", "m=4 n=2 k=3", "m=3 n=2 k=4", "m=4 n=3 k=2", "m=5 n=3 k=4"};
            for (int i = 0; i < expected.length; i++) {
                assertTrue(gemms.describe(i).endsWith(expected[i]), gemms.describe(i) + " vs " + expected[i]);
            }
            double flops = 2.0 * (4 * 3 * 5 + 4 * 2 * 3 + 3 * 2 * 4 + 4 * 3 * 2 + 5 * 3 * 4);
            assertEquals(flops, gemms.totalFlops());
        }
    }

    @Test
    void runAllComputesTheLastProduct() {
        try (StepGemms gemms = StepGemms.allocate(new int[]{3, 2}, 2)) {
            gemms.runAll();
            assertTrue(Double.isFinite(gemms.lastOutputCorner()));
            assertTrue(gemms.lastOutputCorner() != 0.0, "the corner of a product of random operands is 0");
        }
    }

    @Test
    void invalidSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> StepGemms.allocate(new int[]{3}, 2));
        assertThrows(IllegalArgumentException.class, () -> StepGemms.allocate(new int[]{3, 0}, 2));
        assertThrows(IllegalArgumentException.class, () -> StepGemms.allocate(new int[]{3, 2}, 0));
    }
}
