package dev.ffnn.engine;

import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerStatisticsTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 8, 6, 3}, Activation.RELU, Initializers.heNormal());

    @Test
    void perEpochRecordsStartAtStepZero() {
        List<StatisticsRecord> seen = new ArrayList<>();
        double[] lastStepGradientNorm = new double[1];
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void stepEnded(TrainingStep step) {
                if (step.step() == 3) {
                    lastStepGradientNorm[0] = step.gradientNorm();
                }
            }

            @Override
            public void statisticsRecorded(StatisticsRecord record) {
                seen.add(record);
            }
        };
        // 25 samples at batch 10: 3 steps per epoch
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 25, 10, 1);
             Network network = Network.create(SPEC, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 1)) {
            trainer.collectStatistics(StatisticsSettings.perEpoch());
            TrainingHistory history = trainer.fit(data.train(), data.test(), 2, List.of(recorder));

            assertEquals(List.of(0L, 3L, 6L), seen.stream().map(StatisticsRecord::step).toList());
            assertEquals(List.of(0, 1, 2), seen.stream().map(StatisticsRecord::epoch).toList());
            assertEquals(List.of(0, 3, 3), seen.stream().map(StatisticsRecord::stepInEpoch).toList());
            assertEquals(List.of(10, 5, 5), seen.stream().map(StatisticsRecord::batchSize).toList());
            assertEquals(seen, history.statistics());
            assertEquals(seen.get(1).gradientNorm(), lastStepGradientNorm[0], "the step view's norm of step 3");
            assertTrue(Double.isNaN(seen.getFirst().layers().getFirst().updateRatio()), "no update before step 1");
            assertTrue(seen.get(1).layers().getFirst().updateRatio() > 0, "update ratio after step 3");
        }
    }

    @Test
    void everyNStepsRecordsMultiplesOfN() {
        List<Long> steps = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void statisticsRecorded(StatisticsRecord record) {
                steps.add(record.step());
            }
        };
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 25, 10, 1);
             Network network = Network.create(SPEC, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 1)) {
            trainer.collectStatistics(new StatisticsSettings(2, 0));
            trainer.fit(data.train(), null, 3, List.of(recorder));
            assertEquals(List.of(0L, 2L, 4L, 6L, 8L), steps);
        }
    }

    @Test
    void statisticsLeaveTrainingUnchanged() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 120, 40, 5);
             Network plain = Network.create(SPEC, 5);
             Network observed = Network.create(SPEC, 5);
             Trainer plainTrainer = new Trainer(plain, new Sgd(0.2), 16, 5);
             Trainer observedTrainer = new Trainer(observed, new Sgd(0.2), 16, 5)) {
            observedTrainer.collectStatistics(new StatisticsSettings(1, 8));
            TrainingHistory first = plainTrainer.fit(data.train(), data.test(), 2, List.of());
            TrainingHistory second = observedTrainer.fit(data.train(), data.test(), 2, List.of());
            assertArrayEquals(first.trainLoss(), second.trainLoss());
            assertArrayEquals(plain.parameters().toArray(ValueLayout.JAVA_DOUBLE),
                    observed.parameters().toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Test
    void hugeLearningRateStopsAtTheDivergingStep() {
        List<StatisticsRecord> seen = new ArrayList<>();
        List<Long> stepsEnded = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void stepEnded(TrainingStep step) {
                stepsEnded.add(step.step());
            }

            @Override
            public void statisticsRecorded(StatisticsRecord record) {
                seen.add(record);
            }
        };
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 200, 10, 1);
             Network network = Network.create(SPEC, 1);
             Trainer trainer = new Trainer(network, new Sgd(1e300), 10, 1)) {
            trainer.collectStatistics(StatisticsSettings.perEpoch());
            var e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.fit(data.train(), data.test(), 5, List.of(recorder)));

            assertEquals(1, e.epoch());
            assertEquals(trainer.step() + 1, e.step(), "the diverged step is not counted as taken");
            assertTrue(e.step() < 20, "stopped at step " + e.step() + ", not at the diverging step");
            assertTrue(e.getMessage().startsWith("training diverged in epoch 1 at step " + e.step() + " "), e.getMessage());
            assertTrue(e.getMessage().contains("the first NaN or infinity is in layer "), e.getMessage());
            assertTrue(e.getMessage().contains("try a smaller learning rate than 1.0E300"), e.getMessage());
            assertFalse(stepsEnded.contains(e.step()), "listeners saw the diverged step as a normal one");
            assertEquals(e.step(), seen.getLast().step(), "the diverged step's statistics were reported");
            assertFalse(seen.getLast().isFinite());
        }
    }

    @Test
    void nanWeightBehindReluCannotHide() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 40, 10, 1);
             Network network = Network.create(SPEC, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 1)) {
            // A NaN bias of a first-layer unit: ReLU gives max(0, NaN) = NaN, which must reach the loss
            network.layers().getFirst().bias().setAtIndex(ValueLayout.JAVA_DOUBLE, 3, Double.NaN);
            var e = assertThrows(TrainingDivergedException.class,
                    () -> trainer.fit(data.train(), null, 1, List.of()));
            assertEquals(1, e.step());
            assertTrue(e.getMessage().contains("layer 1 biases (NaN), and the loss is NaN"), e.getMessage());
        }
    }

    @Test
    void readmeStatisticsExampleRuns() throws java.io.IOException {
        List<String> printed = new ArrayList<>();
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 64, 64, 2}, Activation.RELU, Initializers.heNormal());
        // The lines below match the README's statistics example, with printing replaced by a list
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 10_000, 5_000, 1);
             Network network = Network.create(spec, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 32, 1)) {
            trainer.collectStatistics(StatisticsSettings.perEpoch());
            TrainingListener printer = new TrainingListener() {
                @Override
                public void statisticsRecorded(StatisticsRecord record) {
                    double variance = record.layers().getFirst().tensor(LayerStatistics.Tensor.ACTIVATIONS).variance();
                    printed.add(String.format("step %d  layer 1 Var[A] %.4f%n", record.step(), variance));
                }
            };
            TrainingHistory history = trainer.fit(data.train(), data.test(), 10, List.of(printer));
            assertEquals(11, printed.size(), "step 0 and 10 epochs");
            assertTrue(printed.get(10).startsWith("step 3130  layer 1 Var[A] "), printed.get(10));
            assertTrue(history.testAccuracy()[9] > 0.99, "test accuracy " + history.testAccuracy()[9]);
        }

        String readme = java.nio.file.Files.readString(
                java.nio.file.Path.of(System.getProperty("user.dir")).resolveSibling("README.md"));
        for (String line : List.of("trainer.collectStatistics(StatisticsSettings.perEpoch());",
                "public void statisticsRecorded(StatisticsRecord record) {",
                "double variance = record.layers().getFirst().tensor(LayerStatistics.Tensor.ACTIVATIONS).variance();",
                "TrainingHistory history = trainer.fit(data.train(), data.test(), 10, List.of(printer));")) {
            assertTrue(readme.contains(line), "README.md no longer contains: " + line);
        }
    }

    @Test
    void notDueStatisticsAllocateNothing() {
        long withoutStatistics = bytesAllocatedIn800Steps(false);
        long withStatistics = bytesAllocatedIn800Steps(true);
        // Even one object per step would be 12,800 bytes
        assertTrue(withoutStatistics < 1_024, "800 steps of fit allocated " + withoutStatistics + " bytes");
        assertTrue(withStatistics - withoutStatistics < 1_024, "800 steps allocated " + withStatistics
                + " bytes with statistics not due and " + withoutStatistics + " bytes without statistics");
    }

    /** Returns the heap bytes steps 100 to 900 of the last of 25 epochs allocate, measured by a listener. */
    private static long bytesAllocatedIn800Steps(boolean statistics) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] allocated = new long[2];
        TrainingListener meter = new TrainingListener() {
            @Override
            public void stepEnded(TrainingStep step) {
                if (step.stepInEpoch() == 100) {
                    allocated[0] = threads.getCurrentThreadAllocatedBytes();
                } else if (step.stepInEpoch() == 900) {
                    allocated[1] = threads.getCurrentThreadAllocatedBytes();
                }
            }
        };
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 16, 12, 3}, Activation.RELU, Initializers.heNormal());
        // 1,000 steps of 4 samples per epoch; the epochs before the last one warm the loop up until it is compiled
        try (Dataset data = SyntheticDatasets.byName("blobs", 4_000, 3);
             Network network = Network.create(spec, 1);
             Trainer trainer = new Trainer(network, new Sgd(1e-3), 4, 1)) {
            if (statistics) {
                trainer.collectStatistics(new StatisticsSettings(1_000_000, 4));
            }
            trainer.fit(data, null, 25, List.of(meter));
            return allocated[1] - allocated[0];
        }
    }
}
