package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class BatchOrderTest {

    private static final long SEED = 42L;
    private static final int SAMPLES = 97;
    private static final int EPOCHS = 5;

    @Test
    void shuffleGivesPermutationEveryEpoch() {
        BatchOrder order = BatchOrder.shuffled(SAMPLES, SEED);
        int[] identity = IntStream.range(0, SAMPLES).toArray();

        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            order.shuffle();
            int[] sorted = order.indices().clone();
            Arrays.sort(sorted);

            assertArrayEquals(identity, sorted, "epoch " + epoch + " is not a permutation");
            assertFalse(Arrays.equals(identity, order.indices()), "epoch " + epoch + " was not shuffled");
        }
    }

    @Test
    void sameSeedGivesSameSequenceOfOrders() {
        BatchOrder first = BatchOrder.shuffled(SAMPLES, SEED);
        BatchOrder second = BatchOrder.shuffled(SAMPLES, SEED);
        int[] previous = first.indices().clone();

        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            first.shuffle();
            second.shuffle();

            assertArrayEquals(first.indices(), second.indices(), "epoch " + epoch);
            assertFalse(Arrays.equals(previous, first.indices()), "epoch " + epoch + " repeats the one before");
            previous = first.indices().clone();
        }
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        BatchOrder first = BatchOrder.shuffled(SAMPLES, SEED);
        BatchOrder second = BatchOrder.shuffled(SAMPLES, SEED + 1);

        first.shuffle();
        second.shuffle();

        assertFalse(Arrays.equals(first.indices(), second.indices()));
    }

    @Test
    void newOrderStartsAsIdentity() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, BatchOrder.shuffled(4, SEED).indices());
    }

    @Test
    void identityOrderIgnoresShuffle() {
        BatchOrder order = BatchOrder.identity(SAMPLES);

        order.shuffle();

        assertArrayEquals(IntStream.range(0, SAMPLES).toArray(), order.indices());
        assertFalse(order.isShuffled());
        assertEquals(SAMPLES - 1, order.index(SAMPLES - 1));
    }

    @Test
    void emptyAndSingleOrdersShuffle() {
        BatchOrder empty = BatchOrder.shuffled(0, SEED);
        BatchOrder single = BatchOrder.shuffled(1, SEED);

        empty.shuffle();
        single.shuffle();

        assertEquals(0, empty.indices().length);
        assertEquals(0, empty.batchCount(8));
        assertArrayEquals(new int[] {0}, single.indices());
    }

    @Test
    void batchCountRoundsUp() {
        assertEquals(4, BatchOrder.identity(10).batchCount(3));
        assertEquals(2, BatchOrder.identity(10).batchCount(5));
        assertEquals(1, BatchOrder.identity(10).batchCount(64));
        assertEquals(1, BatchOrder.identity(Integer.MAX_VALUE / 1024).batchCount(Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> BatchOrder.identity(10).batchCount(0));
    }

    @Test
    void copyBatchCoversEpochWithShortLastBatch() {
        double[][] features = new double[10][];
        int[] labels = new int[10];
        for (int s = 0; s < 10; s++) {
            features[s] = new double[] {s, 100 + s};
            labels[s] = s % 2;
        }
        BatchOrder order = BatchOrder.shuffled(10, SEED);
        order.shuffle();

        try (DenseDataset dataset = DenseDataset.of("ten", features, labels); Arena arena = Arena.ofConfined()) {
            RowMajorMatrix batchFeatures = RowMajorMatrix.allocate(arena, 4, 2);
            MemorySegment batchLabels = arena.allocate(ValueLayout.JAVA_INT, 4);
            int[] seen = new int[10];

            for (int batch = 0; batch < order.batchCount(4); batch++) {
                int count = order.copyBatch(dataset, batch, 4, batchFeatures, batchLabels);
                assertEquals(batch < 2 ? 4 : 2, count, "samples in batch " + batch);
                for (int k = 0; k < count; k++) {
                    int sample = (int) batchFeatures.get(k, 0);
                    assertEquals(order.index(4 * batch + k), sample, "sample in row " + k + " of batch " + batch);
                    assertEquals(sample % 2, batchLabels.getAtIndex(ValueLayout.JAVA_INT, k));
                    seen[sample]++;
                }
            }
            assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, seen, "each sample once per epoch");
        }
    }

    @Test
    void copyBatchRejectsWrongDatasetAndBatch() {
        try (DenseDataset dataset = DenseDataset.of("two", new double[][] {{1.0}, {2.0}}, new int[] {0, 1});
             Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, 2, 1);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 2);

            IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                    () -> BatchOrder.identity(3).copyBatch(dataset, 0, 2, features, labels));
            assertTrue(wrongSize.getMessage().contains("data set 'two' has 2 samples but this order has 3"),
                    wrongSize.getMessage());
            IllegalArgumentException wrongBatch = assertThrows(IllegalArgumentException.class,
                    () -> BatchOrder.identity(2).copyBatch(dataset, 1, 2, features, labels));
            assertTrue(wrongBatch.getMessage().contains("batch 1 is outside [0, 1)"), wrongBatch.getMessage());
        }
    }

    @Test
    void negativeSampleCountRejected() {
        assertThrows(IllegalArgumentException.class, () -> BatchOrder.identity(-1));
    }
}
