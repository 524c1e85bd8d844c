package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class DenseDatasetTest {

    // 5 samples of 3 features; odd counts, so that a swapped row and column would show.
    private static final double[][] FEATURES = {
            {0.5, -1.25, 3.0},
            {1e-300, 2.0, -0.0},
            {-7.0, 8.5, 9.25},
            {10.0, -11.0, 12.125},
            {Double.MAX_VALUE, -Double.MIN_VALUE, 0.1},
    };
    private static final int[] LABELS = {1, 0, 3, 1, 0};
    private static final double SENTINEL = -99.0;

    @Test
    void ofInfersMaxLabelPlusOne() {
        try (DenseDataset dataset = DenseDataset.of("table", FEATURES, LABELS)) {
            assertEquals("table", dataset.name());
            assertEquals(5, dataset.sampleCount());
            assertEquals(3, dataset.featureCount());
            assertEquals(4, dataset.classCount());
        }
    }

    @Test
    void copyBatchIntoWideMatrixCopiesRowsExactly() {
        int[] indices = {4, 2, 0, 3};
        try (DenseDataset dataset = DenseDataset.of("table", FEATURES, LABELS, 6); Arena arena = Arena.ofConfined()) {
            RowMajorMatrix wide = RowMajorMatrix.allocate(arena, 4, 7);
            wide.fill(SENTINEL);
            RowMajorMatrix features = new RowMajorMatrix(4, 3, 7, wide.segment());
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 4);

            dataset.copyBatch(indices, 1, 3, features, labels);

            for (int k = 0; k < 3; k++) {
                int sample = indices[1 + k];
                assertEquals(LABELS[sample], labels.getAtIndex(ValueLayout.JAVA_INT, k), "label of row " + k);
                for (int j = 0; j < 3; j++) {
                    assertEquals(Double.doubleToRawLongBits(FEATURES[sample][j]),
                            Double.doubleToRawLongBits(features.get(k, j)), "bits of feature (" + k + ", " + j + ")");
                }
                for (int j = 3; j < 7; j++) {
                    assertEquals(SENTINEL, wide.get(k, j), 0.0, "padding (" + k + ", " + j + ")");
                }
            }
            assertEquals(SENTINEL, wide.get(3, 0), 0.0, "row beyond count");
            assertEquals(6, dataset.classCount());
        }
    }

    @Test
    void generateCallsEachSampleInOrder() {
        try (DenseDataset dataset = DenseDataset.generate("ramp", 7, 2, 3, (sample, row) -> {
            row[0] = sample;
            row[1] = -sample;
            return sample % 3;
        }); Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, 1, 2);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 1);
            dataset.copyBatch(new int[] {6}, 0, 1, features, labels);

            assertEquals(6.0, features.get(0, 0));
            assertEquals(-6.0, features.get(0, 1));
            assertEquals(0, dataset.label(6));
            assertEquals(2, dataset.label(5));
        }
    }

    @Test
    void nonFiniteFeatureRejected() {
        double[][] features = {{0.0, 1.0}, {Double.POSITIVE_INFINITY, 2.0}};

        assertMessage(() -> DenseDataset.of("bad", features, new int[] {0, 1}),
                "feature 0 of sample 1 in data set 'bad' is Infinity", "finite");
    }

    @Test
    void featureLeftUnsetRejected() {
        assertMessage(() -> DenseDataset.generate("partial", 2, 2, 2, (sample, row) -> {
            row[0] = 1.0;
            return 0;
        }), "feature 1 of sample 0 in data set 'partial' is NaN");
    }

    @Test
    void labelOutsideClassCountRejected() {
        assertMessage(() -> DenseDataset.of("table", FEATURES, LABELS, 3),
                "label 3 of sample 2 in data set 'table' is outside [0, 3)");
        assertMessage(() -> DenseDataset.of("negative", new double[][] {{1.0}}, new int[] {-1}, 2),
                "label -1 of sample 0");
    }

    @Test
    void badShapesRejected() {
        assertMessage(() -> DenseDataset.of("ragged", new double[][] {{1.0, 2.0}, {3.0}}, new int[] {0, 1}),
                "features[1] of data set 'ragged' has 1 values but features[0] has 2");
        assertMessage(() -> DenseDataset.of("lengths", FEATURES, new int[] {0, 1}),
                "has 5 feature rows but 2 labels");
        assertMessage(() -> DenseDataset.of("empty", new double[0][], new int[0]), "has no samples");
        assertMessage(() -> DenseDataset.of("no features", new double[][] {{}}, new int[] {0}),
                "feature count 0 for data set 'no features' is invalid");
        assertMessage(() -> DenseDataset.generate("zero classes", 1, 1, 0, (sample, row) -> 0),
                "class count 0 for data set 'zero classes' is invalid");
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        DenseDataset dataset = DenseDataset.of("table", FEATURES, LABELS);
        dataset.close();

        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, 1, 3);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 1);
            assertThrows(IllegalStateException.class, () -> dataset.copyBatch(new int[] {0}, 0, 1, features, labels));
        }
        assertThrows(IllegalStateException.class, () -> dataset.label(0));
    }

    private static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message lacks \"" + fragment + "\": " + e.getMessage());
        }
    }
}
