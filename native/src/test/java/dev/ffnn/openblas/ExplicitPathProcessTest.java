package dev.ffnn.openblas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loads bad files named by FFNN_OPENBLAS_PATH in a child JVM, so that a crash of the dynamic linker fails the
 * test instead of killing the test JVM, and so that HotSpot's own warnings can be seen.
 */
class ExplicitPathProcessTest {

    private static final long CHILD_TIMEOUT_SECONDS = 120;
    private static final String ERROR_START = "OpenBLAS could not be loaded. Tried, in order:";

    @Test
    void truncatedLibraryFailsWithoutCrash(@TempDir Path directory) throws Exception {
        Path library = directory.resolve(BundledOpenBlas.LIBRARY_FILE_NAME);
        try (InputStream in = resource(BundledOpenBlas.LIBRARY_FILE_NAME)) {
            Files.write(library, in.readNBytes(100_000));
        }

        ChildResult result = load(library, directory);

        assertEquals(1, result.exitStatus(), "exit status; output:\n" + result.output());
        assertTrue(result.output().startsWith(ERROR_START), "output before the load error:\n" + result.output());
        assertTrue(result.output().contains(library + " is not a complete ELF shared library (program header 0 "
                + "ends at byte "), "output:\n" + result.output());
        assertEquals(List.of(), result.filesLeft(), "files left in the working directory, such as hs_err");
    }

    @Test
    void textFileCausesNoStackGuardWarning(@TempDir Path directory) throws Exception {
        Path text = Files.writeString(directory.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");

        ChildResult result = load(text, directory);

        assertEquals(1, result.exitStatus(), "exit status; output:\n" + result.output());
        assertFalse(result.output().contains("stack guard"), "HotSpot warned:\n" + result.output());
        assertTrue(result.output().startsWith(ERROR_START), "output before the load error:\n" + result.output());
        assertTrue(result.output().contains(text + " is not an ELF file"), "output:\n" + result.output());
        assertEquals(List.of(), result.filesLeft(), "files left in the working directory");
    }

    /**
     * What a child JVM left behind.
     *
     * @param output    stdout and stderr merged, because HotSpot writes its warnings to stdout
     * @param filesLeft the files in the child's working directory, which starts empty
     */
    private record ChildResult(int exitStatus, String output, List<Path> filesLeft) {
    }

    /** Runs {@link ProcessLoadMain} with FFNN_OPENBLAS_PATH set to {@code library}, inside {@code directory}. */
    private static ChildResult load(Path library, Path directory) throws Exception {
        Path workingDirectory = Files.createDirectory(directory.resolve("work"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-Dffnn.cache.dir=" + directory.resolve("cache"),
                "-cp", System.getProperty("java.class.path"), ProcessLoadMain.class.getName())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().put(OpenBlasLibrary.PATH_ENVIRONMENT_VARIABLE, library.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "child JVM did not exit within " + CHILD_TIMEOUT_SECONDS + " s; output:\n" + output);
        return new ChildResult(process.exitValue(), output, entries(workingDirectory));
    }

    private static InputStream resource(String fileName) throws IOException {
        String name = BundledOpenBlas.RESOURCE_FOLDER + fileName;
        InputStream in = ExplicitPathProcessTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("class path resource " + name + " not found");
        }
        return in;
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.sorted().toList();
        }
    }
}
