package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs scripts/java-env.sh, the JDK finder of ./ffnn and ./run-tests, on fake JDK folders. */
class JavaEnvScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolveSibling("scripts").resolve("java-env.sh");

    @TempDir
    Path directory;

    record Result(int status, String out, String err) {
    }

    @Test
    void newestJdkInSearchFoldersWins() throws Exception {
        Path jdks = Files.createDirectories(directory.resolve("jvm"));
        fakeJdk(jdks.resolve("jdk-23"), "23.0.2");
        Path newest = fakeJdk(jdks.resolve("jdk-25"), "25.0.1");
        fakeJdk(jdks.resolve("jdk-17"), "17.0.15");
        fakeJdk(jdks.resolve("jdk-8"), "1.8.0_402");

        Result result = source(Map.of("FFNN_JDK_SEARCH_DIRS", jdks.toString()));

        assertEquals(0, result.status(), result.err());
        assertEquals(newest.toString(), result.out().strip());
    }

    @Test
    void javaHomeOfVersion25OrNewerIsKept() throws Exception {
        Path jdks = Files.createDirectories(directory.resolve("jvm"));
        fakeJdk(jdks.resolve("jdk-26"), "26.0.1");
        Path chosen = fakeJdk(directory.resolve("my-jdk"), "25.0.2");

        Result result = source(Map.of("FFNN_JDK_SEARCH_DIRS", jdks.toString(), "JAVA_HOME", chosen.toString()));

        assertEquals(0, result.status(), result.err());
        assertEquals(chosen.toString(), result.out().strip());
    }

    @Test
    void jdkOlderThan25IsNotEnough() throws Exception {
        // JDK 22 to 24 have the final FFM API but cannot compile --release 25
        Path jdks = Files.createDirectories(directory.resolve("jvm"));
        fakeJdk(jdks.resolve("jdk-22"), "22.0.2");
        fakeJdk(jdks.resolve("jdk-24"), "24.0.1");

        Result result = source(Map.of("FFNN_JDK_SEARCH_DIRS", jdks.toString()));

        assertEquals(1, result.status(), result.out());
        assertTrue(result.err().contains("no JDK 25 or newer found"), result.err());
    }

    @Test
    void missingJdkStopsWithInstallAdvice() throws Exception {
        Path jdks = Files.createDirectories(directory.resolve("jvm"));
        fakeJdk(jdks.resolve("jdk-17"), "17.0.15");
        Path oldHome = fakeJdk(directory.resolve("old-jdk"), "21.0.5");

        Result result = source(Map.of("FFNN_JDK_SEARCH_DIRS", jdks.toString(), "JAVA_HOME", oldHome.toString()));

        assertEquals(1, result.status(), result.out());
        assertTrue(result.err().contains("no JDK 25 or newer found"), result.err());
        assertTrue(result.err().contains("JAVA_HOME=" + oldHome + " is version 21"), result.err());
        assertTrue(result.err().contains("install a JDK 25"), result.err());
        assertTrue(result.err().contains("JAVA_HOME=/path/to/jdk-25"), result.err());
    }

    @Test
    void javaHomeThatIsNotAJdkIsNamed() throws Exception {
        Path jdks = Files.createDirectories(directory.resolve("jvm"));

        Result result = source(Map.of("FFNN_JDK_SEARCH_DIRS", jdks.toString(), "JAVA_HOME", "/nonexistent"));

        assertEquals(1, result.status(), result.out());
        assertTrue(result.err().contains("JAVA_HOME=/nonexistent is not a JDK"), result.err());
    }

    /** Sources the script in bash with PATH reduced to a folder without java, and prints the JAVA_HOME it chose. */
    private Result source(Map<String, String> environment) throws IOException, InterruptedException {
        Path emptyBin = Files.createDirectories(directory.resolve("bin"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c",
                "export PATH=" + emptyBin + ":/usr/bin:/bin; hash -r; "
                        + "command() { if [ \"$2\" = java ]; then return 1; fi; builtin command \"$@\"; }; "
                        + ". '" + SCRIPT + "' && echo \"$JAVA_HOME\"");
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("HOME", directory.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "script did not finish");
        return new Result(process.exitValue(), out, err);
    }

    /** Makes a folder that looks like a JDK: executable bin/java and bin/javac and a release file. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        for (String tool : new String[]{"java", "javac"}) {
            Path file = bin.resolve(tool);
            Files.writeString(file, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
