package dev.ffnn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: seeded off-heap matrices, naive references and element-wise asserts. */
final class Matrices {

    private Matrices() {
    }

    /** Allocates a {@code rows x cols} matrix with leading dimension {@code ld}, filled with N(0, 1) values. */
    static RowMajorMatrix random(Arena arena, int rows, int cols, int ld, RandomGenerator random) {
        long byteSize = Math.max(Double.BYTES, RowMajorMatrix.requiredByteSize(rows, cols, ld));
        MemorySegment segment = arena.allocate(byteSize, Double.BYTES);
        for (long i = 0; i < segment.byteSize() / Double.BYTES; i++) {
            segment.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextGaussian());
        }
        return new RowMajorMatrix(rows, cols, ld, segment);
    }

    /** Returns op(m)[i][j]: m[i][j], or m[j][i] when transposed. */
    static double element(RowMajorMatrix m, boolean transposed, int i, int j) {
        return transposed ? m.get(j, i) : m.get(i, j);
    }

    /** Returns alpha·op(A)·op(B) + beta·C computed with plain loops, as an on-heap array. */
    static double[][] naiveGemm(boolean transA, boolean transB, double alpha, RowMajorMatrix a, RowMajorMatrix b,
                                double beta, double[][] c) {
        int m = c.length;
        int n = m == 0 ? 0 : c[0].length;
        int k = transA ? a.rows() : a.cols();
        double[][] result = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.0;
                for (int p = 0; p < k; p++) {
                    sum += element(a, transA, i, p) * element(b, transB, p, j);
                }
                result[i][j] = alpha * sum + beta * c[i][j];
            }
        }
        return result;
    }

    /**
     * Asserts {@code |actual − expected| <= atol + rtol·|expected|} for every element, failing on NaN and
     * reporting (i, j), both values and the tolerance.
     */
    static void assertClose(double[][] expected, RowMajorMatrix actual, double atol, double rtol) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertClose(expected[i][j], actual.get(i, j), atol, rtol, "(" + i + ", " + j + ")");
            }
        }
    }

    static void assertClose(double expected, double actual, double atol, double rtol, String where) {
        double tolerance = atol + rtol * Math.abs(expected);
        if (!(Math.abs(actual - expected) <= tolerance)) {
            fail("at " + where + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
        }
    }
}
