package dev.ffnn.engine.data;

import dev.ffnn.engine.Mutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads seeded mutations of small valid IDX files, raw and gzip-compressed, and requires every outcome to be a
 * data set or a {@link DatasetFormatException}: any other exception or error is a bug.
 */
class IdxFuzzTest {

    @TempDir
    Path directory;

    private static final byte[] IMAGES = IdxTestFiles.images(3, 2, 3, IdxTestFiles.pixelPattern(18));
    private static final byte[] LABELS = IdxTestFiles.labels(0, 2, 1);

    @Test
    void mutatedRawFilesLoadOrFailCleanly() throws IOException {
        int loaded = fuzz(false, 1);
        assertTrue(loaded > 0, "some mutations leave a valid file");
    }

    @Test
    void mutatedGzipFilesLoadOrFailCleanly() throws IOException {
        int loaded = fuzz(true, 2);
        assertTrue(loaded > 0, "some mutations leave a valid file");
    }

    /** Runs the mutations and returns how many loaded as data sets. */
    private int fuzz(boolean gzip, long seed) throws IOException {
        Path images = directory.resolve(gzip ? "images.gz" : "images");
        Path labels = directory.resolve(gzip ? "labels.gz" : "labels");
        byte[] validImages = gzip ? IdxTestFiles.gzip(IMAGES) : IMAGES;
        byte[] validLabels = gzip ? IdxTestFiles.gzip(LABELS) : LABELS;
        SplittableRandom random = new SplittableRandom(seed);
        int loaded = 0;
        for (int i = 0; i < Mutator.iterations(); i++) {
            boolean mutateImages = random.nextInt(3) > 0;
            byte[] imageBytes = mutateImages ? Mutator.mutate(validImages, random) : validImages;
            byte[] labelBytes = mutateImages ? validLabels : Mutator.mutate(validLabels, random);
            Files.write(images, imageBytes);
            Files.write(labels, labelBytes);
            try (ByteImageDataset data = IdxFiles.load(images, labels)) {
                loaded++;
                assertTrue(data.sampleCount() >= 1);
            } catch (DatasetFormatException expected) {
                assertTrue(expected.getMessage().startsWith(expected.file().toString()), expected.getMessage());
            } catch (Throwable e) {
                fail("iteration " + i + " (seed " + seed + ") threw " + e + "\nimages " + Mutator.hex(imageBytes)
                        + "\nlabels " + Mutator.hex(labelBytes), e);
            }
        }
        return loaded;
    }
}
