package dev.ffnn.engine.reference;

/**
 * Cache-blocked products of packed row-major {@code double[]} matrices in plain Java, one for each product of a
 * training step: {@code Z = A·W}, {@code ∂W = Aᵀ·δ} and {@code δ_prev = δ·Wᵀ}.
 *
 * <p>Every matrix is packed row-major from an offset: element (i, j) of an {@code r x c} matrix lies at
 * {@code offset + i·c + j}. The output is overwritten, as with BLAS's {@code beta = 0}, and must not overlap an
 * input. The loops are ordered so the innermost one runs along a row of the output and a row of an input with
 * unit stride, which the JIT compiles to SIMD code. Blocking keeps the panel of the right-hand matrix that the
 * inner loops sweep within the L2 cache. For each output element the sum runs over the inner dimension in
 * ascending order.
 *
 * <p>None of these methods allocates. Shapes are checked by the engines that call them, once at construction.
 */
final class BlockedMatrices {

    /** Rows of the right-hand panel per block: 64 rows of 256 doubles are 128 KiB. */
    static final int INNER_BLOCK = 64;
    /** Columns of the output and of the right-hand panel per block. */
    static final int COLUMN_BLOCK = 256;
    /** Rows of the output per block of {@link #multiplyTransposeA}, whose output rows are revisited per sample. */
    static final int ROW_BLOCK = 64;
    /** Side of the square tiles {@link #transpose} copies. */
    static final int TRANSPOSE_BLOCK = 32;

    private BlockedMatrices() {
    }

    /**
     * Computes {@code C = A·B}: {@code C[i][j] = Σ_p A[i][p]·B[p][j]}.
     *
     * @param a not modified: {@code m x k} from {@code aOffset}
     * @param b not modified: {@code k x n} from {@code bOffset}
     * @param c modified: {@code m x n} from {@code cOffset}
     */
    static void multiply(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                         int m, int n, int k) {
        fill(c, cOffset, m * n, 0.0);
        for (int p0 = 0; p0 < k; p0 += INNER_BLOCK) {
            int p1 = Math.min(p0 + INNER_BLOCK, k);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(j0 + COLUMN_BLOCK, n);
                // The panel B[p0:p1][j0:j1] stays in cache while every row of A passes over it
                for (int i = 0; i < m; i++) {
                    int cRow = cOffset + i * n;
                    int aRow = aOffset + i * k;
                    for (int p = p0; p < p1; p++) {
                        axpy(a[aRow + p], b, bOffset + p * n, c, cRow, j0, j1);
                    }
                }
            }
        }
    }

    /**
     * Computes {@code C = Aᵀ·B}: {@code C[i][j] = Σ_p A[p][i]·B[p][j]}.
     *
     * @param a not modified: {@code k x m} from {@code aOffset}
     * @param b not modified: {@code k x n} from {@code bOffset}
     * @param c modified: {@code m x n} from {@code cOffset}
     */
    static void multiplyTransposeA(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                                   int m, int n, int k) {
        fill(c, cOffset, m * n, 0.0);
        for (int i0 = 0; i0 < m; i0 += ROW_BLOCK) {
            int i1 = Math.min(i0 + ROW_BLOCK, m);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(j0 + COLUMN_BLOCK, n);
                // The block C[i0:i1][j0:j1] stays in cache while every row p of A and B adds its outer product
                for (int p = 0; p < k; p++) {
                    int aRow = aOffset + p * m;
                    int bRow = bOffset + p * n;
                    for (int i = i0; i < i1; i++) {
                        axpy(a[aRow + i], b, bRow, c, cOffset + i * n, j0, j1);
                    }
                }
            }
        }
    }

    /**
     * Computes {@code C = A·Bᵀ}: {@code C[i][j] = Σ_p A[i][p]·B[j][p]}, by packing Bᵀ into {@code scratch} and
     * calling {@link #multiply}, so the inner loop has unit stride instead of being a dot product.
     *
     * @param a       not modified: {@code m x k} from {@code aOffset}
     * @param b       not modified: {@code n x k} from {@code bOffset}
     * @param c       modified: {@code m x n} from {@code cOffset}
     * @param scratch modified: at least {@code k·n} doubles, which receive Bᵀ
     */
    static void multiplyTransposeB(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                                   int m, int n, int k, double[] scratch) {
        transpose(b, bOffset, n, k, scratch);
        multiply(a, aOffset, scratch, 0, c, cOffset, m, n, k);
    }

    /**
     * Writes the transpose of the {@code rows x cols} matrix at {@code source[offset]} into {@code target} as a
     * packed {@code cols x rows} matrix from index 0, tile by tile so both sides are read and written in cache.
     */
    static void transpose(double[] source, int offset, int rows, int cols, double[] target) {
        for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_BLOCK) {
            int i1 = Math.min(i0 + TRANSPOSE_BLOCK, rows);
            for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_BLOCK) {
                int j1 = Math.min(j0 + TRANSPOSE_BLOCK, cols);
                for (int i = i0; i < i1; i++) {
                    int sourceRow = offset + i * cols;
                    for (int j = j0; j < j1; j++) {
                        target[j * rows + i] = source[sourceRow + j];
                    }
                }
            }
        }
    }

    /** Adds {@code alpha·x[xOffset + j]} to {@code y[yOffset + j]} for j in {@code [from, to)}. */
    private static void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int from, int to) {
        for (int j = from; j < to; j++) {
            y[yOffset + j] += alpha * x[xOffset + j];
        }
    }

    private static void fill(double[] array, int offset, int count, double value) {
        java.util.Arrays.fill(array, offset, offset + count, value);
    }
}
