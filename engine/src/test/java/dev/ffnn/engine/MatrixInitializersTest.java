package dev.ffnn.engine;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Orthogonal, identity and Nguyen-Widrow, whose elements are not independent, and thread-count independence. */
class MatrixInitializersTest {

    /** Bound on every element of Wᵀ·W − gain²·I (tall) or W·Wᵀ − gain²·I (wide). */
    private static final double ORTHOGONALITY_ATOL = 1e-12;

    @Test
    void orthogonalTallHasOrthonormalColumns() {
        for (double gain : new double[]{1.0, Gain.RELU}) {
            try (Arena arena = Arena.ofShared()) {
                RowMajorMatrix w = RowMajorMatrix.allocate(arena, 300, 120);
                Initializers.orthogonal(gain).fill(w, 7, 2);
                assertGram(w, true, gain);
            }
        }
    }

    @Test
    void orthogonalWideHasOrthonormalRows() {
        for (double gain : new double[]{1.0, Gain.TANH}) {
            try (Arena arena = Arena.ofShared()) {
                RowMajorMatrix w = RowMajorMatrix.allocate(arena, 120, 300);
                Initializers.orthogonal(gain).fill(w, 7, 2);
                assertGram(w, false, gain);
            }
        }
    }

    @Test
    void orthogonalSquareAndStridedIsOrthogonal() {
        try (Arena arena = Arena.ofShared()) {
            // A 64 x 64 view with leading dimension 70: the padding columns must keep their value
            RowMajorMatrix wide = RowMajorMatrix.allocate(arena, 64, 70);
            wide.fill(-9.0);
            RowMajorMatrix w = new RowMajorMatrix(64, 64, 70, wide.segment());
            Initializers.orthogonal(1.0).fill(w, Seeds.generator(3, 0));
            assertGram(w, true, 1.0);
            assertGram(w, false, 1.0);
            for (int i = 0; i < 64; i++) {
                for (int j = 64; j < 70; j++) {
                    assertEquals(-9.0, wide.get(i, j), 0, "padding (" + i + ", " + j + ")");
                }
            }
        }
    }

    @Test
    void orthogonalOneColumnIsUnitVector() {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix column = RowMajorMatrix.allocate(arena, 50, 1);
            Initializers.orthogonal(2.0).fill(column, 1, 1);
            assertGram(column, true, 2.0);
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, 50);
            Initializers.orthogonal(2.0).fill(row, 1, 1);
            assertGram(row, false, 2.0);
        }
    }

    @Test
    void orthogonalElementsHaveHaarMoments() {
        // 1000 x 400: each of the 400 columns is a unit vector uniform on the sphere in R¹⁰⁰⁰, so the elements have
        // mean 0 and mean square exactly 1/1000 (each column's squares sum to 1)
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 1000, 400);
            Initializer orthogonal = Initializers.orthogonal(1.0);
            orthogonal.fill(w, 9, 2);
            long count = w.elementCount();
            double meanSquare = 0;
            for (long k = 0; k < count; k++) {
                double value = w.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, k);
                meanSquare += value * value;
            }
            meanSquare /= count;
            assertEquals(1.0 / 1000, meanSquare, 1e-15);
            Distribution exact = orthogonal.distribution(1000, 400).orElseThrow();
            assertEquals(1.0 / 1000, exact.variance(), 1e-18);
            assertEquals(3.0 / (1000 * 1002), exact.fourthCentralMoment(), 1e-18);
            double mean = TensorStatistics.of(w.segment(), count, 0).mean();
            // Elements of one column are weakly dependent, so allow 5 standard errors of an independent sample
            assertTrue(Math.abs(mean) <= 5 * exact.meanStandardError(count), "mean " + mean);
        }
    }

    @Test
    void orthogonalMillionValuesMatchMarginalLaw() {
        // 25 independent 200 x 200 matrices, 10⁶ values. Elements of a Haar matrix are uncorrelated with mean 0, so
        // the standard error of the mean is σ/√N; each matrix's squares sum to gain²·200, so the mean square is exact
        double gain = Gain.RELU;
        Initializer orthogonal = Initializers.orthogonal(gain);
        Distribution law = orthogonal.distribution(200, 200).orElseThrow();
        long count = 25L * 200 * 200;
        double sum = 0;
        double squares = 0;
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 200, 200);
            for (int matrix = 0; matrix < 25; matrix++) {
                orthogonal.fill(w, 100 + matrix, 2);
                for (long k = 0; k < w.elementCount(); k++) {
                    double value = w.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, k);
                    assertTrue(Math.abs(value) <= gain, "matrix " + matrix + ", element " + k + " = " + value + " outside ±" + gain);
                    sum += value;
                    squares += value * value;
                }
            }
        }
        double mean = sum / count;
        assertTrue(Math.abs(mean) <= 5 * law.meanStandardError(count), "mean " + mean + " beyond 5 standard errors "
                + law.meanStandardError(count));
        assertEquals(gain * gain / 200, law.variance(), 1e-15);
        assertEquals(law.variance(), squares / count, 1e-9 * law.variance());
    }

    @Test
    void nguyenWidrowMillionValuesMatchMarginalLaw() {
        // 1000 x 1000: each column has norm β, so the mean square is β²/1000 exactly. Signs are symmetric and
        // uncorrelated, so the mean lies within 5 standard errors σ/√N of 0
        Initializer nguyenWidrow = Initializers.nguyenWidrow();
        double beta = 0.7 * Math.pow(1000, 1.0 / 1000);
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 1000, 1000);
            nguyenWidrow.fill(w, 3, 2);
            long count = w.elementCount();
            double sum = 0;
            double squares = 0;
            for (long k = 0; k < count; k++) {
                double value = w.segment().getAtIndex(ValueLayout.JAVA_DOUBLE, k);
                assertTrue(Math.abs(value) <= beta, "element " + k + " = " + value + " outside ±" + beta);
                sum += value;
                squares += value * value;
            }
            Distribution law = nguyenWidrow.distribution(1000, 1000).orElseThrow();
            assertEquals(beta * beta / 1000, law.variance(), 1e-15);
            assertEquals(law.variance(), squares / count, 1e-9 * law.variance());
            assertTrue(Math.abs(sum / count) <= 5 * law.meanStandardError(count), "mean " + sum / count);
        }
    }

    @Test
    void identityMillionValuesHaveExactMoments() {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, 1000, 1000);
            Initializer identity = Initializers.identity(3.0);
            identity.fill(w, 1, 2);
            long count = w.elementCount();
            TensorStatistics statistics = TensorStatistics.of(w.segment(), count, 0);
            double mean = statistics.mean();
            double variance = statistics.variance();
            // 1,000 of 10⁶ elements equal 3: mean 0.003, variance 9·p(1 − p) with p = 0.001, up to the rounding
            // of sums over 10⁶ values
            assertEquals(0.003, mean, 1e-9 * 0.003);
            assertEquals(9 * 0.001 * 0.999, variance, 1e-9 * 9 * 0.001 * 0.999);
            Distribution law = identity.distribution(1000, 1000).orElseThrow();
            assertEquals(0.003, law.mean(), 1e-15);
            assertEquals(9 * 0.001 * 0.999, law.variance(), 1e-15);
        }
    }

    @Test
    void identityPutsGainOnLeadingDiagonal() {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix tall = RowMajorMatrix.allocate(arena, 3, 2);
            tall.fill(5.0);
            Initializers.identity(2.0).fill(tall, 1, 4);
            assertArrayEquals(new double[][]{{2, 0}, {0, 2}, {0, 0}}, tall.toArray());
            RowMajorMatrix wide = RowMajorMatrix.allocate(arena, 2, 3);
            Initializers.parse("identity").fill(wide, Seeds.generator(1, 0));
            assertArrayEquals(new double[][]{{1, 0, 0}, {0, 1, 0}}, wide.toArray());
        }
        // 2 of 6 elements equal the gain 2: mean 2/3, variance 4·(1/3)(2/3)
        Distribution law = Initializers.identity(2.0).distribution(3, 2).orElseThrow();
        assertEquals(2.0 / 3, law.mean(), 1e-15);
        assertEquals(8.0 / 9, law.variance(), 1e-15);
    }

    @Test
    void nguyenWidrowScalesEachNeuronToBeta() {
        int fanIn = 3;
        int fanOut = 64;
        double beta = 0.7 * Math.pow(fanOut, 1.0 / fanIn);
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix w = RowMajorMatrix.allocate(arena, fanIn, fanOut);
            MemorySegment bias = arena.allocate(ValueLayout.JAVA_DOUBLE, fanOut);
            Initializer nguyenWidrow = Initializers.parse("nguyen-widrow");
            nguyenWidrow.fill(w, 5, 2);
            nguyenWidrow.fillBias(bias, fanIn, fanOut, Seeds.generator(5, 1));
            for (int j = 0; j < fanOut; j++) {
                double squares = 0;
                for (int i = 0; i < fanIn; i++) {
                    squares += w.get(i, j) * w.get(i, j);
                }
                assertEquals(beta, Math.sqrt(squares), 1e-12, "norm of column " + j);
                double b = bias.getAtIndex(ValueLayout.JAVA_DOUBLE, j);
                assertTrue(b >= -beta, "bias " + j + " = " + b + " below -" + beta);
                assertTrue(b < beta, "bias " + j + " = " + b + " not below " + beta);
            }
            assertEquals(beta * beta / fanIn, nguyenWidrow.distribution(fanIn, fanOut).orElseThrow().variance(), 1e-15);
        }
    }

    @Test
    void fillIndependentOfThreadCount() {
        List<Initializer> initializers = List.of(Initializers.heNormal(), Initializers.xavierUniform(),
                Initializers.truncatedNormal(0, 1, 0.1, 0.3), Initializers.bernoulli(0.3), Initializers.orthogonal(1.0),
                Initializers.nguyenWidrow());
        for (Initializer initializer : initializers) {
            // 700 x 300 = 210,000 elements: three full blocks and a partial one. Orthogonal uses 400 x 300
            int rows = initializer.name().equals("orthogonal") ? 400 : 700;
            try (Arena arena = Arena.ofShared()) {
                RowMajorMatrix singleThread = RowMajorMatrix.allocate(arena, rows, 300);
                RowMajorMatrix twoThreads = RowMajorMatrix.allocate(arena, rows, 300);
                RowMajorMatrix fourThreads = RowMajorMatrix.allocate(arena, rows, 300);
                initializer.fill(singleThread, 42, 1);
                initializer.fill(twoThreads, 42, 2);
                initializer.fill(fourThreads, 42, 4);
                assertEquals(-1, singleThread.segment().mismatch(twoThreads.segment()), initializer.name() + ": 1 and 2 threads differ");
                assertEquals(-1, singleThread.segment().mismatch(fourThreads.segment()), initializer.name() + ": 1 and 4 threads differ");
                initializer.fill(twoThreads, 43, 2);
                assertTrue(singleThread.segment().mismatch(twoThreads.segment()) >= 0, initializer.name() + ": seeds 42 and 43 agree");
            }
        }
        assertEquals(6, initializers.size(), "initializers checked");
    }

    @Test
    void blockFillLeavesPaddingAlone() {
        try (Arena arena = Arena.ofShared()) {
            // 300 x 250 inside rows of 260 doubles: 75,000 elements, two blocks whose boundary falls mid-row
            RowMajorMatrix storage = RowMajorMatrix.allocate(arena, 300, 260);
            storage.fill(7.0);
            RowMajorMatrix view = new RowMajorMatrix(300, 250, 260, storage.segment());
            RowMajorMatrix packed = RowMajorMatrix.allocate(arena, 300, 250);
            Initializers.heNormal().fill(view, 3, 4);
            Initializers.heNormal().fill(packed, 3, 1);
            for (int i = 0; i < 300; i++) {
                for (int j = 0; j < 260; j++) {
                    if (j < 250) {
                        assertEquals(packed.get(i, j), view.get(i, j), 0, "(" + i + ", " + j + ")");
                    } else {
                        assertEquals(7.0, storage.get(i, j), 0, "padding (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void confinedSegmentIsFilledOnCallingThread() {
        try (Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
            RowMajorMatrix expected = RowMajorMatrix.allocate(shared, 400, 400);
            RowMajorMatrix actual = RowMajorMatrix.allocate(confined, 400, 400);
            Initializers.xavierNormal().fill(expected, 8, 1);
            Initializers.xavierNormal().fill(actual, 8, 4);
            assertEquals(-1, expected.segment().mismatch(actual.segment()));
        }
    }

    @Test
    void matrixOnlyInitializersRejectBiases() {
        try (Arena arena = Arena.ofShared()) {
            MemorySegment bias = arena.allocate(ValueLayout.JAVA_DOUBLE, 4);
            for (Initializer initializer : List.of(Initializers.orthogonal(1.0), Initializers.identity(1.0))) {
                var e = assertThrows(IllegalArgumentException.class,
                        () -> initializer.fillBias(bias, 3, 4, Seeds.generator(1, 0)));
                assertTrue(e.getMessage().contains("fills weight matrices only"), e.getMessage());
            }
        }
    }

    /** Asserts {@code Wᵀ·W = gain²·I} (columns) or {@code W·Wᵀ = gain²·I} (rows), computed with plain loops. */
    private static void assertGram(RowMajorMatrix w, boolean columns, double gain) {
        int size = columns ? w.cols() : w.rows();
        int length = columns ? w.rows() : w.cols();
        for (int p = 0; p < size; p++) {
            for (int q = 0; q < size; q++) {
                double dot = 0;
                for (int k = 0; k < length; k++) {
                    dot += columns ? w.get(k, p) * w.get(k, q) : w.get(p, k) * w.get(q, k);
                }
                double expected = p == q ? gain * gain : 0;
                if (!(Math.abs(dot - expected) <= ORTHOGONALITY_ATOL)) {
                    throw new AssertionError((columns ? "WᵀW" : "WWᵀ") + "(" + p + ", " + q + ") of a " + w.rows() + " x "
                            + w.cols() + " matrix = " + dot + ", expected " + expected + " within " + ORTHOGONALITY_ATOL);
                }
            }
        }
    }
}
