package dev.ffnn.engine;

import dev.ffnn.engine.Blas.Transpose;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlasTest {

    /** Products of at most a few dozen terms of N(0, 1) values: rounding stays far below this. */
    private static final double ATOL = 1e-12;
    private static final double RTOL = 1e-12;

    private Arena arena;
    private RandomGenerator random;

    @BeforeEach
    void open() {
        arena = Arena.ofConfined();
        random = Seeds.generator(42, 0);
    }

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void gemmMatchesNaiveForEveryTranspose() {
        int m = 3;
        int n = 5;
        int k = 4;
        int checked = 0;
        for (Transpose transA : Transpose.values()) {
            for (Transpose transB : Transpose.values()) {
                boolean ta = transA == Transpose.TRANSPOSE;
                boolean tb = transB == Transpose.TRANSPOSE;
                RowMajorMatrix a = ta ? Matrices.random(arena, k, m, m + 2, random) : Matrices.random(arena, m, k, k + 3, random);
                RowMajorMatrix b = tb ? Matrices.random(arena, n, k, k + 1, random) : Matrices.random(arena, k, n, n + 2, random);
                RowMajorMatrix c = Matrices.random(arena, m, n, n + 1, random);
                double[][] expected = Matrices.naiveGemm(ta, tb, 0.7, a, b, -1.3, c.toArray());

                Blas.gemm(transA, transB, 0.7, a, b, -1.3, c);

                Matrices.assertClose(expected, c, ATOL, RTOL);
                checked++;
            }
        }
        assertEquals(4, checked);
    }

    @Test
    void gemmWithBetaZeroIgnoresNaNInOutput() {
        RowMajorMatrix a = Matrices.random(arena, 2, 3, 3, random);
        RowMajorMatrix b = Matrices.random(arena, 3, 4, 4, random);
        RowMajorMatrix c = RowMajorMatrix.allocate(arena, 2, 4);
        c.fill(Double.NaN);
        double[][] expected = Matrices.naiveGemm(false, false, 1.0, a, b, 0.0, new double[2][4]);

        Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.0, c);

        Matrices.assertClose(expected, c, ATOL, RTOL);
    }

    @Test
    void gemmWithZeroInnerDimensionScalesOutput() {
        RowMajorMatrix a = RowMajorMatrix.allocate(arena, 3, 0);
        RowMajorMatrix b = RowMajorMatrix.allocate(arena, 0, 2);
        RowMajorMatrix c = Matrices.random(arena, 3, 2, 2, random);
        double[][] before = c.toArray();

        Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.5, c);

        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                Matrices.assertClose(0.5 * before[i][j], c.get(i, j), 0, 0, "(" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void gemmRejectsMismatchedShapes() {
        RowMajorMatrix a = RowMajorMatrix.allocate(arena, 3, 4);
        RowMajorMatrix b = RowMajorMatrix.allocate(arena, 5, 2);
        RowMajorMatrix c = RowMajorMatrix.allocate(arena, 3, 2);

        var inner = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1, a, b, 0, c));
        assertTrue(inner.getMessage().contains("inner dimensions"), inner.getMessage());

        RowMajorMatrix wrongRows = RowMajorMatrix.allocate(arena, 2, 2);
        var rows = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(Transpose.TRANSPOSE, Transpose.NO_TRANSPOSE, 1, a, RowMajorMatrix.allocate(arena, 3, 2), 0, wrongRows));
        assertTrue(rows.getMessage().contains("op(A) has 4 rows but C has 2"), rows.getMessage());

        var cols = assertThrows(IllegalArgumentException.class,
                () -> Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, 1, a, RowMajorMatrix.allocate(arena, 3, 4), 0, c));
        assertTrue(cols.getMessage().contains("op(B) has 3 columns but C has 2"), cols.getMessage());
    }

    @Test
    void dgemmRejectsEachLeadingDimensionBelowItsBound() {
        MemorySegment big = arena.allocate(ValueLayout.JAVA_DOUBLE, 100);
        MemorySegment out = arena.allocate(ValueLayout.JAVA_DOUBLE, 100);
        // A is 3 x 4 (no transpose) so lda >= 4; B is 4 x 5 so ldb >= 5; C is 3 x 5 so ldc >= 5
        assertRejected("lda = 3", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, big, 3, big, 5, 0, out, 5));
        assertRejected("ldb = 4", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, big, 4, big, 4, 0, out, 5));
        assertRejected("ldc = 4", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, big, 4, big, 5, 0, out, 4));
        // Transposed A is stored k x m = 4 x 3, so lda >= 3 is enough and 2 is not
        assertRejected("lda = 2", () -> Blas.dgemm(Transpose.TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, big, 2, big, 5, 0, out, 5));
        // Transposed B is stored n x k = 5 x 4, so ldb >= 4
        assertRejected("ldb = 3", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, 3, 5, 4, 1, big, 4, big, 3, 0, out, 5));
        assertRejected("m = -1", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, -1, 5, 4, 1, big, 4, big, 5, 0, out, 5));
        assertRejected("k = -2", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, -2, 1, big, 4, big, 5, 0, out, 5));
    }

    @Test
    void dgemmRejectsSegmentsSmallerThanTheLayout() {
        MemorySegment a = arena.allocate(ValueLayout.JAVA_DOUBLE, 3 * 4 - 1);
        MemorySegment b = arena.allocate(ValueLayout.JAVA_DOUBLE, 4 * 5);
        MemorySegment c = arena.allocate(ValueLayout.JAVA_DOUBLE, 3 * 5);
        assertRejected("segment A has 88 bytes but a 3 x 4 matrix with lda = 4 needs 96 bytes",
                () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, a, 4, b, 5, 0, c, 5));
        // With ldc = 6 the last row of C starts at 12 and ends at 17, beyond the 15 elements allocated
        assertRejected("segment C",
                () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, b, 4, b, 5, 0, c, 6));
    }

    @Test
    void dgemmRejectsOutputOverlappingAnInput() {
        MemorySegment shared = arena.allocate(ValueLayout.JAVA_DOUBLE, 64);
        MemorySegment a = shared.asSlice(0, 12 * Double.BYTES);
        MemorySegment b = arena.allocate(ValueLayout.JAVA_DOUBLE, 20);
        MemorySegment c = shared.asSlice(8 * Double.BYTES, 15 * Double.BYTES);
        assertRejected("output C overlaps input A",
                () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, a, 4, b, 5, 0, c, 5));
    }

    @Test
    void outputsOverlappingAnyInputAreRejected() {
        MemorySegment shared = arena.allocate(ValueLayout.JAVA_DOUBLE, 64);
        MemorySegment separate = arena.allocate(ValueLayout.JAVA_DOUBLE, 64);
        // dgemm: C (3 x 5) starts inside B (4 x 5)
        MemorySegment b = shared.asSlice(0, 20 * Double.BYTES);
        MemorySegment c = shared.asSlice(19 * Double.BYTES, 15 * Double.BYTES);
        assertRejected("output C overlaps input B",
                () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 3, 5, 4, 1, separate, 4, b, 5, 0, c, 5));

        // dgemv: y overlaps A, then y overlaps x
        RowMajorMatrix a = RowMajorMatrix.of(shared.asSlice(0, 6 * Double.BYTES), 2, 3);
        assertRejected("output Y overlaps input A",
                () -> Blas.gemv(Transpose.NO_TRANSPOSE, 1, a, separate, 1, 0, shared.asSlice(5 * Double.BYTES), 1));
        RowMajorMatrix other = RowMajorMatrix.of(separate.asSlice(0, 6 * Double.BYTES), 2, 3);
        MemorySegment x = shared.asSlice(32 * Double.BYTES, 3 * Double.BYTES);
        assertRejected("output Y overlaps input X",
                () -> Blas.gemv(Transpose.NO_TRANSPOSE, 1, other, x, 1, 0, shared.asSlice(33 * Double.BYTES), 1));

        // daxpy: y is x shifted by one element
        assertRejected("daxpy: output Y overlaps input X", () -> Blas.axpy(4, 1, separate, 1, separate.asSlice(8), 1));
    }

    @Test
    void adjacentButDisjointSegmentsAreAccepted() {
        MemorySegment shared = arena.allocate(ValueLayout.JAVA_DOUBLE, 8);
        MemorySegment x = shared.asSlice(0, 4 * Double.BYTES);
        MemorySegment y = shared.asSlice(4 * Double.BYTES, 4 * Double.BYTES);
        x.fill((byte) 0);
        for (int i = 0; i < 4; i++) {
            x.setAtIndex(ValueLayout.JAVA_DOUBLE, i, i + 1);
        }
        Blas.copy(4, x, 1, y, 1);
        assertEquals(4.0, y.getAtIndex(ValueLayout.JAVA_DOUBLE, 3));
    }

    @Test
    void heapSegmentsAreRejected() {
        MemorySegment heap = MemorySegment.ofArray(new double[20]);
        MemorySegment c = arena.allocate(ValueLayout.JAVA_DOUBLE, 20);
        assertRejected("Java heap", () -> Blas.dgemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 2, 2, 2, 1, heap, 2, heap, 2, 0, c, 2));
        assertRejected("Java heap", () -> Blas.axpy(3, 1, heap, 1, c, 1));
    }

    @Test
    void gemvMatchesNaiveBothWays() {
        RowMajorMatrix a = Matrices.random(arena, 3, 5, 7, random);
        MemorySegment x = arena.allocate(ValueLayout.JAVA_DOUBLE, 10);
        MemorySegment y = arena.allocate(ValueLayout.JAVA_DOUBLE, 10);
        for (int i = 0; i < 10; i++) {
            x.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextGaussian());
            y.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextGaussian());
        }

        // y = 2·A·x − y, x of 5 elements with stride 2, y of 3 elements with stride 1
        double[] expected = new double[3];
        for (int i = 0; i < 3; i++) {
            double sum = 0;
            for (int j = 0; j < 5; j++) {
                sum += a.get(i, j) * x.getAtIndex(ValueLayout.JAVA_DOUBLE, 2L * j);
            }
            expected[i] = 2 * sum - y.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        Blas.gemv(Transpose.NO_TRANSPOSE, 2.0, a, x, 2, -1.0, y, 1);
        for (int i = 0; i < 3; i++) {
            Matrices.assertClose(expected[i], y.getAtIndex(ValueLayout.JAVA_DOUBLE, i), ATOL, RTOL, "y[" + i + "]");
        }

        // y = Aᵀ·x, x of 3 elements, y of 5
        double[] transposed = new double[5];
        for (int j = 0; j < 5; j++) {
            for (int i = 0; i < 3; i++) {
                transposed[j] += a.get(i, j) * x.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
            }
        }
        Blas.gemv(Transpose.TRANSPOSE, 1.0, a, x, 1, 0.0, y, 1);
        for (int j = 0; j < 5; j++) {
            Matrices.assertClose(transposed[j], y.getAtIndex(ValueLayout.JAVA_DOUBLE, j), ATOL, RTOL, "y[" + j + "]");
        }
    }

    @Test
    void gemvRejectsShortVectors() {
        RowMajorMatrix a = RowMajorMatrix.allocate(arena, 3, 5);
        MemorySegment four = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
        MemorySegment five = arena.allocate(ValueLayout.JAVA_DOUBLE, 5);
        assertRejected("segment X has 32 bytes but 5 elements", () -> Blas.gemv(Transpose.NO_TRANSPOSE, 1, a, four, 1, 0, five, 1));
        assertRejected("segment Y has 32 bytes but 5 elements", () -> Blas.gemv(Transpose.TRANSPOSE, 1, a, five, 1, 0, four, 1));
    }

    @Test
    void levelOneRoutinesMatchLoops() {
        int n = 7;
        MemorySegment x = arena.allocate(ValueLayout.JAVA_DOUBLE, 3 * n);
        MemorySegment y = arena.allocate(ValueLayout.JAVA_DOUBLE, 2 * n);
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = random.nextGaussian();
            ys[i] = random.nextGaussian();
            x.setAtIndex(ValueLayout.JAVA_DOUBLE, 3L * i, xs[i]);
            y.setAtIndex(ValueLayout.JAVA_DOUBLE, 2L * i, ys[i]);
        }

        double dot = 0;
        double squares = 0;
        for (int i = 0; i < n; i++) {
            dot += xs[i] * ys[i];
            squares += xs[i] * xs[i];
        }
        Matrices.assertClose(dot, Blas.dot(n, x, 3, y, 2), ATOL, RTOL, "ddot");
        Matrices.assertClose(Math.sqrt(squares), Blas.nrm2(n, x, 3), ATOL, RTOL, "dnrm2");

        Blas.axpy(n, -0.5, x, 3, y, 2);
        for (int i = 0; i < n; i++) {
            Matrices.assertClose(ys[i] - 0.5 * xs[i], y.getAtIndex(ValueLayout.JAVA_DOUBLE, 2L * i), ATOL, RTOL, "daxpy[" + i + "]");
        }

        Blas.scal(n, 3.0, x, 3);
        for (int i = 0; i < n; i++) {
            Matrices.assertClose(3.0 * xs[i], x.getAtIndex(ValueLayout.JAVA_DOUBLE, 3L * i), 0, 0, "dscal[" + i + "]");
        }

        Blas.copy(n, x, 3, y, 2);
        for (int i = 0; i < n; i++) {
            Matrices.assertClose(3.0 * xs[i], y.getAtIndex(ValueLayout.JAVA_DOUBLE, 2L * i), 0, 0, "dcopy[" + i + "]");
        }
    }

    @Test
    void levelOneRoutinesRejectBadCountsAndIncrements() {
        MemorySegment x = arena.allocate(ValueLayout.JAVA_DOUBLE, 5);
        MemorySegment y = arena.allocate(ValueLayout.JAVA_DOUBLE, 5);
        assertRejected("daxpy: n = -1", () -> Blas.axpy(-1, 1, x, 1, y, 1));
        assertRejected("dscal: incX = 0", () -> Blas.scal(2, 1, x, 0));
        assertRejected("ddot: incY = -1", () -> Blas.dot(2, x, 1, y, -1));
        assertRejected("dnrm2: segment X has 40 bytes but 3 elements with incX = 3 need 56 bytes", () -> Blas.nrm2(3, x, 3));
        assertRejected("dcopy: output Y overlaps input X", () -> Blas.copy(3, x, 1, x.asSlice(8), 1));
        assertEquals(0.0, Blas.dot(0, x, 1, y, 1));
    }

    @Test
    void closedSegmentThrowsIllegalStateException() {
        Arena closed = Arena.ofConfined();
        MemorySegment x = closed.allocate(ValueLayout.JAVA_DOUBLE, 4);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Blas.nrm2(4, x, 1));
    }

    private static void assertRejected(String expectedText, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expectedText), "message '" + e.getMessage() + "' lacks '" + expectedText + "'");
    }
}
