package dev.ffnn.openblas;

import dev.ffnn.openblas.OpenBlasLibrary.Origin;
import dev.ffnn.openblas.OpenBlasLibrary.Validator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasLibraryTest {

    private static final List<String> CBLAS_SYMBOLS = List.of("cblas_dgemm", "cblas_ddot", "openblas_get_config");
    private static final String MISSING_SYMBOL = "ffnn_test_symbol_that_no_library_exports";
    private static final String MISSING_SONAME = "libffnn-test-missing.so.0";

    /** One cache for the class, so the tests load a single bundled copy into this JVM. */
    @TempDir
    static Path cacheDirectory;

    @Test
    void bundledCandidateLoadsWithEverySymbol() {
        OpenBlasLibrary library = load(List.of(Candidate.bundled(cacheDirectory)), CBLAS_SYMBOLS, Validator.ACCEPT_ALL);

        assertEquals(Origin.BUNDLED, library.origin());
        assertEquals(BundledOpenBlas.LIBRARY_FILE_NAME, library.path().getFileName().toString());
        assertTrue(library.path().startsWith(cacheDirectory), library.path() + " is not under " + cacheDirectory);
        for (String symbol : CBLAS_SYMBOLS) {
            assertTrue(library.lookup().find(symbol).isPresent(), "lookup of " + symbol);
        }
        assertContains(library.describe(), library.path().toString());
        assertContains(library.describe(), "BUNDLED");
        assertContains(library.describe(), "org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64");
    }

    @Test
    void fallbackRecordsSkippedCandidates() {
        List<Candidate> candidates = List.of(Candidate.system(MISSING_SONAME), Candidate.bundled(cacheDirectory));

        OpenBlasLibrary library = load(candidates, CBLAS_SYMBOLS, Validator.ACCEPT_ALL);

        assertEquals(Origin.BUNDLED, library.origin());
        assertEquals(1, library.skippedCandidates().size(), "skipped candidates: " + library.skippedCandidates());
        assertContains(library.skippedCandidates().getFirst(), "system library " + MISSING_SONAME);
        assertContains(library.skippedCandidates().getFirst(), "did not find");
    }

    @Test
    void firstCandidateSkipsNothing() {
        OpenBlasLibrary library = load(List.of(Candidate.bundled(cacheDirectory)), CBLAS_SYMBOLS, Validator.ACCEPT_ALL);

        assertEquals(List.of(), library.skippedCandidates());
    }

    @Test
    void missingExplicitPathIsNamed(@TempDir Path directory) {
        Path missing = directory.resolve("no-such-libopenblas.so");
        Candidate candidate = Candidate.explicit(missing, "system property " + OpenBlasLibrary.PATH_PROPERTY);

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(candidate), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "1. explicit path " + missing + " from system property ffnn.openblas.path");
        assertContains(error.getMessage(), "file not found: " + missing);
        assertContains(error.getMessage(), "no other library was tried");
        assertContains(error.getMessage(), "ffnn.openblas.path");
        assertContains(error.getMessage(), "FFNN_OPENBLAS_PATH");
        assertEquals(1, error.getSuppressed().length, "suppressed causes");
    }

    @Test
    void explicitDirectoryIsRejected(@TempDir Path directory) {
        Candidate candidate = Candidate.explicit(directory, "environment variable FFNN_OPENBLAS_PATH");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(candidate), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), directory + " is not a regular file");
    }

    @Test
    void truncatedExplicitPathIsRejected(@TempDir Path directory) throws Exception {
        Path truncated = copyResource(BundledOpenBlas.LIBRARY_FILE_NAME, directory, 100_000);
        Candidate candidate = Candidate.explicit(truncated, "environment variable FFNN_OPENBLAS_PATH");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(candidate), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "1. explicit path " + truncated + " from environment variable "
                + "FFNN_OPENBLAS_PATH: failed to load: " + truncated + " is not a complete ELF shared library "
                + "(program header 0 ends at byte ");
        assertContains(error.getMessage(), " but the file has 100000 bytes); it may be truncated: copy it again");
        assertFalse(error.getMessage().contains("ldd"), "message suggests ldd:\n" + error.getMessage());
    }

    @Test
    void textExplicitPathIsNotElf(@TempDir Path directory) throws Exception {
        Path text = Files.writeString(directory.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");
        Candidate candidate = Candidate.explicit(text, "environment variable FFNN_OPENBLAS_PATH");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(candidate), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "failed to load: " + text + " is not an ELF file");
    }

    @Test
    void truncatedDependencyIsNotOpened(@TempDir Path directory) throws Exception {
        Path truncated = copyResource("libgfortran.so.5", directory, 100_000);

        IOException e = assertThrows(IOException.class, () -> Candidate.openFile(truncated));

        assertContains(e.getMessage(), truncated + " is not a complete ELF shared library (program header ");
    }

    @Test
    void explicitExecutableIsRejected(@TempDir Path directory) throws Exception {
        // The java launcher is a complete ELF file of type ET_DYN, so it passes ElfCheck. But it is a
        // position-independent executable, which glibc refuses to dlopen.
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Path executable = Files.copy(launcher, directory.resolve("libopenblas.so"));
        Candidate candidate = Candidate.explicit(executable, "system property ffnn.openblas.path");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(candidate), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "the dynamic linker could not open " + executable);
        assertTrue(error.getSuppressed()[0] instanceof IllegalArgumentException,
                "suppressed cause " + error.getSuppressed()[0]);
    }

    @Test
    void candidateMissingSymbolIsRejected() {
        List<String> symbols = List.of("cblas_dgemm", MISSING_SYMBOL);

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.bundled(cacheDirectory)), symbols, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "missing symbols " + MISSING_SYMBOL);
        assertContains(error.getMessage(), "1. bundled OpenBLAS 0.3.31");
    }

    @Test
    void validatorRejectionAppearsInMessage() {
        Validator validator = lookup -> Optional.of("test validator rejects every library");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.bundled(cacheDirectory)), CBLAS_SYMBOLS, validator));

        assertContains(error.getMessage(), "test validator rejects every library");
    }

    @Test
    void validatorExceptionIsChained() {
        IllegalStateException failure = new IllegalStateException("test validator failure");
        Validator validator = lookup -> {
            throw failure;
        };

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.bundled(cacheDirectory)), CBLAS_SYMBOLS, validator));

        assertContains(error.getMessage(), "validator failed");
        assertContains(error.getMessage(), "test validator failure");
        assertEquals(List.of(failure), Arrays.asList(error.getSuppressed()), "suppressed causes");
    }

    @Test
    void validatorSeesOnlyCandidatesWithEverySymbol() {
        Validator validator = lookup -> {
            throw new AssertionError("the validator ran on a candidate that lacks a required symbol");
        };
        List<String> symbols = List.of(MISSING_SYMBOL);

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.bundled(cacheDirectory)), symbols, validator));

        assertContains(error.getMessage(), "missing symbols " + MISSING_SYMBOL);
    }

    @Test
    void allFailMessageListsAttemptsInOrder(@TempDir Path directory) {
        Path missing = directory.resolve("missing-libopenblas.so");
        List<Candidate> candidates = List.of(
                Candidate.system(MISSING_SONAME),
                Candidate.bundled(cacheDirectory),
                Candidate.explicit(missing, "test"));
        List<String> symbols = List.of("cblas_dgemm", MISSING_SYMBOL);

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(candidates, symbols, Validator.ACCEPT_ALL));

        String message = error.getMessage();
        int first = message.indexOf("1. system library " + MISSING_SONAME + " on the dynamic linker's search path: "
                + "failed to load: the dynamic linker did not find " + MISSING_SONAME);
        int second = message.indexOf("2. bundled OpenBLAS 0.3.31 from org.bytedeco:openblas:0.3.31-1.5.13:linux-x86_64");
        int secondReason = message.indexOf("missing symbols " + MISSING_SYMBOL);
        int third = message.indexOf("3. explicit path " + missing + " from test: failed to load: file not found");
        assertTrue(first >= 0, "attempt 1 missing from:\n" + message);
        assertTrue(second > first, "attempt 2 missing or out of order in:\n" + message);
        assertTrue(secondReason > second, "reason of attempt 2 missing or out of order in:\n" + message);
        assertTrue(third > secondReason, "attempt 3 missing or out of order in:\n" + message);
        assertContains(message, "Fix: ");
        assertEquals(2, error.getSuppressed().length, "suppressed causes: the system and explicit failures");
    }

    @Test
    void bundledCacheOnFileSaysNotDirectory(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("cache-file"), "not a directory");

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.bundled(file)), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "failed to load: cache directory " + file + " is not a directory; set "
                + "environment variable FFNN_CACHE_DIR or system property ffnn.cache.dir to a writable directory");
        assertFalse(error.getMessage().contains("Exception"), "message shows an exception class:\n" + error.getMessage());
    }

    @Test
    void systemFallbackMessageNamesAptPackage() {
        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> load(List.of(Candidate.system(MISSING_SONAME)), CBLAS_SYMBOLS, Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "apt-get install libopenblas0");
        assertContains(error.getMessage(), "ffnn.openblas.path");
    }

    @Test
    void explicitPathIsOnlyCandidate() {
        LoaderSettings settings = new LoaderSettings(
                Optional.of(new LoaderSettings.ExplicitPath(Path.of("/opt/openblas/libopenblas.so"), "test")),
                cacheDirectory);

        List<Candidate> candidates = Candidate.inOrder(settings);

        assertEquals(1, candidates.size(), "candidate count");
        assertEquals(Origin.EXPLICIT, candidates.getFirst().origin());
        assertContains(candidates.getFirst().label(), "/opt/openblas/libopenblas.so");
    }

    @Test
    void defaultCandidatesAreBundledThenSystem() {
        LoaderSettings settings = new LoaderSettings(Optional.empty(), cacheDirectory);

        List<Candidate> candidates = Candidate.inOrder(settings);

        assertEquals(List.of(Origin.BUNDLED, Origin.SYSTEM, Origin.SYSTEM),
                candidates.stream().map(Candidate::origin).toList());
        assertContains(candidates.get(1).label(), "libopenblas.so.0");
        assertContains(candidates.get(2).label(), "libopenblas.so ");
    }

    @Test
    void processLibraryIsLoadedOnce() {
        OpenBlasLibrary first = OpenBlasLibrary.load(CBLAS_SYMBOLS, Validator.ACCEPT_ALL);
        OpenBlasLibrary second = OpenBlasLibrary.load(List.of("cblas_daxpy"), Validator.ACCEPT_ALL);

        assertSame(first, second);
    }

    @Test
    void processLibraryRejectsLaterMissingSymbol() {
        OpenBlasLibrary.load(CBLAS_SYMBOLS, Validator.ACCEPT_ALL);

        OpenBlasLoadException error = assertThrows(OpenBlasLoadException.class,
                () -> OpenBlasLibrary.load(List.of(MISSING_SYMBOL), Validator.ACCEPT_ALL));

        assertContains(error.getMessage(), "already loaded");
        assertContains(error.getMessage(), MISSING_SYMBOL);
    }

    private static OpenBlasLibrary load(List<Candidate> candidates, List<String> symbols, Validator validator) {
        return OpenBlasLibrary.load(candidates, symbols, validator);
    }

    /** Copies at most {@code maxBytes} of a bundled library from the class path into {@code directory}. */
    private static Path copyResource(String fileName, Path directory, int maxBytes) throws IOException {
        String name = BundledOpenBlas.RESOURCE_FOLDER + fileName;
        try (InputStream in = OpenBlasLibraryTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("class path resource " + name + " not found");
            }
            return Files.write(directory.resolve(fileName), in.readNBytes(maxBytes));
        }
    }

    private static void assertContains(String text, String expected) {
        assertTrue(text.contains(expected), "expected to find \"" + expected + "\" in:\n" + text);
    }
}
