package dev.ffnn.engine;

import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.DenseDataset;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import dev.ffnn.engine.io.ModelFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LifetimeTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 4, 3}, Activation.TANH, Initializers.xavierNormal());

    @TempDir
    Path directory;

    @Test
    void closedNetworkThrowsNamingIt() throws IOException {
        String expected = "network 2-4-3 is closed: use it only before close(), or create or load a new one";
        Network network = Network.create(SPEC, 1);
        Workspace workspace = network.newWorkspace(4);
        network.close();
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 8, 4, 1)) {
            assertEquals(expected, assertThrows(IllegalStateException.class, () -> network.forward(workspace)).getMessage());
            assertEquals(expected, assertThrows(IllegalStateException.class, () -> network.newWorkspace(4)).getMessage());
            assertEquals(expected, assertThrows(IllegalStateException.class, () -> network.initialize(1)).getMessage());
            assertEquals(expected, assertThrows(IllegalStateException.class,
                    () -> ModelFile.save(directory.resolve("m.safetensors"), network, Map.of())).getMessage());
            assertEquals(expected, assertThrows(IllegalStateException.class,
                    () -> ClassificationReport.evaluate(network, data.test(), 4)).getMessage());
            try (Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
                assertEquals(expected, assertThrows(IllegalStateException.class,
                        () -> trainer.fit(data.train(), null, 1, List.of())).getMessage());
            }
        } finally {
            workspace.close();
        }
        assertTrue(Files.notExists(directory.resolve("m.safetensors")));
    }

    @Test
    void closedWorkspaceThrowsNamingIt() {
        try (Network network = Network.create(SPEC, 1)) {
            Workspace workspace = network.newWorkspace(4);
            workspace.close();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> network.forward(workspace));
            assertEquals("workspace for batch size 4 of network 2-4-3 is closed: create a new one with"
                    + " network.newWorkspace(batchSize)", e.getMessage());
        }
    }

    @Test
    void closedDatasetThrowsNamingIt() {
        Dataset data = SyntheticDatasets.byName("blobs", 8, 1);
        data.close();
        try (Network network = Network.create(SPEC, 1); Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer.trainEpoch(data));
            assertTrue(e.getMessage().startsWith("data set 'blobs' is closed"), e.getMessage());
        }
    }

    /**
     * Prints the resident set (VmRSS) and the Java heap before and after cycles of create, train one step, save,
     * load and close, with {@code -Dffnn.memory.cycles=1000}; not part of the normal run. The Java heap grows
     * towards its maximum meanwhile, so a fixed heap ({@code -Xms48m -Xmx48m}) isolates the native memory.
     */
    @Test
    @EnabledIfSystemProperty(named = "ffnn.memory.cycles", matches = "[0-9]+")
    void residentSetAfterCreateTrainCloseCycles() throws IOException {
        int cycles = Integer.getInteger("ffnn.memory.cycles");
        NetworkSpec spec = NetworkSpec.classifier(new int[]{784, 256, 128, 10}, Activation.RELU, Initializers.heNormal());
        Path model = directory.resolve("cycle.safetensors");
        // A warm-up round, so class loading, JIT and the BLAS library are in the first figure
        cycle(spec, model, 0);
        long before = residentKilobytes();
        long peak = before;
        for (int i = 1; i <= cycles; i++) {
            cycle(spec, model, i);
            if (i % 100 == 0) {
                long now = residentKilobytes();
                peak = Math.max(peak, now);
                Runtime runtime = Runtime.getRuntime();
                System.out.printf("cycle %5d  VmRSS %,d kB  Java heap committed %,d kB, used %,d kB%n", i, now,
                        runtime.totalMemory() / 1024, (runtime.totalMemory() - runtime.freeMemory()) / 1024);
            }
        }
        long after = residentKilobytes();
        System.out.printf("VmRSS before %,d kB, after %d cycles %,d kB (%+,d kB), peak %,d kB%n",
                before, cycles, after, after - before, peak);
        // Leaking only the parameters and gradients would add networkByteSize() (3.8 MB) per cycle
        long leakKilobytes = cycles * spec.networkByteSize() / 1024;
        assertTrue(after - before < leakKilobytes / 10, "resident set grew by " + (after - before) + " kB");
    }

    /** Creates a network, data set and trainer, trains one step, saves and loads the model, and closes all. */
    private static void cycle(NetworkSpec spec, Path model, long seed) throws IOException {
        try (Dataset data = DenseDataset.generate("random", 64, 784, 10, (sample, features) -> {
            for (int j = 0; j < features.length; j++) {
                features[j] = ((sample * 31 + j * 7 + seed) % 255) / 255.0;
            }
            return sample % 10;
        });
             Network network = Network.create(spec, seed);
             Trainer trainer = new Trainer(network, new Sgd(0.01), 64, seed)) {
            trainer.trainEpoch(data);
            ModelFile.save(model, trainer, Map.of());
            try (Network loaded = ModelFile.read(model).load(spec)) {
                loaded.requireOpen();
            }
        }
    }

    private static long residentKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("/proc/self/status has no VmRSS line");
    }
}
