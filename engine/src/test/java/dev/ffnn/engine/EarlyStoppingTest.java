package dev.ffnn.engine;

import dev.ffnn.engine.data.DenseDataset;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 8, 3}, Activation.TANH, Initializers.xavierNormal());

    /** Records the validation loss and the parameters after every epoch, independently of EarlyStopping. */
    private static final class Recorder implements TrainingListener {
        private final DenseDataset validation;
        private final List<Double> losses = new ArrayList<>();
        private final List<double[]> parameters = new ArrayList<>();
        private Trainer trainer;

        Recorder(DenseDataset validation) {
            this.validation = validation;
        }

        @Override
        public void trainingStarted(Trainer trainer, int epochsDone) {
            this.trainer = trainer;
        }

        @Override
        public void epochEnded(EpochRecord record) {
            losses.add(trainer.evaluate(validation).loss());
            parameters.add(trainer.network().parameters().toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Test
    void stopsAfterPatienceAndRestoresBest() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 300, 10, 3);
             DenseDataset mislabelled = relabelled(data.train());
             Network network = Network.create(SPEC, 3);
             Trainer trainer = new Trainer(network, new Sgd(0.5), 16, 3);
             EarlyStopping stopping = new EarlyStopping(mislabelled, 2, 0)) {
            // The validation labels are shifted by one class, so its loss rises as the network learns the blobs.
            Recorder recorder = new Recorder(mislabelled);
            TrainingHistory history = trainer.fit(data.train(), null, 30, List.of(recorder, stopping));

            int epochs = recorder.losses.size();
            int best = 0;
            for (int e = 1; e < epochs; e++) {
                if (recorder.losses.get(e) < recorder.losses.get(best)) {
                    best = e;
                }
            }
            assertTrue(history.stoppedEarly(), "stopped early; validation losses " + recorder.losses);
            assertEquals(best + 1 + 2, epochs, "epochs run: the best epoch, then the patience; " + recorder.losses);
            assertEquals(best + 1, stopping.bestEpoch());
            assertEquals(recorder.losses.get(best), stopping.bestLoss());
            assertTrue(stopping.restored());
            assertArrayEquals(recorder.parameters.get(best), network.parameters().toArray(ValueLayout.JAVA_DOUBLE),
                    "parameters of epoch " + (best + 1));
        }
    }

    @Test
    void improvingLossRunsAllEpochs() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 300, 100, 4);
             Network network = Network.create(SPEC, 4);
             Trainer trainer = new Trainer(network, new Sgd(0.05), 16, 4);
             EarlyStopping stopping = new EarlyStopping(data.test(), 3, 0)) {
            TrainingHistory history = trainer.fit(data.train(), null, 4, List.of(stopping));

            assertFalse(history.stoppedEarly());
            assertEquals(4, history.epochs().size());
            assertEquals(4, stopping.bestEpoch(), "blobs separate steadily at a small rate");
        }
    }

    @Test
    void invalidPatienceIsRejected() {
        try (TrainTestSplit data = SyntheticDatasets.trainTest("xor", 10, 10, 1)) {
            assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(data.test(), 0, 0));
            assertThrows(IllegalArgumentException.class, () -> new EarlyStopping(data.test(), 1, -1));
        }
    }

    /** Returns a copy of {@code data} whose label is (label + 1) mod 3. */
    private static DenseDataset relabelled(dev.ffnn.engine.data.Dataset data) {
        double[][] features = new double[data.sampleCount()][];
        int[] labels = new int[data.sampleCount()];
        try (var arena = java.lang.foreign.Arena.ofShared()) {
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, data.featureCount());
            var label = arena.allocate(ValueLayout.JAVA_INT, 1);
            for (int s = 0; s < data.sampleCount(); s++) {
                data.copyBatch(new int[]{s}, 0, 1, row, label);
                features[s] = new double[]{row.get(0, 0), row.get(0, 1)};
                labels[s] = (label.getAtIndex(ValueLayout.JAVA_INT, 0) + 1) % 3;
            }
        }
        return DenseDataset.of("blobs, labels shifted", features, labels, 3);
    }
}
