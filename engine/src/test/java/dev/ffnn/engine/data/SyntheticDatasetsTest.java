package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SyntheticDatasetsTest {

    private static final long SEED = 20240917L;
    private static final int SAMPLES = 1001;

    /** Maximum distance of a class's share of the samples from an even split. */
    private static final double BALANCE_TOLERANCE = 0.05;

    @Test
    void everySetHasRequestedShape() {
        assertShape(SyntheticDatasets.xor(SAMPLES, SEED), "xor", 2, 2);
        assertShape(SyntheticDatasets.spirals(SAMPLES, SEED), "spirals", 2, 2);
        assertShape(SyntheticDatasets.blobs(SAMPLES, 5, 7, SEED), "blobs", 7, 5);
        assertShape(SyntheticDatasets.byName("blobs", SAMPLES, SEED), "blobs",
                SyntheticDatasets.DEFAULT_BLOB_FEATURES, SyntheticDatasets.DEFAULT_BLOB_CLASSES);
    }

    @Test
    void sameSeedGivesIdenticalBits() {
        for (String name : SyntheticDatasets.NAMES) {
            Snapshot first = snapshot(SyntheticDatasets.byName(name, SAMPLES, SEED));
            Snapshot second = snapshot(SyntheticDatasets.byName(name, SAMPLES, SEED));

            assertArrayEquals(first.featureBits(), second.featureBits(), name + " features");
            assertArrayEquals(first.labels(), second.labels(), name + " labels");
        }
        assertEquals(3, SyntheticDatasets.NAMES.size(), "number of synthetic sets checked");
    }

    @Test
    void differentSeedsGiveDifferentData() {
        for (String name : SyntheticDatasets.NAMES) {
            Snapshot first = snapshot(SyntheticDatasets.byName(name, SAMPLES, SEED));
            Snapshot second = snapshot(SyntheticDatasets.byName(name, SAMPLES, SEED + 1));

            assertFalse(Arrays.equals(first.featureBits(), second.featureBits()), name + " features");
        }
    }

    @Test
    void classesRoughlyBalanced() {
        assertBalanced(SyntheticDatasets.xor(SAMPLES, SEED));
        assertBalanced(SyntheticDatasets.spirals(SAMPLES, SEED));
        assertBalanced(SyntheticDatasets.blobs(SAMPLES, 4, 3, SEED));
    }

    @Test
    void xorKeepsMarginAndLabelsBySign() {
        Snapshot xor = snapshot(SyntheticDatasets.xor(SAMPLES, SEED));

        for (int s = 0; s < SAMPLES; s++) {
            double x = xor.features()[s][0];
            double y = xor.features()[s][1];
            assertTrue(Math.abs(x) >= SyntheticDatasets.XOR_MARGIN, "x of sample " + s + " in the margin: " + x);
            assertTrue(Math.abs(x) <= 1, "x of sample " + s + " beyond 1: " + x);
            assertTrue(Math.abs(y) >= SyntheticDatasets.XOR_MARGIN, "y of sample " + s + " in the margin: " + y);
            assertTrue(Math.abs(y) <= 1, "y of sample " + s + " beyond 1: " + y);
            assertEquals(x * y < 0 ? 1 : 0, xor.labels()[s], "label of sample " + s);
        }
    }

    @Test
    void spiralsStayNearUnitSquare() {
        Snapshot spirals = snapshot(SyntheticDatasets.spirals(SAMPLES, SEED));

        // Radius at most 1 plus noise of standard deviation 0.02: 1.2 is 10 standard deviations out.
        for (int s = 0; s < SAMPLES; s++) {
            for (int j = 0; j < 2; j++) {
                double value = spirals.features()[s][j];
                assertTrue(Math.abs(value) <= 1.2, "coordinate " + j + " of sample " + s + ": " + value);
            }
            assertEquals(s % 2, spirals.labels()[s], "label of sample " + s);
        }
    }

    @Test
    void blobsTestSetSharesCentersButNotSamples() {
        try (TrainTestSplit split = SyntheticDatasets.trainTest("blobs", 600, 300, SEED)) {
            Snapshot train = snapshot(split.train());
            Snapshot test = snapshot(split.test());
            double[][] trainMeans = classMeans(train, SyntheticDatasets.DEFAULT_BLOB_CLASSES);
            double[][] testMeans = classMeans(test, SyntheticDatasets.DEFAULT_BLOB_CLASSES);

            // Train and test means differ with standard deviation 0.1 * sqrt(1/200 + 1/100) = 0.012,
            // so 0.05 is 4 standard deviations.
            for (int c = 0; c < trainMeans.length; c++) {
                for (int j = 0; j < trainMeans[c].length; j++) {
                    assertEquals(trainMeans[c][j], testMeans[c][j], 0.05, "mean of class " + c + ", feature " + j);
                }
            }
            assertNotEquals(train.features()[0][0], test.features()[0][0], "first samples differ");
            assertEquals("blobs-test", split.test().name());
        }
    }

    @Test
    void trainTestUsesDerivedTestSeed() {
        try (TrainTestSplit split = SyntheticDatasets.trainTest("xor", 50, 40, SEED)) {
            Snapshot expectedTest = snapshot(SyntheticDatasets.xor(40, SyntheticDatasets.testSeed(SEED)));

            assertArrayEquals(expectedTest.featureBits(), snapshot(split.test()).featureBits());
            assertArrayEquals(snapshot(SyntheticDatasets.xor(50, SEED)).featureBits(),
                    snapshot(split.train()).featureBits());
            assertEquals(SEED ^ 0x9E3779B97F4A7C15L, SyntheticDatasets.testSeed(SEED));
        }
    }

    @Test
    void unknownNameRejectedWithList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyntheticDatasets.byName("moons", SAMPLES, SEED));

        assertEquals("unknown synthetic data set 'moons': use one of xor, spirals, blobs", e.getMessage());
    }

    @Test
    void badCountsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyntheticDatasets.xor(0, SEED));
        assertTrue(e.getMessage().contains("sample count 0 for data set 'xor'"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> SyntheticDatasets.blobs(10, 0, 2, SEED));
        assertThrows(IllegalArgumentException.class, () -> SyntheticDatasets.blobs(10, 2, 0, SEED));
    }

    @Test
    void oneSampleIsEnough() {
        Snapshot single = snapshot(SyntheticDatasets.spirals(1, SEED));

        assertEquals(1, single.labels().length);
        assertEquals(0, single.labels()[0]);
    }

    /** Features and labels copied to the heap, so a test can compare whole sets. */
    private record Snapshot(double[][] features, int[] labels) {

        long[] featureBits() {
            return Arrays.stream(features).flatMapToDouble(Arrays::stream).mapToLong(Double::doubleToRawLongBits)
                    .toArray();
        }
    }

    /** Copies every sample of {@code dataset} in order, then closes it. */
    private static Snapshot snapshot(Dataset dataset) {
        int samples = dataset.sampleCount();
        try (dataset; Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, samples, dataset.featureCount());
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, samples);
            BatchOrder.identity(samples).copyBatch(dataset, 0, samples, features, labels);
            return new Snapshot(features.toArray(), labels.toArray(ValueLayout.JAVA_INT));
        }
    }

    private static void assertShape(Dataset dataset, String name, int featureCount, int classCount) {
        try (dataset) {
            assertEquals(name, dataset.name());
            assertEquals(SAMPLES, dataset.sampleCount(), name + " samples");
            assertEquals(featureCount, dataset.featureCount(), name + " features");
            assertEquals(classCount, dataset.classCount(), name + " classes");
        }
    }

    private static void assertBalanced(Dataset dataset) {
        String name = dataset.name();
        int classCount = dataset.classCount();
        int[] counts = new int[classCount];
        for (int label : snapshot(dataset).labels()) {
            counts[label]++;
        }
        for (int c = 0; c < classCount; c++) {
            double share = counts[c] / (double) SAMPLES;
            assertEquals(1.0 / classCount, share, BALANCE_TOLERANCE, name + " share of class " + c);
        }
    }

    private static double[][] classMeans(Snapshot snapshot, int classCount) {
        int featureCount = snapshot.features()[0].length;
        double[][] means = new double[classCount][featureCount];
        int[] counts = new int[classCount];
        for (int s = 0; s < snapshot.labels().length; s++) {
            int label = snapshot.labels()[s];
            counts[label]++;
            for (int j = 0; j < featureCount; j++) {
                means[label][j] += snapshot.features()[s][j];
            }
        }
        for (int c = 0; c < classCount; c++) {
            for (int j = 0; j < featureCount; j++) {
                means[c][j] /= counts[c];
            }
        }
        return means;
    }
}
