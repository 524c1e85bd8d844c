package dev.ffnn.engine;

import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import dev.ffnn.engine.data.ValidationSplit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void readmeOptimizerExampleTrains() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 16, 2}, Activation.TANH, Initializers.xavierNormal());
        long seed = 1;
        try (TrainTestSplit data = SyntheticDatasets.trainTest("xor", 400, 100, seed);
             Network network = Network.create(spec, seed)) {
            // The lines below match the README's example, with the result checked
            try (Optimizer adam = Adam.adam(network.weightRanges(), Adam.DEFAULT_LEARNING_RATE, Adam.DEFAULT_BETA1,
                    Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, 1e-4);
                 Trainer trainer = new Trainer(network, adam, 128, seed);
                 ValidationSplit split = ValidationSplit.of(data.train(), 0.1, seed);
                 EarlyStopping stopping = new EarlyStopping(split.validation(), 3, 0)) {
                trainer.setSchedule(new LearningRateSchedules.Cosine(1e-5));
                TrainingHistory history = trainer.fit(split.train(), data.test(), 30, List.of(stopping));

                assertTrue(stopping.restored(), "best epoch restored");
                assertTrue(history.epochs().size() >= stopping.bestEpoch(), "epochs run");
            }
        }
    }

    @Test
    void readmeShowsTheOptimizerExample() throws IOException {
        String text = Files.readString(Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        String[] lines = {
                "try (Optimizer adam = Adam.adam(network.weightRanges(), Adam.DEFAULT_LEARNING_RATE, Adam.DEFAULT_BETA1,",
                "Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, 1e-4);",
                "Trainer trainer = new Trainer(network, adam, 128, seed);",
                "ValidationSplit split = ValidationSplit.of(data.train(), 0.1, seed);",
                "EarlyStopping stopping = new EarlyStopping(split.validation(), 3, 0)) {",
                "trainer.setSchedule(new LearningRateSchedules.Cosine(1e-5));",
                "TrainingHistory history = trainer.fit(split.train(), data.test(), 30, List.of(stopping));",
        };
        for (String line : lines) {
            assertTrue(text.contains(line), "README.md no longer contains: " + line);
        }
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
