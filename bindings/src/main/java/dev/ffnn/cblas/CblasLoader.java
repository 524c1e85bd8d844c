package dev.ffnn.cblas;

import dev.ffnn.openblas.OpenBlasLibrary;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Loads OpenBLAS for the bindings: requires every symbol that {@link cblas_h} binds and rejects
 * builds with 64-bit integers.
 *
 * <p>This class never touches {@code cblas_h}, whose initialisation calls {@link #library()}. So a
 * failed load reaches a caller of {@link OpenBlas#library()} as a plain
 * {@link dev.ffnn.openblas.OpenBlasLoadException}, not wrapped in a class initialisation error.
 */
final class CblasLoader {

    /** Names of every function that {@code cblas_h} binds, all resolved at load. */
    static final List<String> SYMBOL_NAMES = List.of(
            "cblas_dgemm",
            "cblas_dgemv",
            "cblas_daxpy",
            "cblas_dscal",
            "cblas_ddot",
            "cblas_dnrm2",
            "cblas_dcopy",
            "openblas_set_num_threads",
            "openblas_get_num_threads",
            "openblas_get_config",
            "openblas_get_corename");

    /** Token that OpenBLAS puts in its config string when it was built with 64-bit integers. */
    static final String ILP64_CONFIG_TOKEN = "USE64BITINT";

    /** Same layout as {@code cblas_h.C_POINTER}, declared here so that this class never initialises cblas_h. */
    private static final AddressLayout C_STRING_POINTER = ValueLayout.ADDRESS
            .withTargetLayout(MemoryLayout.sequenceLayout(Long.MAX_VALUE, ValueLayout.JAVA_BYTE));

    private static volatile OpenBlasLibrary library;

    private CblasLoader() {
    }

    /**
     * Loads OpenBLAS on the first call and returns it.
     *
     * @throws dev.ffnn.openblas.OpenBlasLoadException if no candidate has every symbol and 32-bit integers
     */
    static OpenBlasLibrary library() {
        OpenBlasLibrary loaded = library;
        if (loaded == null) {
            // OpenBlasLibrary.load returns the same instance to every thread, so a race here is harmless.
            loaded = OpenBlasLibrary.load(SYMBOL_NAMES, CblasLoader::rejectIlp64);
            library = loaded;
        }
        return loaded;
    }

    /**
     * Rejects a candidate OpenBLAS whose {@code openblas_get_config()} string shows 64-bit integers.
     * The call goes through a temporary downcall handle, because the candidate is not yet the
     * library that {@code cblas_h} binds to.
     */
    static Optional<String> rejectIlp64(SymbolLookup lookup) {
        MemorySegment address = lookup.find("openblas_get_config")
                .orElseThrow(() -> new UnsatisfiedLinkError("unresolved symbol: openblas_get_config"));
        MethodHandle handle = Linker.nativeLinker().downcallHandle(address, FunctionDescriptor.of(C_STRING_POINTER));
        MemorySegment config;
        try {
            config = (MemorySegment) handle.invokeExact();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError("a downcall without upcalls threw a checked exception", e);
        }
        if (config.address() == 0L) {
            return Optional.of("openblas_get_config() returned NULL, so the integer width of this build is unknown");
        }
        return ilp64Rejection(config.getString(0));
    }

    /**
     * Returns the reason to reject an OpenBLAS with this {@code openblas_get_config()} string, or empty
     * if the build uses 32-bit integers.
     */
    static Optional<String> ilp64Rejection(String config) {
        if (!isIlp64(config)) {
            return Optional.empty();
        }
        return Optional.of("OpenBLAS was built with 64-bit integers (config: " + config.strip()
                + "), but ffnn's bindings pass 32-bit int. Use a build without INTERFACE64, such as the "
                + "OpenBLAS bundled with ffnn (unset " + OpenBlasLibrary.PATH_PROPERTY + " and "
                + OpenBlasLibrary.PATH_ENVIRONMENT_VARIABLE + ") or Debian's libopenblas0");
    }

    /**
     * Returns whether an {@code openblas_get_config()} string names a build with 64-bit integers.
     * OpenBLAS separates the words of that string with spaces, and an ILP64 build has the word
     * {@value #ILP64_CONFIG_TOKEN}.
     */
    static boolean isIlp64(String config) {
        return Arrays.asList(config.strip().split("\\s+")).contains(ILP64_CONFIG_TOKEN);
    }
}
