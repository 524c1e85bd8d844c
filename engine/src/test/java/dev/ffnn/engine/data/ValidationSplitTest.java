package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidationSplitTest {

    @Test
    void denseSplitKeepsEverySampleOnce() {
        // Sample s has features (s, −s) and label s mod 4, so each copied row names its source sample.
        double[][] features = new double[10][];
        int[] labels = new int[10];
        for (int s = 0; s < 10; s++) {
            features[s] = new double[]{s, -s};
            labels[s] = s % 4;
        }
        try (DenseDataset data = DenseDataset.of("ten", features, labels, 5);
             ValidationSplit split = ValidationSplit.of(data, 0.3, 42)) {
            assertEquals(7, split.train().sampleCount());
            assertEquals(3, split.validation().sampleCount());
            assertEquals(5, split.train().classCount(), "class count of the original");
            assertEquals(5, split.validation().classCount(), "class count of the original");

            List<Integer> seen = new ArrayList<>();
            seen.addAll(sources(split.train()));
            seen.addAll(sources(split.validation()));
            assertEquals(10, seen.size());
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen.stream().sorted().toList());
            assertEquals(sources(split.train()).stream().sorted().toList(), sources(split.train()), "file order");
        }
    }

    @Test
    void byteImageSplitCopiesPixels(@TempDir Path directory) throws IOException {
        byte[] pixels = IdxTestFiles.pixelPattern(6 * 4);
        Path images = IdxTestFiles.write(directory, "images", IdxTestFiles.images(6, 2, 2, pixels));
        Path labelFile = IdxTestFiles.write(directory, "labels", IdxTestFiles.labels(0, 1, 2, 0, 1, 2));
        try (ByteImageDataset data = IdxFiles.load(images, labelFile);
             ValidationSplit split = ValidationSplit.of(data, 0.5, 1);
             Arena arena = Arena.ofShared()) {
            assertTrue(split.validation() instanceof ByteImageDataset, "storage format kept");
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, 4);
            MemorySegment label = arena.allocate(ValueLayout.JAVA_INT, 1);
            RowMajorMatrix original = RowMajorMatrix.allocate(arena, 1, 4);
            MemorySegment originalLabel = arena.allocate(ValueLayout.JAVA_INT, 1);
            // Each part keeps file order, so pairing its samples with the original's rows finds them in order.
            int source = 0;
            for (int k = 0; k < split.train().sampleCount(); k++) {
                split.train().copyBatch(new int[]{k}, 0, 1, row, label);
                boolean found = false;
                while (!found && source < 6) {
                    data.copyBatch(new int[]{source}, 0, 1, original, originalLabel);
                    found = java.util.Arrays.equals(row.segment().toArray(ValueLayout.JAVA_DOUBLE),
                            original.segment().toArray(ValueLayout.JAVA_DOUBLE));
                    source++;
                }
                assertTrue(found, "training sample " + k + " is a sample of the original, in order");
                assertEquals(originalLabel.getAtIndex(ValueLayout.JAVA_INT, 0), label.getAtIndex(ValueLayout.JAVA_INT, 0));
            }
            assertEquals(3, split.train().sampleCount());
        }
    }

    @Test
    void sameSeedGivesSameSplit() {
        double[][] features = new double[20][];
        int[] labels = new int[20];
        for (int s = 0; s < 20; s++) {
            features[s] = new double[]{s};
        }
        try (DenseDataset data = DenseDataset.of("twenty", features, labels, 1);
             ValidationSplit first = ValidationSplit.of(data, 0.25, 9);
             ValidationSplit second = ValidationSplit.of(data, 0.25, 9)) {
            assertArrayEquals(sources(first.validation()).stream().mapToInt(Integer::intValue).toArray(),
                    sources(second.validation()).stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void fractionLeavingEmptyPartIsRejected() {
        try (DenseDataset data = DenseDataset.of("two", new double[][]{{0}, {1}}, new int[]{0, 1})) {
            assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data, 0.1, 1));
            assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data, 0.9, 1));
            assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data, 1.0, 1));
            assertThrows(IllegalArgumentException.class, () -> ValidationSplit.of(data, Double.NaN, 1));
        }
    }

    /** Returns the first feature of every sample, which the tests set to the source sample's index. */
    private static List<Integer> sources(Dataset part) {
        List<Integer> result = new ArrayList<>();
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, part.featureCount());
            MemorySegment label = arena.allocate(ValueLayout.JAVA_INT, 1);
            for (int k = 0; k < part.sampleCount(); k++) {
                part.copyBatch(new int[]{k}, 0, 1, row, label);
                int source = (int) row.get(0, 0);
                result.add(source);
                if (part.featureCount() > 1) {
                    assertEquals(-source, row.get(0, 1), "second feature of sample " + source);
                    assertEquals(source % 4, label.getAtIndex(ValueLayout.JAVA_INT, 0), "label of sample " + source);
                }
            }
        }
        return result;
    }
}
