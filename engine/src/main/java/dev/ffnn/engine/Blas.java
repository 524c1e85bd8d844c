package dev.ffnn.engine;

import dev.ffnn.cblas.OpenBlas;
import dev.ffnn.cblas.cblas_h;
import dev.ffnn.openblas.OpenBlasLoadException;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Checked calls to the BLAS routines the engine uses, on row-major data.
 *
 * <p>Every method checks its dimensions, leading dimensions, increments and segment sizes in Java before
 * the downcall and throws an {@link IllegalArgumentException} that names the routine, the argument, its
 * value and the bound. OpenBLAS therefore never reaches its own parameter check, which would print to
 * stderr, and never reads or writes outside a segment.
 *
 * <p>Row-major leading-dimension rules: a matrix stored as {@code r x c} needs a leading dimension of at
 * least {@code max(1, c)} and a segment of at least {@code ((r - 1) * ld + c) * 8} bytes. For
 * {@code op(A) = A} the stored shape of an {@code m x k} operand is {@code m x k}; for {@code op(A) = Aᵀ}
 * it is {@code k x m}. With {@code beta = 0} the output is overwritten (its old contents, NaN included,
 * are not read); with {@code beta = 1} the product is added to it.
 *
 * <p>Segments must be native (allocated from an {@link java.lang.foreign.Arena}) and alive. Outputs must
 * not overlap inputs. Increments must be positive.
 */
public final class Blas {

    /** Whether an operand enters a product as stored or transposed. */
    public enum Transpose {
        NO_TRANSPOSE, TRANSPOSE;

        int cblasValue() {
            return this == NO_TRANSPOSE ? cblas_h.CblasNoTrans() : cblas_h.CblasTrans();
        }
    }

    private Blas() {
    }

    /**
     * Computes {@code C = alpha * op(A) * op(B) + beta * C} on row-major matrices.
     *
     * @param a not modified; {@code op(a)} is {@code c.rows() x k}
     * @param b not modified; {@code op(b)} is {@code k x c.cols()}
     * @param c modified
     * @throws IllegalArgumentException if the shapes do not chain, or c overlaps a or b
     */
    public static void gemm(Transpose transA, Transpose transB, double alpha, RowMajorMatrix a, RowMajorMatrix b,
                            double beta, RowMajorMatrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = transA == Transpose.NO_TRANSPOSE ? a.cols() : a.rows();
        int aRows = transA == Transpose.NO_TRANSPOSE ? a.rows() : a.cols();
        int bRows = transB == Transpose.NO_TRANSPOSE ? b.rows() : b.cols();
        int bCols = transB == Transpose.NO_TRANSPOSE ? b.cols() : b.rows();
        if (aRows != m) {
            throw new IllegalArgumentException("dgemm: op(A) has " + aRows + " rows but C has " + m
                    + " (A is " + a.rows() + " x " + a.cols() + ", " + transA + ")");
        }
        if (bCols != n) {
            throw new IllegalArgumentException("dgemm: op(B) has " + bCols + " columns but C has " + n
                    + " (B is " + b.rows() + " x " + b.cols() + ", " + transB + ")");
        }
        if (bRows != k) {
            throw new IllegalArgumentException("dgemm: op(A) is " + m + " x " + k + " but op(B) is " + bRows + " x "
                    + bCols + ": the inner dimensions must match");
        }
        dgemm(transA, transB, m, n, k, alpha, a.segment(), a.leadingDimension(), b.segment(), b.leadingDimension(),
                beta, c.segment(), c.leadingDimension());
    }

    /**
     * Computes {@code C = alpha * op(A) * op(B) + beta * C}, row-major, with {@code cblas_dgemm}'s arguments.
     *
     * <p>{@code op(A)} is {@code m x k}, {@code op(B)} is {@code k x n}, C is {@code m x n}. Bounds:
     * {@code lda >= max(1, transA == NO_TRANSPOSE ? k : m)}, {@code ldb >= max(1, transB == NO_TRANSPOSE ? n : k)},
     * {@code ldc >= max(1, n)}.
     *
     * @param a not modified
     * @param b not modified
     * @param c modified
     */
    public static void dgemm(Transpose transA, Transpose transB, int m, int n, int k, double alpha,
                             MemorySegment a, int lda, MemorySegment b, int ldb,
                             double beta, MemorySegment c, int ldc) {
        requireNonNegative("dgemm", "m", m);
        requireNonNegative("dgemm", "n", n);
        requireNonNegative("dgemm", "k", k);
        boolean noTransA = transA == Transpose.NO_TRANSPOSE;
        boolean noTransB = transB == Transpose.NO_TRANSPOSE;
        long aSpan = checkMatrix("dgemm", "A", a, "lda", lda, noTransA ? m : k, noTransA ? k : m);
        long bSpan = checkMatrix("dgemm", "B", b, "ldb", ldb, noTransB ? k : n, noTransB ? n : k);
        long cSpan = checkMatrix("dgemm", "C", c, "ldc", ldc, m, n);
        requireDisjoint("dgemm", "C", c, cSpan, "A", a, aSpan);
        requireDisjoint("dgemm", "C", c, cSpan, "B", b, bSpan);
        if (m == 0 || n == 0) {
            return;
        }
        useThreadsFor(2.0 * m * n * k);
        cblas_h.cblas_dgemm(cblas_h.CblasRowMajor(), transA.cblasValue(), transB.cblasValue(), m, n, k,
                alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /**
     * Computes {@code y = alpha * op(A) * x + beta * y} on a row-major A ({@code cblas_dgemv}).
     *
     * @param a not modified, {@code a.rows() x a.cols()}
     * @param x not modified, {@code op(A).cols()} elements
     * @param y modified, {@code op(A).rows()} elements
     */
    public static void gemv(Transpose transA, double alpha, RowMajorMatrix a, MemorySegment x, int incX,
                            double beta, MemorySegment y, int incY) {
        int m = a.rows();
        int n = a.cols();
        boolean noTrans = transA == Transpose.NO_TRANSPOSE;
        long aSpan = checkMatrix("dgemv", "A", a.segment(), "lda", a.leadingDimension(), m, n);
        long xSpan = checkVector("dgemv", "X", x, "incX", incX, noTrans ? n : m);
        long ySpan = checkVector("dgemv", "Y", y, "incY", incY, noTrans ? m : n);
        requireDisjoint("dgemv", "Y", y, ySpan, "A", a.segment(), aSpan);
        requireDisjoint("dgemv", "Y", y, ySpan, "X", x, xSpan);
        if (m == 0 || n == 0) {
            if (ySpan > 0 && (noTrans ? m : n) > 0) {
                scal(noTrans ? m : n, beta, y, incY);
            }
            return;
        }
        useThreadsFor(2.0 * m * n);
        cblas_h.cblas_dgemv(cblas_h.CblasRowMajor(), transA.cblasValue(), m, n, alpha, a.segment(),
                a.leadingDimension(), x, incX, beta, y, incY);
    }

    /** Computes {@code y = alpha * x + y} over {@code n} elements ({@code cblas_daxpy}); y is modified. */
    public static void axpy(int n, double alpha, MemorySegment x, int incX, MemorySegment y, int incY) {
        requireNonNegative("daxpy", "n", n);
        long xSpan = checkVector("daxpy", "X", x, "incX", incX, n);
        long ySpan = checkVector("daxpy", "Y", y, "incY", incY, n);
        requireDisjoint("daxpy", "Y", y, ySpan, "X", x, xSpan);
        if (n > 0) {
            useThreadsFor(2.0 * n);
            cblas_h.cblas_daxpy(n, alpha, x, incX, y, incY);
        }
    }

    /** Computes {@code x = alpha * x} over {@code n} elements ({@code cblas_dscal}); x is modified. */
    public static void scal(int n, double alpha, MemorySegment x, int incX) {
        requireNonNegative("dscal", "n", n);
        checkVector("dscal", "X", x, "incX", incX, n);
        if (n > 0) {
            cblas_h.cblas_dscal(n, alpha, x, incX);
        }
    }

    /** Returns {@code xᵀ·y} over {@code n} elements ({@code cblas_ddot}). */
    public static double dot(int n, MemorySegment x, int incX, MemorySegment y, int incY) {
        requireNonNegative("ddot", "n", n);
        checkVector("ddot", "X", x, "incX", incX, n);
        checkVector("ddot", "Y", y, "incY", incY, n);
        return n == 0 ? 0.0 : cblas_h.cblas_ddot(n, x, incX, y, incY);
    }

    /** Returns the Euclidean norm {@code ‖x‖₂} over {@code n} elements ({@code cblas_dnrm2}). */
    public static double nrm2(int n, MemorySegment x, int incX) {
        requireNonNegative("dnrm2", "n", n);
        checkVector("dnrm2", "X", x, "incX", incX, n);
        return n == 0 ? 0.0 : cblas_h.cblas_dnrm2(n, x, incX);
    }

    /** Copies {@code n} elements of x into y ({@code cblas_dcopy}); y is modified. */
    public static void copy(int n, MemorySegment x, int incX, MemorySegment y, int incY) {
        requireNonNegative("dcopy", "n", n);
        long xSpan = checkVector("dcopy", "X", x, "incX", incX, n);
        long ySpan = checkVector("dcopy", "Y", y, "incY", incY, n);
        requireDisjoint("dcopy", "Y", y, ySpan, "X", x, xSpan);
        if (n > 0) {
            cblas_h.cblas_dcopy(n, x, incX, y, incY);
        }
    }

    /**
     * Returns the number of threads OpenBLAS uses for one call: the count set last by {@link #setThreadCount}
     * (as capped by OpenBLAS), or OpenBLAS's own default before the first call.
     */
    public static int threadCount() {
        int limit = threadLimit;
        return limit > 0 ? limit : OpenBlas.threadCount();
    }

    /**
     * Sets the number of threads OpenBLAS uses for one call. From then on, a {@code gemm}, {@code gemv} or
     * {@code axpy} of fewer than {@link #parallelMinFlops()} floating-point operations runs on one thread (by
     * default none, because the minimum is 0).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static void setThreadCount(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        OpenBlas.setThreadCount(threads);
        int effective = OpenBlas.threadCount();
        threadLimit = effective;
        threadsInEffect = effective;
    }

    private static volatile int threadLimit;   // the count set by setThreadCount, 0 before the first call
    private static int threadsInEffect;        // what OpenBLAS was last set to
    private static volatile double parallelMinFlops;   // 0: OpenBLAS chooses the threads of every call

    /**
     * Returns the fewest floating-point operations ({@code 2·m·n·k} for a product, {@code 2·m·n} for
     * {@code gemv}, {@code 2·n} for {@code axpy}) for which a call may use more than one OpenBLAS thread; 0, the
     * default, leaves every call to OpenBLAS's own rules.
     *
     * @apiNote A product split across threads waits for the slowest thread at every block, so a small product can
     * lose more to that synchronisation than it gains. On a busy machine, a thread that loses its core stalls the
     * whole product. Running small calls on one thread showed no consistent gain on a shared 2-core machine
     * ({@code ffnn bench --compare-small-product-rule}, see {@code docs/benchmarks.md}), so it is off by default.
     */
    public static double parallelMinFlops() {
        return parallelMinFlops;
    }

    /**
     * Sets {@link #parallelMinFlops()}; 0 lets OpenBLAS split every call by its own rules. It applies only after
     * {@link #setThreadCount}, which sets the limit it switches back to.
     *
     * @throws IllegalArgumentException if {@code flops} is negative or not finite
     */
    public static void setParallelMinFlops(double flops) {
        if (!(flops >= 0) || !Double.isFinite(flops)) {
            throw new IllegalArgumentException("minimum flops " + flops + " is invalid: it must be a finite number >= 0");
        }
        parallelMinFlops = flops;
    }

    /** Sets OpenBLAS to one thread for a small product and back to the limit for a large one, only on a change. */
    private static void useThreadsFor(double flops) {
        int limit = threadLimit;
        if (limit <= 1 || (parallelMinFlops == 0 && threadsInEffect == limit)) {
            return;
        }
        int threads = flops < parallelMinFlops ? 1 : limit;
        if (threads != threadsInEffect) {
            cblas_h.openblas_set_num_threads(threads);
            threadsInEffect = threads;
        }
    }

    /**
     * Loads OpenBLAS if it is not loaded yet and returns what was loaded: library path and origin, OpenBLAS
     * configuration, core name and thread count.
     *
     * @throws IllegalStateException if no OpenBLAS library could be loaded; the message lists every place tried
     */
    public static BlasInfo load() {
        try {
            return info();
        } catch (OpenBlasLoadException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("OpenBLAS failed to load earlier in this process: " + e.getMessage(), e);
        }
    }

    /** Returns what was loaded: library path and origin, OpenBLAS configuration, core name and thread count. */
    public static BlasInfo info() {
        return new BlasInfo(OpenBlas.library().path().toString(), OpenBlas.library().origin().toString(),
                OpenBlas.config(), OpenBlas.coreName(), threadCount(),
                OpenBlas.library().skippedCandidates());
    }

    /**
     * A description of the loaded BLAS library.
     *
     * @param libraryPath the shared library file, or its name when the system loader found it
     * @param origin      where it came from: an explicit path, the copy bundled with ffnn, or the system
     * @param config      the string {@code openblas_get_config()} returns
     * @param coreName    the CPU kernel family OpenBLAS chose, from {@code openblas_get_corename()}
     * @param threadCount the current OpenBLAS thread count
     * @param skipped     one line per place tried before the loaded one, with the reason it failed
     */
    public record BlasInfo(String libraryPath, String origin, String config, String coreName, int threadCount,
                           List<String> skipped) {
    }

    private static void requireNonNegative(String routine, String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(routine + ": " + name + " = " + value + " is invalid: it must be >= 0");
        }
    }

    /** Checks a stored {@code rows x cols} row-major operand and returns the bytes it spans. */
    private static long checkMatrix(String routine, String name, MemorySegment segment, String ldName, int ld,
                                    int rows, int cols) {
        requireNative(routine, name, segment);
        int minLd = Math.max(1, cols);
        if (ld < minLd) {
            throw new IllegalArgumentException(routine + ": " + ldName + " = " + ld + " is invalid for " + name
                    + " stored as " + rows + " x " + cols + ": it must be >= max(1, " + cols + ") = " + minLd);
        }
        long span = RowMajorMatrix.requiredByteSize(rows, cols, ld);
        if (segment.byteSize() < span) {
            throw new IllegalArgumentException(routine + ": segment " + name + " has " + segment.byteSize()
                    + " bytes but a " + rows + " x " + cols + " matrix with " + ldName + " = " + ld + " needs "
                    + span + " bytes");
        }
        return span;
    }

    /** Checks a strided vector of {@code n} elements and returns the bytes it spans. */
    private static long checkVector(String routine, String name, MemorySegment segment, String incName, int inc,
                                    int n) {
        requireNative(routine, name, segment);
        if (inc < 1) {
            throw new IllegalArgumentException(routine + ": " + incName + " = " + inc
                    + " is invalid: ffnn supports only positive increments (>= 1)");
        }
        long span = n == 0 ? 0 : (1 + (long) (n - 1) * inc) * Double.BYTES;
        if (segment.byteSize() < span) {
            throw new IllegalArgumentException(routine + ": segment " + name + " has " + segment.byteSize()
                    + " bytes but " + n + " elements with " + incName + " = " + inc + " need " + span + " bytes");
        }
        return span;
    }

    private static void requireNative(String routine, String name, MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException(routine + ": segment " + name
                    + " is on the Java heap; BLAS needs native memory, so allocate it from an Arena");
        }
    }

    private static void requireDisjoint(String routine, String outName, MemorySegment out, long outSpan,
                                        String inName, MemorySegment in, long inSpan) {
        if (outSpan == 0 || inSpan == 0) {
            return;
        }
        long outStart = out.address();
        long inStart = in.address();
        if (outStart < inStart + inSpan && inStart < outStart + outSpan) {
            throw new IllegalArgumentException(routine + ": output " + outName + " overlaps input " + inName
                    + " (bytes [" + outStart + ", " + (outStart + outSpan) + ") and [" + inStart + ", "
                    + (inStart + inSpan) + ")); use a separate output buffer");
        }
    }
}
