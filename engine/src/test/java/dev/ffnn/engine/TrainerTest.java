package dev.ffnn.engine;

import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @Test
    void xorIsLearnedToFullAccuracy() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 16, 2}, Activation.TANH, Initializers.xavierNormal());
        try (TrainTestSplit data = SyntheticDatasets.trainTest("xor", 400, 200, 3);
             Network network = Network.create(spec, 3);
             Trainer trainer = new Trainer(network, new Sgd(0.5), 16, 3)) {
            Trainer.EpochResult last = null;
            for (int epoch = 0; epoch < 60; epoch++) {
                last = trainer.trainEpoch(data.train());
            }
            Trainer.Evaluation train = trainer.evaluate(data.train());
            Trainer.Evaluation test = trainer.evaluate(data.test());

            assertEquals(60, last.epoch());
            assertEquals(1.0, train.accuracy(), "training accuracy on XOR");
            assertEquals(1.0, test.accuracy(), "test accuracy on XOR");
            assertTrue(test.loss() < 0.1, "test loss " + test.loss());
        }
    }

    @Test
    void sameSeedGivesBitIdenticalLossesAndWeights() {
        Run first = run(21);
        Run second = run(21);
        Run other = run(22);

        assertArrayEquals(first.losses, second.losses, "losses of two runs with seed 21");
        assertArrayEquals(first.parameters, second.parameters, "parameters of two runs with seed 21");
        assertFalse(Arrays.equals(first.parameters, other.parameters), "seeds 21 and 22 gave the same parameters");
    }

    @Test
    void lastSmallerBatchCoversEverySample() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 4, 3}, Activation.RELU, Initializers.heNormal());
        try (Dataset data = SyntheticDatasets.byName("blobs", 37, 4);
             Network network = Network.create(spec, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.01), 10, 1)) {
            Trainer.EpochResult result = trainer.trainEpoch(data);
            Trainer.Evaluation evaluation = trainer.evaluate(data);
            assertEquals(37, result.sampleCount());
            assertEquals(37, evaluation.sampleCount());
        }
    }

    @Test
    void incompatibleDataIsRejectedNamingSizes() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{3, 4, 2}, Activation.RELU, Initializers.heNormal());
        try (Dataset data = SyntheticDatasets.byName("spirals", 10, 1);
             Network network = Network.create(spec, 1);
             Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> trainer.trainEpoch(data));
            assertTrue(e.getMessage().contains("has 2 features but the network's input size is 3"), e.getMessage());
        }
    }

    @Test
    void countsAgreeInNumber() {
        assertEquals("1 feature", Inference.count(1, "feature"));
        assertEquals("2 features", Inference.count(2, "feature"));
        assertEquals("1 class", Inference.count(1, "class"));
        assertEquals("0 classes", Inference.count(0, "class"));
    }

    @Test
    void trainingStepAllocatesNothingOnTheHeap() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NetworkSpec spec = NetworkSpec.classifier(new int[]{8, 16, 12, 3}, Activation.RELU, Initializers.heNormal());
        try (Network network = Network.create(spec, 1); Workspace workspace = network.newWorkspace(5)) {
            var random = Seeds.generator(1, 0);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 8; j++) {
                    workspace.input().set(i, j, random.nextGaussian());
                }
                workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, i % 3);
            }
            Sgd sgd = new Sgd(1e-3);
            // Warm up until the step is compiled, so interpreter frames do not count
            for (int i = 0; i < 20_000; i++) {
                network.trainStep(workspace, sgd);
            }

            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                network.trainStep(workspace, sgd);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            // 1,000 steps; even one object per step would be 16,000 bytes
            assertTrue(allocated < 1_024, "1,000 training steps allocated " + allocated + " bytes on the heap");
        }
    }

    private record Run(double[] losses, double[] parameters) {
    }

    private static Run run(long seed) {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 8, 6, 2}, Activation.TANH, Initializers.heUniform());
        try (TrainTestSplit data = SyntheticDatasets.trainTest("spirals", 200, 50, seed);
             Network network = Network.create(spec, seed);
             Trainer trainer = new Trainer(network, new Sgd(0.2), 16, seed)) {
            List<Double> losses = new ArrayList<>();
            for (int epoch = 0; epoch < 5; epoch++) {
                losses.add(trainer.trainEpoch(data.train()).loss());
                losses.add(trainer.evaluate(data.test()).loss());
            }
            return new Run(losses.stream().mapToDouble(Double::doubleValue).toArray(),
                    network.parameters().toArray(ValueLayout.JAVA_DOUBLE));
        }
    }
}
