package dev.ffnn.engine.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffnn.engine.RowMajorMatrix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ByteImageDatasetTest {

    // 256 samples of 3 pixels: sample s has pixels s, 255 - s and (7 s) mod 256, so every byte value occurs.
    private static final int SAMPLES = 256;
    private static final int FEATURES = 3;
    private static final int CLASSES = 5;
    private static final double SENTINEL = -7.5;

    private Arena arena; // batch buffers of one test
    private ByteImageDataset dataset;

    @BeforeEach
    void createDataset() {
        arena = Arena.ofConfined();
        dataset = create();
    }

    @AfterEach
    void closeAll() {
        dataset.close();
        arena.close();
    }

    @Test
    void copyBatchScalesEveryByteValueExactly() {
        int[] identity = new int[SAMPLES];
        for (int s = 0; s < SAMPLES; s++) {
            identity[s] = s;
        }
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, SAMPLES, FEATURES);
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, SAMPLES);

        dataset.copyBatch(identity, 0, SAMPLES, features, labels);

        for (int s = 0; s < SAMPLES; s++) {
            for (int j = 0; j < FEATURES; j++) {
                assertEquals(pixel(s, j) / 255.0, features.get(s, j), 0.0, "feature (" + s + ", " + j + ")");
            }
        }
        assertEquals(0.0, features.get(0, 0), 0.0, "byte 0");
        assertEquals(1.0, features.get(255, 0), 0.0, "byte 255");
    }

    @Test
    void copyBatchFollowsShuffledIndices() {
        int[] indices = {9, 200, 3, 77, 255, 0, 128};
        int from = 2;
        int count = 4;
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, count, FEATURES);
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, count);

        dataset.copyBatch(indices, from, count, features, labels);

        for (int k = 0; k < count; k++) {
            int sample = indices[from + k];
            assertEquals(label(sample), labels.getAtIndex(ValueLayout.JAVA_INT, k), "label of row " + k);
            for (int j = 0; j < FEATURES; j++) {
                assertEquals(pixel(sample, j) / 255.0, features.get(k, j), 0.0, "feature (" + k + ", " + j + ")");
            }
        }
    }

    @Test
    void copyBatchLeavesPaddingAndSpareRowsUntouched() {
        // A 4 x 3 view with leading dimension 5 inside a 4 x 5 matrix filled with a sentinel.
        RowMajorMatrix wide = RowMajorMatrix.allocate(arena, 4, 5);
        wide.fill(SENTINEL);
        RowMajorMatrix features = new RowMajorMatrix(4, FEATURES, 5, wide.segment());
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 4);
        labels.fill((byte) -1);

        dataset.copyBatch(new int[] {17, 42}, 0, 2, features, labels);

        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                boolean written = i < 2 && j < FEATURES;
                int sample = i == 0 ? 17 : 42;
                double expected = written ? pixel(sample, j) / 255.0 : SENTINEL;
                assertEquals(expected, wide.get(i, j), 0.0, "element (" + i + ", " + j + ") of the wide matrix");
            }
        }
        assertEquals(label(17), labels.getAtIndex(ValueLayout.JAVA_INT, 0));
        assertEquals(label(42), labels.getAtIndex(ValueLayout.JAVA_INT, 1));
        assertEquals(-1, labels.getAtIndex(ValueLayout.JAVA_INT, 2), "label beyond count");
    }

    @Test
    void copyBatchOfZeroSamplesWritesNothing() {
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, 0, FEATURES);

        dataset.copyBatch(new int[0], 0, 0, features, MemorySegment.NULL);

        assertEquals(0, features.rows());
    }

    @Test
    void indexOutOfRangeRejectedBeforeWriting() {
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, 3, FEATURES);
        features.fill(SENTINEL);
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 3);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dataset.copyBatch(new int[] {4, 5, 256}, 0, 3, features, labels));

        assertContains(e.getMessage(), "sampleIndices[2] = 256 is outside [0, 256)", "'bytes'");
        assertEquals(SENTINEL, features.get(0, 0), 0.0, "row 0 must not be written");
        assertThrows(IllegalArgumentException.class,
                () -> dataset.copyBatch(new int[] {-1}, 0, 1, features, labels));
    }

    @Test
    void badRangeRejected() {
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, 3, FEATURES);
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 3);
        int[] indices = {1, 2, 3};

        assertMessage(() -> dataset.copyBatch(indices, -1, 1, features, labels), "from = -1");
        assertMessage(() -> dataset.copyBatch(indices, 0, -1, features, labels), "count = -1");
        assertMessage(() -> dataset.copyBatch(indices, 2, 2, features, labels),
                "from + count = 4 exceeds sampleIndices.length = 3");
        assertMessage(() -> dataset.copyBatch(indices, Integer.MAX_VALUE, 1, features, labels),
                "from + count = 2147483648");
    }

    @Test
    void wrongBuffersRejected() {
        int[] indices = {1, 2, 3};
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 3);

        assertMessage(() -> dataset.copyBatch(indices, 0, 3, RowMajorMatrix.allocate(arena, 3, 4), labels),
                "features matrix has 4 columns but data set 'bytes' has 3 features");
        assertMessage(() -> dataset.copyBatch(indices, 0, 3, RowMajorMatrix.allocate(arena, 2, 3), labels),
                "features matrix has 2 rows but count = 3");
        assertMessage(() -> dataset.copyBatch(indices, 0, 3, RowMajorMatrix.allocate(arena, 3, 3),
                arena.allocate(ValueLayout.JAVA_INT, 2)), "labels segment has 8 bytes but count = 3 needs 12");
        assertMessage(() -> dataset.copyBatch(indices, 0, 3, RowMajorMatrix.allocate(arena, 3, 3),
                MemorySegment.ofArray(new byte[12])), "labels segment is aligned to 1 byte but int32 labels need 4");
        assertMessage(() -> dataset.copyBatch(indices, 0, 3, RowMajorMatrix.allocate(arena, 3, 3),
                labels.asReadOnly()), "labels segment is read-only");
    }

    @Test
    void useAfterCloseThrowsIllegalState() {
        RowMajorMatrix features = RowMajorMatrix.allocate(arena, 1, FEATURES);
        MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 1);
        dataset.close();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> dataset.copyBatch(new int[] {0}, 0, 1, features, labels));
        assertContains(e.getMessage(), "data set 'bytes' is closed");
        assertThrows(IllegalStateException.class, () -> dataset.label(0));
        assertEquals(SAMPLES, dataset.sampleCount(), "counts stay readable after close");
        assertDoesNotThrow(dataset::close, "closing twice");
    }

    @Test
    void readableFromAnotherThread() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> label = executor.submit(() -> {
                try (Arena threadArena = Arena.ofConfined()) {
                    RowMajorMatrix features = RowMajorMatrix.allocate(threadArena, 1, FEATURES);
                    MemorySegment labels = threadArena.allocate(ValueLayout.JAVA_INT, 1);
                    dataset.copyBatch(new int[] {33}, 0, 1, features, labels);
                    return labels.getAtIndex(ValueLayout.JAVA_INT, 0);
                }
            });
            assertEquals(label(33), label.get());
        } finally {
            executor.shutdown();
        }
    }

    private static ByteImageDataset create() {
        Arena datasetArena = Arena.ofShared();
        MemorySegment pixels = datasetArena.allocate((long) SAMPLES * FEATURES);
        MemorySegment labels = datasetArena.allocate(ValueLayout.JAVA_INT, SAMPLES);
        for (int s = 0; s < SAMPLES; s++) {
            for (int j = 0; j < FEATURES; j++) {
                pixels.set(ValueLayout.JAVA_BYTE, (long) s * FEATURES + j, (byte) pixel(s, j));
            }
            labels.setAtIndex(ValueLayout.JAVA_INT, s, label(s));
        }
        return new ByteImageDataset("bytes", datasetArena, pixels, labels, SAMPLES, FEATURES, CLASSES);
    }

    private static int pixel(int sample, int feature) {
        return switch (feature) {
            case 0 -> sample;
            case 1 -> 255 - sample;
            default -> (7 * sample) % 256;
        };
    }

    private static int label(int sample) {
        return sample % CLASSES;
    }

    private static void assertMessage(Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertContains(e.getMessage(), fragment);
    }

    private static void assertContains(String message, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message lacks \"" + fragment + "\": " + message);
        }
    }
}
