package dev.ffnn.engine;

import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the README's library example and checks that the README still shows it. */
class ReadmeExampleTest {

    @Test
    void readmeExampleLearnsSpirals() {
        Trainer.Evaluation test = null;
        // The lines below match the README's example, with the printing replaced by a result
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 64, 64, 2}, Activation.RELU, Initializers.heNormal());
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 10_000, 5_000, 1);
             Network network = Network.create(spec, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 32, 1)) {
            for (int epoch = 1; epoch <= 10; epoch++) {
                trainer.trainEpoch(data.train());
                test = trainer.evaluate(data.test());
            }
        }
        assertTrue(test.accuracy() > 0.99, "test accuracy " + test.accuracy());
    }

    @Test
    void readmeShowsTheExample() throws IOException {
        Path readme = Path.of(System.getProperty("user.dir")).resolveSibling("README.md");
        String text = Files.readString(readme);
        String[] lines = {
                "NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 64, 64, 2}, Activation.RELU, Initializers.heNormal());",
                "try (TrainTestSplit data = SyntheticDatasets.trainTest(\"spirals\", 10_000, 5_000, 1);",
                "Network network = Network.create(spec, 1);",
                "Trainer trainer = new Trainer(network, new Sgd(0.1), 32, 1)) {",
                "Trainer.EpochResult train = trainer.trainEpoch(data.train());",
                "Trainer.Evaluation test = trainer.evaluate(data.test());",
        };
        for (String line : lines) {
            assertTrue(text.contains(line), readme + " no longer contains: " + line);
        }
    }
}
