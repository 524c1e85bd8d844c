package dev.ffnn.engine.reference;

import dev.ffnn.engine.Seeds;
import org.junit.jupiter.api.Test;

import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The blocked products against naive triple loops, on odd, non-square shapes that cross every block
 * boundary, with offsets into larger arrays, and with the output's neighbours left unchanged.
 */
class BlockedMatricesTest {

    /** Bound on |blocked − naive| / (1 + |naive|); the two sum in the same order up to rounding of the blocks. */
    private static final double TOLERANCE = 1e-12;
    /** Marks the elements around the output that a product must leave alone. */
    private static final double SENTINEL = -12345.0;

    /** {m, n, k}: 1s, sizes below one block, and sizes just past one and two blocks in every dimension. */
    private static final int[][] SHAPES = {
            {1, 1, 1}, {3, 5, 7}, {7, 3, 5}, {1, 300, 1}, {5, 1, 131},
            {BlockedMatrices.ROW_BLOCK + 3, BlockedMatrices.COLUMN_BLOCK + 5, BlockedMatrices.INNER_BLOCK * 2 + 1},
            {2 * BlockedMatrices.ROW_BLOCK + 1, 33, BlockedMatrices.INNER_BLOCK - 1},
    };
    private static final int OFFSET = 3;

    @Test
    void multiplyMatchesNaive() {
        int checked = 0;
        for (int[] shape : SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            double[] a = random(OFFSET + m * k, 1);
            double[] b = random(OFFSET + k * n, 2);
            double[] c = sentinels(2 * OFFSET + m * n);

            BlockedMatrices.multiply(a, OFFSET, b, OFFSET, c, OFFSET, m, n, k);

            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        expected[i * n + j] += a[OFFSET + i * k + p] * b[OFFSET + p * n + j];
                    }
                }
            }
            assertResult("A·B " + m + "x" + n + "x" + k, expected, c);
            checked++;
        }
        assertEquals(SHAPES.length, checked);
    }

    @Test
    void multiplyTransposeAMatchesNaive() {
        for (int[] shape : SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            double[] a = random(OFFSET + k * m, 3);
            double[] b = random(OFFSET + k * n, 4);
            double[] c = sentinels(2 * OFFSET + m * n);

            BlockedMatrices.multiplyTransposeA(a, OFFSET, b, OFFSET, c, OFFSET, m, n, k);

            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        expected[i * n + j] += a[OFFSET + p * m + i] * b[OFFSET + p * n + j];
                    }
                }
            }
            assertResult("Aᵀ·B " + m + "x" + n + "x" + k, expected, c);
        }
    }

    @Test
    void transposeAInRowRangesMatchesWhole() {
        int m = 2 * BlockedMatrices.ROW_BLOCK + 5;
        int n = 37;
        int k = 11;
        double[] a = random(k * m, 7);
        double[] b = random(k * n, 8);
        double[] whole = new double[m * n];
        BlockedMatrices.multiplyTransposeA(a, 0, b, 0, whole, 0, m, n, k);

        // Three ranges, the middle one ending inside a row block, leave no row out and touch no other row
        double[] pieces = sentinels(m * n);
        int[] bounds = {0, 3, BlockedMatrices.ROW_BLOCK + 7, m};
        for (int part = 0; part < 3; part++) {
            BlockedMatrices.multiplyTransposeA(a, 0, b, 0, pieces, 0, m, n, k, bounds[part], bounds[part + 1]);
            for (int i = bounds[part + 1] * n; i < m * n; i++) {
                assertEquals(SENTINEL, pieces[i], "range " + part + " wrote element " + i + " beyond its rows");
            }
        }

        assertArrayEquals(whole, pieces);
    }

    @Test
    void transposeThenMultiplyMatchesNaive() {
        for (int[] shape : SHAPES) {
            int m = shape[0], n = shape[1], k = shape[2];
            double[] a = random(OFFSET + m * k, 5);
            double[] b = random(OFFSET + n * k, 6);
            double[] c = sentinels(2 * OFFSET + m * n);

            double[] transposed = new double[k * n];
            BlockedMatrices.transpose(b, OFFSET, n, k, transposed);
            BlockedMatrices.multiply(a, OFFSET, transposed, 0, c, OFFSET, m, n, k);

            double[] expected = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        expected[i * n + j] += a[OFFSET + i * k + p] * b[OFFSET + j * k + p];
                    }
                }
            }
            assertResult("A·Bᵀ " + m + "x" + n + "x" + k, expected, c);
        }
    }

    @Test
    void nanInInputReachesOutput() {
        double[] a = {1, 2, Double.NaN, 4};
        double[] b = {0, 0, 0, 0};
        double[] c = new double[4];

        BlockedMatrices.multiply(a, 0, b, 0, c, 0, 2, 2, 2);

        // Row 1 of A contains the NaN, and 0·NaN is NaN: a product must not skip zeros
        assertEquals(0.0, c[0]);
        assertEquals(Double.NaN, c[2]);
        assertEquals(Double.NaN, c[3]);
    }

    private static double[] random(int length, long stream) {
        RandomGenerator random = Seeds.generator(41, stream);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static double[] sentinels(int length) {
        double[] values = new double[length];
        java.util.Arrays.fill(values, SENTINEL);
        return values;
    }

    private static void assertResult(String what, double[] expected, double[] c) {
        for (int i = 0; i < OFFSET; i++) {
            assertEquals(SENTINEL, c[i], what + ": element " + i + " before the output changed");
            assertEquals(SENTINEL, c[c.length - 1 - i], what + ": element " + (c.length - 1 - i) + " after the output changed");
        }
        for (int i = 0; i < expected.length; i++) {
            double found = c[OFFSET + i];
            double bound = TOLERANCE * (1 + Math.abs(expected[i]));
            if (!(Math.abs(found - expected[i]) <= bound)) {
                fail(what + ": element " + i + " expected " + expected[i] + ", found " + found + " (tolerance " + bound + ")");
            }
        }
    }
}
