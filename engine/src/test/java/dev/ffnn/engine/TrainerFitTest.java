package dev.ffnn.engine;

import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerFitTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 8, 6, 3}, Activation.TANH, Initializers.xavierNormal());

    @Test
    void listenersSeeEveryStepAndEpochInOrder() {
        List<String> events = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void trainingStarted(Trainer trainer, int epochsDone) {
                events.add("start " + epochsDone);
            }

            @Override
            public void stepEnded(TrainingStep step) {
                events.add("step " + step.epoch() + "." + step.stepInEpoch() + " #" + step.step() + " b" + step.batchSize());
            }

            @Override
            public void epochEnded(EpochRecord record) {
                events.add("epoch " + record.epoch());
            }

            @Override
            public void trainingEnded(TrainingHistory history) {
                events.add("end " + history.epochs().size());
            }
        };
        // 25 samples at batch 10: steps of 10, 10 and 5
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 25, 10, 1);
             Network network = Network.create(SPEC, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 1)) {
            TrainingHistory history = trainer.fit(data.train(), data.test(), 2, List.of(recorder));

            assertEquals(List.of("start 0",
                    "step 1.1 #1 b10", "step 1.2 #2 b10", "step 1.3 #3 b5", "epoch 1",
                    "step 2.1 #4 b10", "step 2.2 #5 b10", "step 2.3 #6 b5", "epoch 2",
                    "end 2"), events);
            assertEquals(2, history.epochs().size());
            assertEquals(10, history.last().test().sampleCount(), "test samples evaluated");
            assertFalse(history.stoppedEarly());
        }
    }

    @Test
    void historyMatchesEpochByEpochTraining() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 120, 40, 5);
             Network fitted = Network.create(SPEC, 5);
             Network stepped = Network.create(SPEC, 5);
             Trainer fitTrainer = new Trainer(fitted, new Sgd(0.2), 16, 5);
             Trainer stepTrainer = new Trainer(stepped, new Sgd(0.2), 16, 5)) {
            TrainingHistory history = fitTrainer.fit(data.train(), data.test(), 3, List.of());
            double[] trainLoss = new double[3];
            double[] testAccuracy = new double[3];
            for (int e = 0; e < 3; e++) {
                trainLoss[e] = stepTrainer.trainEpoch(data.train()).loss();
                testAccuracy[e] = stepTrainer.evaluate(data.test()).accuracy();
            }

            assertArrayEquals(trainLoss, history.trainLoss(), "training loss per epoch");
            assertArrayEquals(testAccuracy, history.testAccuracy(), "test accuracy per epoch");
            assertArrayEquals(stepped.parameters().toArray(ValueLayout.JAVA_DOUBLE),
                    fitted.parameters().toArray(ValueLayout.JAVA_DOUBLE), "parameters after 3 epochs");
        }
    }

    @Test
    void resumedRunMatchesBitForBit() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 100, 20, 9);
             Network whole = Network.create(SPEC, 9);
             Network split = Network.create(SPEC, 9);
             Trainer wholeTrainer = new Trainer(whole, new Sgd(0.3), 8, 9)) {
            wholeTrainer.fit(data.train(), null, 6, List.of());

            long steps;
            try (Trainer first = new Trainer(split, new Sgd(0.3), 8, 9)) {
                first.fit(data.train(), null, 3, List.of());
                steps = first.step();
            }
            try (Trainer second = new Trainer(split, new Sgd(0.3), 8, 9)) {
                second.resumeAfter(3, steps);
                TrainingHistory rest = second.fit(data.train(), null, 6, List.of());
                assertEquals(3, rest.epochs().size(), "epochs trained after resuming");
                assertEquals(4, rest.epochs().getFirst().epoch(), "first resumed epoch");
                assertEquals(wholeTrainer.step(), second.step(), "step count");
                assertNull(rest.last().test(), "test result without a test set");
            }
            assertArrayEquals(whole.parameters().toArray(ValueLayout.JAVA_DOUBLE),
                    split.parameters().toArray(ValueLayout.JAVA_DOUBLE), "parameters after 6 epochs");
        }
    }

    @Test
    void scheduleSetsTheRateOfEachEpoch() {
        List<Double> stepRates = new ArrayList<>();
        TrainingListener recorder = new TrainingListener() {
            @Override
            public void stepEnded(TrainingStep step) {
                if (step.stepInEpoch() == 1) {
                    stepRates.add(step.learningRate());
                }
            }
        };
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 40, 10, 2);
             Network network = Network.create(SPEC, 2);
             Trainer trainer = new Trainer(network, new Sgd(0.4), 10, 2)) {
            trainer.setSchedule((base, epoch, total) -> base / epoch);
            TrainingHistory history = trainer.fit(data.train(), null, 3, List.of(recorder));

            assertEquals(List.of(0.4, 0.2, 0.4 / 3), stepRates);
            assertEquals(0.4 / 3, history.last().learningRate());
        }
    }

    @Test
    void stopRequestEndsTrainingAfterTheEpoch() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 40, 10, 2);
             Network network = Network.create(SPEC, 2);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 2)) {
            TrainingListener stopAtTwo = new TrainingListener() {
                @Override
                public void epochEnded(EpochRecord record) {
                    if (record.epoch() == 2) {
                        trainer.requestStop();
                    }
                }
            };
            TrainingHistory history = trainer.fit(data.train(), data.test(), 10, List.of(stopAtTwo));

            assertEquals(2, history.epochs().size());
            assertTrue(history.stoppedEarly());
            assertEquals(2, trainer.epoch());
        }
    }

    @Test
    void negativeResumeIsRejected() {
        try (Network network = Network.create(SPEC, 2);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 10, 2)) {
            var e = assertThrows(IllegalArgumentException.class, () -> trainer.resumeAfter(-1, 0));
            assertTrue(e.getMessage().contains("-1"), e.getMessage());
        }
    }
}
