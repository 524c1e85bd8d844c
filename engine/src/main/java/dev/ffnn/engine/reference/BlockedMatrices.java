package dev.ffnn.engine.reference;

import java.util.Arrays;

/**
 * Cache-blocked products of packed row-major {@code double[]} matrices in plain Java, for the three products of
 * a training step: {@link #multiply} for {@code Z = A·W}, {@link #multiplyTransposeA} for {@code ∂W = Aᵀ·δ},
 * and {@link #transpose} then {@link #multiply} for {@code δ_prev = δ·Wᵀ}, so that product's inner loop has unit
 * stride instead of being a dot product.
 *
 * <p>Every matrix is packed row-major from an offset: element (i, j) of an {@code r x c} matrix lies at
 * {@code offset + i·c + j}. The output is overwritten, as with BLAS's {@code beta = 0}, and must not overlap an
 * input.
 *
 * <p>The innermost loop runs along a row of the output and rows of the right-hand matrix with unit stride, so
 * HotSpot's C2 compiler can vectorize it. It updates two output rows from four right-hand rows at a time, so each
 * element it loads serves several multiply-adds. Blocking keeps the part of the right-hand matrix (or of the
 * output) that the inner loops revisit within the L2 cache. For each output element the sum runs over the
 * inner dimension in ascending order, four terms at a time.
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
        Arrays.fill(c, cOffset, cOffset + m * n, 0.0);
        for (int p0 = 0; p0 < k; p0 += INNER_BLOCK) {
            int p1 = Math.min(p0 + INNER_BLOCK, k);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(j0 + COLUMN_BLOCK, n);
                // The panel B[p0:p1][j0:j1] stays in cache while every row of A passes over it
                int i = 0;
                for (; i + 1 < m; i += 2) {
                    int aRow = aOffset + i * k;
                    int cRow = cOffset + i * n;
                    int p = p0;
                    for (; p + 3 < p1; p += 4) {
                        int x = aRow + p;
                        int y = x + k;
                        updateTwoRows(a[x], a[x + 1], a[x + 2], a[x + 3], a[y], a[y + 1], a[y + 2], a[y + 3],
                                b, bOffset + p * n, n, c, cRow, cRow + n, j0, j1);
                    }
                    for (; p < p1; p++) {
                        axpy(a[aRow + p], b, bOffset + p * n, c, cRow, j0, j1);
                        axpy(a[aRow + k + p], b, bOffset + p * n, c, cRow + n, j0, j1);
                    }
                }
                if (i < m) {
                    int aRow = aOffset + i * k;
                    int cRow = cOffset + i * n;
                    int p = p0;
                    for (; p + 3 < p1; p += 4) {
                        int x = aRow + p;
                        updateOneRow(a[x], a[x + 1], a[x + 2], a[x + 3], b, bOffset + p * n, n, c, cRow, j0, j1);
                    }
                    for (; p < p1; p++) {
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
        multiplyTransposeA(a, aOffset, b, bOffset, c, cOffset, m, n, k, 0, m);
    }

    /**
     * Computes rows {@code [rowFrom, rowTo)} of {@code C = Aᵀ·B} and leaves the other rows of C unchanged, so
     * threads can share one product; see {@link #multiplyTransposeA(double[], int, double[], int, double[], int, int,
     * int, int)}.
     */
    static void multiplyTransposeA(double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset,
                                   int m, int n, int k, int rowFrom, int rowTo) {
        Arrays.fill(c, cOffset + rowFrom * n, cOffset + rowTo * n, 0.0);
        for (int i0 = rowFrom; i0 < rowTo; i0 += ROW_BLOCK) {
            int i1 = Math.min(i0 + ROW_BLOCK, rowTo);
            for (int j0 = 0; j0 < n; j0 += COLUMN_BLOCK) {
                int j1 = Math.min(j0 + COLUMN_BLOCK, n);
                // The block C[i0:i1][j0:j1] stays in cache while the rows of A and B add their outer products
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    int aRow = aOffset + p * m;
                    int bRow = bOffset + p * n;
                    int i = i0;
                    for (; i + 1 < i1; i += 2) {
                        int x = aRow + i;
                        updateTwoRows(a[x], a[x + m], a[x + 2 * m], a[x + 3 * m],
                                a[x + 1], a[x + 1 + m], a[x + 1 + 2 * m], a[x + 1 + 3 * m],
                                b, bRow, n, c, cOffset + i * n, cOffset + (i + 1) * n, j0, j1);
                    }
                    if (i < i1) {
                        int x = aRow + i;
                        updateOneRow(a[x], a[x + m], a[x + 2 * m], a[x + 3 * m], b, bRow, n, c, cOffset + i * n, j0, j1);
                    }
                }
                for (; p < k; p++) {
                    for (int i = i0; i < i1; i++) {
                        axpy(a[aOffset + p * m + i], b, bOffset + p * n, c, cOffset + i * n, j0, j1);
                    }
                }
            }
        }
    }

    /**
     * Writes the transpose of the {@code rows x cols} matrix at {@code source[offset]} into {@code target} as a
     * packed {@code cols x rows} matrix from index 0, tile by tile so both sides are read and written in cache.
     *
     * @param source not modified
     * @param target modified: its first {@code rows·cols} doubles
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

    /**
     * Adds four rows of B, weighted, to each of two rows of C, for j in {@code [from, to)}:
     * {@code C[r0][j] += x0·B[0][j] + x1·B[1][j] + x2·B[2][j] + x3·B[3][j]}, and likewise row r1 with y0 to y3,
     * where {@code B[q][j]} is {@code b[bRow + q·bStride + j]}. Each element of B is loaded once for both rows.
     */
    private static void updateTwoRows(double x0, double x1, double x2, double x3,
                                      double y0, double y1, double y2, double y3,
                                      double[] b, int bRow, int bStride, double[] c, int cRow0, int cRow1,
                                      int from, int to) {
        int b1 = bRow + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        for (int j = from; j < to; j++) {
            double v0 = b[bRow + j];
            double v1 = b[b1 + j];
            double v2 = b[b2 + j];
            double v3 = b[b3 + j];
            c[cRow0 + j] += x0 * v0 + x1 * v1 + x2 * v2 + x3 * v3;
            c[cRow1 + j] += y0 * v0 + y1 * v1 + y2 * v2 + y3 * v3;
        }
    }

    /** Adds four rows of B, weighted by x0 to x3, to one row of C; see {@link #updateTwoRows}. */
    private static void updateOneRow(double x0, double x1, double x2, double x3,
                                     double[] b, int bRow, int bStride, double[] c, int cRow, int from, int to) {
        int b1 = bRow + bStride;
        int b2 = b1 + bStride;
        int b3 = b2 + bStride;
        for (int j = from; j < to; j++) {
            c[cRow + j] += x0 * b[bRow + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
        }
    }

    /** Adds {@code alpha·x[xOffset + j]} to {@code y[yOffset + j]} for j in {@code [from, to)}. */
    private static void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int from, int to) {
        for (int j = from; j < to; j++) {
            y[yOffset + j] += alpha * x[xOffset + j];
        }
    }
}
