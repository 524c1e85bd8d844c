package dev.ffnn.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {

    @Test
    void infoPrintsLibraryConfigCoreThreadsAndJdk() {
        TrainCommandTest.Result result = TrainCommandTest.run("info");
        assertEquals(0, result.status(), result.err());
        for (String label : new String[]{"OpenBLAS library", "OpenBLAS config", "OpenBLAS core", "OpenBLAS threads", "JDK"}) {
            assertTrue(result.out().contains(label), "missing '" + label + "' in:\n" + result.out());
        }
        assertTrue(result.out().contains("OpenBLAS"), result.out());
    }

    @Test
    void childJvmWithLauncherFlagsPrintsNoWarning() throws IOException, InterruptedException {
        // The ./ffnn launcher passes --enable-native-access=ALL-UNNAMED; without it Java 25 warns on stderr.
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.add("train");
        command.add("--samples");
        command.add("50");
        command.add("--epochs");
        command.add("1");
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");

        assertEquals(0, process.exitValue(), err);
        assertTrue(out.contains("epoch 1/1"), out);
        assertFalse(err.contains("WARNING"), "stderr has a warning:\n" + err);
    }
}
