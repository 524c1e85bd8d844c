package dev.ffnn.openblas;

import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The OpenBLAS shared library that this process loaded, with the lookup for its symbols.
 *
 * <p>{@link #load(Collection, Validator)} tries these candidates in order and takes the first
 * that opens, resolves every required symbol and passes the validator:
 * <ol>
 *   <li>an explicit path from system property {@value #PATH_PROPERTY}, or else from environment
 *       variable {@value #PATH_ENVIRONMENT_VARIABLE}. When one is given, it is the only candidate,
 *       so a broken explicit path fails instead of silently loading another library;</li>
 *   <li>the OpenBLAS that {@code org.bytedeco:openblas} ships for linux-x86_64, copied once into a
 *       per-user cache directory (system property {@value #CACHE_PROPERTY}, else environment
 *       variable {@value #CACHE_ENVIRONMENT_VARIABLE}, else {@code $XDG_CACHE_HOME/ffnn}, else
 *       {@code $HOME/.cache/ffnn}, with system property {@code user.home} when {@code HOME} is unset);</li>
 *   <li>the system library, {@code libopenblas.so.0} and then {@code libopenblas.so}, found by the
 *       dynamic linker's search path.</li>
 * </ol>
 * When no candidate is accepted, one {@link OpenBlasLoadException} lists every attempt and the fix.
 *
 * <p>Instances are immutable.
 */
public final class OpenBlasLibrary {

    /** System property that names the OpenBLAS shared library file to load. */
    public static final String PATH_PROPERTY = "ffnn.openblas.path";

    /** Environment variable that names the OpenBLAS shared library file, read when the property is unset. */
    public static final String PATH_ENVIRONMENT_VARIABLE = "FFNN_OPENBLAS_PATH";

    /** System property that names the per-user cache directory for the bundled OpenBLAS. */
    public static final String CACHE_PROPERTY = "ffnn.cache.dir";

    /** Environment variable that names the cache directory, read when the property is unset. */
    public static final String CACHE_ENVIRONMENT_VARIABLE = "FFNN_CACHE_DIR";

    /** The kind of candidate that a loaded library came from. */
    public enum Origin {
        /** A file named by {@value OpenBlasLibrary#PATH_PROPERTY} or {@value OpenBlasLibrary#PATH_ENVIRONMENT_VARIABLE}. */
        EXPLICIT,
        /** The copy of OpenBLAS shipped in the {@code org.bytedeco:openblas} jar on the class path. */
        BUNDLED,
        /** A library found by name through the dynamic linker's search path. */
        SYSTEM
    }

    /**
     * A check that a candidate library must pass after all required symbols resolved.
     *
     * <p>The bindings use it to reject an OpenBLAS built with 64-bit integers: only they may make
     * downcalls, so the check that calls {@code openblas_get_config} lives there.
     */
    @FunctionalInterface
    public interface Validator {

        /** A validator that accepts every candidate. */
        Validator ACCEPT_ALL = lookup -> Optional.empty();

        /**
         * Checks one candidate.
         *
         * @param lookup the candidate's symbols, every required symbol among them
         * @return empty to accept the candidate, or the reason to reject it, which the load error shows
         */
        Optional<String> reject(SymbolLookup lookup);
    }

    private static final Object PROCESS_LOCK = new Object();
    private static OpenBlasLibrary processLibrary;

    private final Path path;
    private final Origin origin;
    private final String source;
    private final SymbolLookup lookup;
    private final List<String> skippedCandidates;

    OpenBlasLibrary(Path path, Origin origin, String source, SymbolLookup lookup, List<String> skippedCandidates) {
        this.path = Objects.requireNonNull(path, "path");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.source = Objects.requireNonNull(source, "source");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.skippedCandidates = List.copyOf(skippedCandidates);
    }

    /**
     * Loads OpenBLAS once per process and returns it.
     *
     * <p>The first call searches the candidates in the order of the class comment. Later calls return
     * the same library after they check their own symbols and validator against it, because a
     * library cannot be swapped once loaded.
     *
     * @param requiredSymbols names that must resolve, such as {@code cblas_dgemm}
     * @param validator       a check that each candidate must pass, such as rejecting ILP64 builds
     * @return the loaded library
     * @throws OpenBlasLoadException if no candidate is accepted, or if the library already loaded
     *                               lacks a symbol or fails the validator
     */
    public static OpenBlasLibrary load(Collection<String> requiredSymbols, Validator validator) {
        Objects.requireNonNull(requiredSymbols, "requiredSymbols");
        Objects.requireNonNull(validator, "validator");
        synchronized (PROCESS_LOCK) {
            if (processLibrary == null) {
                List<Candidate> candidates = Candidate.inOrder(LoaderSettings.current());
                processLibrary = load(candidates, requiredSymbols, validator);
            } else {
                LibraryLoader.checkLoaded(processLibrary, requiredSymbols, validator);
            }
            return processLibrary;
        }
    }

    /**
     * Tries the given candidates in order without touching the library of the process, for tests.
     *
     * @throws OpenBlasLoadException if no candidate is accepted
     */
    static OpenBlasLibrary load(List<Candidate> candidates, Collection<String> requiredSymbols,
                                Validator validator) {
        return LibraryLoader.load(candidates, requiredSymbols, validator);
    }

    /** Returns the file loaded, or the bare soname for a library found through the system search path. */
    public Path path() {
        return path;
    }

    /** Returns where the library came from. */
    public Origin origin() {
        return origin;
    }

    /**
     * Returns the lookup for the library's symbols.
     *
     * <p>The library stays loaded for the life of the process, so the lookup and the addresses it
     * returns never expire.
     */
    public SymbolLookup lookup() {
        return lookup;
    }

    /**
     * Returns one line for each candidate tried before this one, with the reason it failed, such as
     * why the bundled copy was skipped in favour of the system library. Empty when the first
     * candidate was accepted.
     */
    public List<String> skippedCandidates() {
        return skippedCandidates;
    }

    /**
     * Describes the library for logs and {@code ffnn info}, for example
     * {@code /home/me/.cache/ffnn/openblas-0.3.31-0123456789abcdef/libopenblas.so.0 (BUNDLED, from
     * org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64)}.
     */
    public String describe() {
        return path + " (" + origin + ", from " + source + ")";
    }

    @Override
    public String toString() {
        return "OpenBlasLibrary[" + describe() + "]";
    }
}
