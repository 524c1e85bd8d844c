package dev.ffnn.cblas;

import dev.ffnn.openblas.OpenBlasLibrary;

import java.lang.foreign.MemorySegment;

/**
 * Facts about the loaded OpenBLAS and its thread count, so that no module outside the bindings
 * needs a downcall or reads a native string.
 *
 * <p>The first use of any method loads OpenBLAS, as described in {@link OpenBlasLibrary}. Call
 * {@link #library()} first to get a failed load as a plain {@link dev.ffnn.openblas.OpenBlasLoadException}.
 * The other methods go through {@link cblas_h}, whose class initialisation wraps that exception in an
 * {@link ExceptionInInitializerError}.
 */
public final class OpenBlas {

    private OpenBlas() {
    }

    /** Returns the loaded library, with its path and origin. */
    public static OpenBlasLibrary library() {
        return CblasLoader.library();
    }

    /**
     * Returns the build configuration from {@code openblas_get_config()}, such as
     * {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}.
     */
    public static String config() {
        return readCString(cblas_h.openblas_get_config(), "openblas_get_config").strip();
    }

    /** Returns the CPU core type whose kernels OpenBLAS runs, from {@code openblas_get_corename()}, such as {@code Haswell}. */
    public static String coreName() {
        return readCString(cblas_h.openblas_get_corename(), "openblas_get_corename").strip();
    }

    /** Returns the number of threads that OpenBLAS uses for one call, from {@code openblas_get_num_threads()}. */
    public static int threadCount() {
        return cblas_h.openblas_get_num_threads();
    }

    /**
     * Sets the number of threads that OpenBLAS uses for one call, through
     * {@code openblas_set_num_threads}.
     *
     * <p>OpenBLAS caps the count at the maximum it was built with ({@code MAX_THREADS} in
     * {@link #config()}), so read {@link #threadCount()} for the count in effect. This class does not
     * synchronise the change with BLAS calls, so make it while no other thread runs one.
     *
     * @param threadCount the number of threads, 1 for single-threaded BLAS
     * @throws IllegalArgumentException if {@code threadCount < 1}
     */
    public static void setThreadCount(int threadCount) {
        if (threadCount < 1) {
            throw new IllegalArgumentException("OpenBLAS thread count must be at least 1, got " + threadCount
                    + ". Pass 1 for single-threaded BLAS.");
        }
        cblas_h.openblas_set_num_threads(threadCount);
    }

    /**
     * Describes the loaded OpenBLAS for {@code ffnn info}: library path and origin, build
     * configuration, core name and thread count, then one line for each candidate skipped before it.
     */
    public static String describe() {
        StringBuilder description = new StringBuilder(String.format(
                "library: %s%nconfig:  %s%ncore:    %s%nthreads: %d",
                library().describe(), config(), coreName(), threadCount()));
        for (String skipped : library().skippedCandidates()) {
            description.append(String.format("%nskipped: %s", skipped));
        }
        return description.toString();
    }

    /**
     * Reads a NUL-terminated string that an OpenBLAS function returned. The C_POINTER return layout
     * already gives the segment an unbounded size, so no reinterpretation is needed.
     */
    private static String readCString(MemorySegment string, String functionName) {
        if (string.address() == 0L) {
            throw new IllegalStateException(functionName + "() returned NULL from " + library().describe());
        }
        return string.getString(0);
    }
}
