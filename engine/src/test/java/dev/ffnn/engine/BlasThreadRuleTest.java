package dev.ffnn.engine;

import dev.ffnn.cblas.OpenBlas;
import dev.ffnn.engine.Blas.Transpose;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BlasThreadRuleTest {

    @Test
    void smallProductRunsOnOneThread() {
        int original = Blas.threadCount();
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix a = RowMajorMatrix.allocate(arena, 2, 3);
            RowMajorMatrix b = RowMajorMatrix.allocate(arena, 3, 2);
            RowMajorMatrix c = RowMajorMatrix.allocate(arena, 2, 2);
            Blas.setThreadCount(2);
            int limit = OpenBlas.threadCount();

            // 2·2·2·3 = 24 flops: below a minimum of 100 it runs on one thread, above a minimum of 10 on all
            Blas.setParallelMinFlops(100);
            Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.0, c);
            assertEquals(1, OpenBlas.threadCount());
            assertEquals(limit, Blas.threadCount(), "the limit, not the count of the last call");

            Blas.setParallelMinFlops(10);
            Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.0, c);
            assertEquals(limit, OpenBlas.threadCount());

            // Back to the default, 0: a call after a one-thread call gets the limit again
            Blas.setParallelMinFlops(100);
            Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.0, c);
            Blas.setParallelMinFlops(0);
            Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, a, b, 0.0, c);
            assertEquals(limit, OpenBlas.threadCount());
        } finally {
            Blas.setParallelMinFlops(0);
            Blas.setThreadCount(original);
        }
    }

    @Test
    void invalidMinimumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Blas.setParallelMinFlops(-1));
        assertThrows(IllegalArgumentException.class, () -> Blas.setParallelMinFlops(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Blas.setParallelMinFlops(Double.POSITIVE_INFINITY));
        assertEquals(0.0, Blas.parallelMinFlops());
    }
}
