package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffnn.engine.RowMajorMatrix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Reads the Fashion-MNIST files of the Debian package dataset-fashion-mnist, where it is installed. */
class FashionMnistTest {

    private static final Path DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void loadsTrainAndTestSets() throws IOException {
        Assumptions.assumeTrue(Files.exists(DIRECTORY.resolve(IdxFiles.TRAIN_IMAGES + ".gz")),
                "Fashion-MNIST is not installed in " + DIRECTORY);

        try (TrainTestSplit split = IdxFiles.loadDirectory(DIRECTORY)) {
            assertShape(split.train(), 60_000);
            assertShape(split.test(), 10_000);
        }
    }

    /** Checks the shape, that each label 0..9 occurs, and that the pixels of a batch lie in [0, 1]. */
    private static void assertShape(Dataset dataset, int sampleCount) {
        assertEquals(sampleCount, dataset.sampleCount(), dataset.name());
        assertEquals(28 * 28, dataset.featureCount(), dataset.name());
        assertEquals(10, dataset.classCount(), dataset.name());

        int[] labelCounts = new int[10];
        for (int s = 0; s < sampleCount; s++) {
            labelCounts[dataset.label(s)]++;
        }
        for (int label = 0; label < 10; label++) {
            assertTrue(labelCounts[label] > 0, "label " + label + " missing from " + dataset.name());
        }

        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, 2, 784);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 2);
            dataset.copyBatch(new int[] {0, sampleCount - 1}, 0, 2, features, labels);
            double max = 0;
            for (double[] row : features.toArray()) {
                for (double value : row) {
                    assertTrue(value >= 0, "pixel " + value + " below 0");
                    assertTrue(value <= 1, "pixel " + value + " above 1");
                    max = Math.max(max, value);
                }
            }
            assertTrue(max > 0, "first and last images of " + dataset.name() + " are blank");
        }
    }
}
