package dev.ffnn.cblas;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real downcalls into OpenBLAS on small non-square inputs, against values computed by hand.
 * Matrices are row-major with leading dimensions larger than their column counts. Padding is
 * filled with NaN or a sentinel, so a wrong leading dimension shows up as NaN or as a changed
 * sentinel.
 */
class CblasDowncallTest {

    private static final double ABSOLUTE_TOLERANCE = 1e-12;
    private static final double RELATIVE_TOLERANCE = 1e-12;
    private static final double SENTINEL = -999.0;

    /** A, 2 × 3. */
    private static final double[][] A = {
            {1, 2, 3},
            {4, 5, 6}};

    /** B, 3 × 4. */
    private static final double[][] B = {
            {1, 0, 2, -1},
            {0, 1, 1, 2},
            {3, -1, 0, 1}};

    /** A·B, 2 × 4. */
    private static final double[][] A_TIMES_B = {
            {10, -1, 4, 6},
            {22, -1, 13, 12}};

    private Arena arena;

    @BeforeEach
    void openArena() {
        arena = Arena.ofConfined();
    }

    @AfterEach
    void closeArena() {
        arena.close();
    }

    @Test
    void dgemmRowMajorWithPaddedLeadingDimensions() {
        int lda = 5;
        int ldb = 6;
        int ldc = 7;
        MemorySegment a = matrix(A, lda, Double.NaN);
        MemorySegment b = matrix(B, ldb, Double.NaN);
        MemorySegment c = matrix(filled(2, 4, Double.NaN), ldc, SENTINEL);

        // C = 1·A·B + 0·C, and beta 0 means the NaN in C is never read.
        cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), cblas_h.CblasNoTrans(), cblas_h.CblasNoTrans(),
                2, 4, 3, 1.0, a, lda, b, ldb, 0.0, c, ldc);

        assertMatrix("C = A·B", A_TIMES_B, c, ldc);
        assertPadding("C", c, 2, 4, ldc, SENTINEL);
    }

    @Test
    void dgemmScalesProductAndAccumulates() {
        int lda = 5;
        int ldb = 6;
        int ldc = 7;
        MemorySegment a = matrix(A, lda, Double.NaN);
        MemorySegment b = matrix(B, ldb, Double.NaN);
        MemorySegment c = matrix(filled(2, 4, 2.0), ldc, SENTINEL);

        // C = 2·A·B + 0.5·C with C = 2 everywhere.
        cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), cblas_h.CblasNoTrans(), cblas_h.CblasNoTrans(),
                2, 4, 3, 2.0, a, lda, b, ldb, 0.5, c, ldc);

        double[][] expected = {
                {21, -1, 9, 13},
                {45, -1, 27, 25}};
        assertMatrix("C = 2·A·B + 0.5·C", expected, c, ldc);
        assertPadding("C", c, 2, 4, ldc, SENTINEL);
    }

    @Test
    void dgemmTransposedA() {
        int lda = 5;
        int lde = 6;
        int ldc = 7;
        double[][] e = {
                {1, 0, 1, 0},
                {0, 1, 0, 1}};
        MemorySegment a = matrix(A, lda, Double.NaN);
        MemorySegment eSegment = matrix(e, lde, Double.NaN);
        MemorySegment c = matrix(filled(3, 4, Double.NaN), ldc, SENTINEL);

        // C (3 × 4) = Aᵀ·E, with A stored 2 × 3: M = 3, N = 4, K = 2.
        cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), cblas_h.CblasTrans(), cblas_h.CblasNoTrans(),
                3, 4, 2, 1.0, a, lda, eSegment, lde, 0.0, c, ldc);

        double[][] expected = {
                {1, 4, 1, 4},
                {2, 5, 2, 5},
                {3, 6, 3, 6}};
        assertMatrix("C = Aᵀ·E", expected, c, ldc);
        assertPadding("C", c, 3, 4, ldc, SENTINEL);
    }

    @Test
    void dgemmTransposedB() {
        int lda = 5;
        int ldf = 4;
        int ldc = 7;
        double[][] f = {
                {1, 0, 3},
                {0, 1, -1},
                {2, 1, 0},
                {-1, 2, 1}};
        MemorySegment a = matrix(A, lda, Double.NaN);
        MemorySegment fSegment = matrix(f, ldf, Double.NaN);
        MemorySegment c = matrix(filled(2, 4, Double.NaN), ldc, SENTINEL);

        // C (2 × 4) = A·Fᵀ, with F stored 4 × 3 and Fᵀ = B.
        cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), cblas_h.CblasNoTrans(), cblas_h.CblasTrans(),
                2, 4, 3, 1.0, a, lda, fSegment, ldf, 0.0, c, ldc);

        assertMatrix("C = A·Fᵀ", A_TIMES_B, c, ldc);
        assertPadding("C", c, 2, 4, ldc, SENTINEL);
    }

    @Test
    void dgemvNoTransAndTrans() {
        int lda = 5;
        MemorySegment a = matrix(A, lda, Double.NaN);
        MemorySegment x = vector(1, -1, 2);
        MemorySegment y = vector(1, 1);

        // y = 1·A·x + 2·y
        cblas_h.cblas_dgemv(cblas_h.CblasRowMajor(), cblas_h.CblasNoTrans(), 2, 3, 1.0, a, lda, x, 1, 2.0, y, 1);
        assertVector("y = A·x + 2·y", new double[] {7, 13}, y);

        // w = Aᵀ·z
        MemorySegment z = vector(1, 2);
        MemorySegment w = vector(Double.NaN, Double.NaN, Double.NaN);
        cblas_h.cblas_dgemv(cblas_h.CblasRowMajor(), cblas_h.CblasTrans(), 2, 3, 1.0, a, lda, z, 1, 0.0, w, 1);
        assertVector("w = Aᵀ·z", new double[] {9, 12, 15}, w);
    }

    @Test
    void daxpyWithStride() {
        MemorySegment x = vector(1, Double.NaN, 2, Double.NaN, 3);
        MemorySegment y = vector(10, 20, 30);

        // y = 2·x + y, reading every second element of x.
        cblas_h.cblas_daxpy(3, 2.0, x, 2, y, 1);

        assertVector("y = 2·x + y", new double[] {12, 24, 36}, y);
    }

    @Test
    void dscalWithStride() {
        MemorySegment x = vector(2, SENTINEL, 4, SENTINEL, -6);

        // x = -0.5·x on every second element.
        cblas_h.cblas_dscal(3, -0.5, x, 2);

        assertVector("x = -0.5·x", new double[] {-1, SENTINEL, -2, SENTINEL, 3}, x);
    }

    @Test
    void ddotOfThreeElements() {
        MemorySegment x = vector(1, 2, 3);
        MemorySegment y = vector(4, -5, 6);

        double dot = cblas_h.cblas_ddot(3, x, 1, y, 1);

        assertClose("x·y", 12.0, dot);
    }

    @Test
    void dnrm2ContiguousAndStrided() {
        assertClose("‖(3, 4)‖", 5.0, cblas_h.cblas_dnrm2(2, vector(3, 4), 1));
        assertClose("‖(1, 2, 2)‖ with stride 2", 3.0, cblas_h.cblas_dnrm2(3, vector(1, 100, 2, 100, 2), 2));
    }

    @Test
    void dcopyIntoStridedVector() {
        MemorySegment x = vector(1, 2, 3);
        MemorySegment y = vector(SENTINEL, SENTINEL, SENTINEL, SENTINEL, SENTINEL);

        cblas_h.cblas_dcopy(3, x, 1, y, 2);

        assertVector("y = x with stride 2", new double[] {1, SENTINEL, 2, SENTINEL, 3}, y);
    }

    /** Allocates a row-major matrix with leading dimension {@code ld}, its padding set to {@code padding}. */
    private MemorySegment matrix(double[][] rows, int ld, double padding) {
        int rowCount = rows.length;
        MemorySegment segment = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) rowCount * ld);
        for (int i = 0; i < rowCount; i++) {
            for (int j = 0; j < ld; j++) {
                double value = j < rows[i].length ? rows[i][j] : padding;
                segment.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * ld + j, value);
            }
        }
        return segment;
    }

    private MemorySegment vector(double... values) {
        return arena.allocateFrom(ValueLayout.JAVA_DOUBLE, values);
    }

    private static double[][] filled(int rowCount, int columnCount, double value) {
        double[][] rows = new double[rowCount][columnCount];
        for (double[] row : rows) {
            Arrays.fill(row, value);
        }
        return rows;
    }

    private static void assertMatrix(String name, double[][] expected, MemorySegment segment, int ld) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                double actual = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * ld + j);
                assertClose(name + " at (" + i + ", " + j + ")", expected[i][j], actual);
            }
        }
    }

    private static void assertPadding(String name, MemorySegment segment, int rowCount, int columnCount, int ld,
                                      double padding) {
        for (int i = 0; i < rowCount; i++) {
            for (int j = columnCount; j < ld; j++) {
                double actual = segment.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) i * ld + j);
                assertEquals(padding, actual, 0.0, name + " padding at (" + i + ", " + j + ") was written");
            }
        }
    }

    private static void assertVector(String name, double[] expected, MemorySegment segment) {
        double[] actual = segment.toArray(ValueLayout.JAVA_DOUBLE);
        assertEquals(expected.length, actual.length, name + " element count");
        for (int i = 0; i < expected.length; i++) {
            assertClose(name + " at index " + i, expected[i], actual[i]);
        }
    }

    /** Asserts |actual − expected| ≤ atol + rtol·|expected|, which fails on NaN. */
    private static void assertClose(String quantity, double expected, double actual) {
        double tolerance = ABSOLUTE_TOLERANCE + RELATIVE_TOLERANCE * Math.abs(expected);
        if (!(Math.abs(actual - expected) <= tolerance)) {
            fail(quantity + ": expected " + expected + ", got " + actual + ", tolerance " + tolerance);
        }
    }
}
