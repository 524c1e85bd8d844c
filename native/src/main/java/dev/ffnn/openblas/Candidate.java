package dev.ffnn.openblas;

import dev.ffnn.openblas.OpenBlasLibrary.Origin;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One place where the loader looks for OpenBLAS.
 *
 * @param origin where the library comes from
 * @param label  the place in words, for the list of attempts in a load error
 * @param source what named or supplied the library, for {@link OpenBlasLibrary#describe()}
 * @param opener opens the library, or throws why it cannot
 */
record Candidate(Origin origin, String label, String source, Opener opener) {

    /** Sonames tried through the dynamic linker's search path, in order. */
    static final List<String> SYSTEM_SONAMES = List.of("libopenblas.so.0", "libopenblas.so");

    private static final String SYSTEM_SOURCE = "the dynamic linker's search path";

    /** Opens the library of one candidate. */
    @FunctionalInterface
    interface Opener {

        /**
         * Opens the library for the life of the process.
         *
         * @throws IOException      if a file is missing or cannot be copied
         * @throws RuntimeException if the dynamic linker rejects the library
         */
        Opened open() throws IOException;
    }

    /**
     * A library that the dynamic linker opened.
     *
     * @param path   the file opened, or the soname for a search by name
     * @param lookup the library's symbols
     */
    record Opened(Path path, SymbolLookup lookup) {
    }

    /**
     * Returns the candidates in load order: only the explicit path if the user gave one, else the
     * bundled copy and then the system library.
     */
    static List<Candidate> inOrder(LoaderSettings settings) {
        if (settings.explicitPath().isPresent()) {
            LoaderSettings.ExplicitPath explicitPath = settings.explicitPath().get();
            return List.of(explicit(explicitPath.path(), explicitPath.source()));
        }
        return List.of(bundled(settings.cacheDirectory()), system(SYSTEM_SONAMES.get(0)),
                system(SYSTEM_SONAMES.get(1)));
    }

    /** Returns a candidate for a library file named by the user through {@code source}. */
    static Candidate explicit(Path file, String source) {
        Path absoluteFile = file.toAbsolutePath();
        String label = "explicit path " + absoluteFile + " from " + source;
        return new Candidate(Origin.EXPLICIT, label, source, () -> openFile(absoluteFile));
    }

    /** Returns a candidate for the bundled OpenBLAS, copied into {@code cacheDirectory} on first use. */
    static Candidate bundled(Path cacheDirectory) {
        Path absoluteDirectory = cacheDirectory.toAbsolutePath();
        String label = BundledOpenBlas.describe() + " with cache directory " + absoluteDirectory;
        return new Candidate(Origin.BUNDLED, label, BundledOpenBlas.artifact(),
                () -> BundledOpenBlas.open(absoluteDirectory));
    }

    /** Returns a candidate for a library that the dynamic linker finds by {@code soname}. */
    static Candidate system(String soname) {
        String label = "system library " + soname + " on " + SYSTEM_SOURCE;
        return new Candidate(Origin.SYSTEM, label, SYSTEM_SOURCE, () -> openByName(soname));
    }

    /**
     * Opens one library file for the life of the process, after checking that it is a complete ELF shared
     * library for this platform. The check keeps non-ELF files and truncated ones, on which dlopen crashes the
     * JVM with SIGBUS, away from the dynamic linker.
     *
     * @throws IOException if the file is missing, not a regular file or not a complete ELF shared library
     */
    static Opened openFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException("file not found: " + file);
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is not a regular file, expected a shared library file such as libopenblas.so.0");
        }
        ElfCheck.requireSharedLibrary(file);
        try {
            return new Opened(file, SymbolLookup.libraryLookup(file, arenaForProcessLifetime()));
        } catch (IllegalArgumentException e) {
            String reason = "the dynamic linker could not open " + file
                    + " (run `ldd " + file + "` to list missing dependencies)";
            throw new IllegalArgumentException(reason, e);
        }
    }

    private static Opened openByName(String soname) {
        try {
            return new Opened(Path.of(soname), SymbolLookup.libraryLookup(soname, arenaForProcessLifetime()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the dynamic linker did not find " + soname, e);
        }
    }

    /**
     * Returns the arena that every candidate is opened in: the global one, which never closes.
     *
     * <p>OpenBLAS starts its worker threads while the library loads, and unloading it while those
     * threads run is unsafe. So a library stays mapped for the life of the process, even a candidate
     * that the loader then rejects.
     */
    private static Arena arenaForProcessLifetime() {
        return Arena.global();
    }
}
