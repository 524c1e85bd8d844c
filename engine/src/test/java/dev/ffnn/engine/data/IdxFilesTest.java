package dev.ffnn.engine.data;

import static dev.ffnn.engine.data.IdxTestFiles.UNSIGNED_BYTE;
import static dev.ffnn.engine.data.IdxTestFiles.concat;
import static dev.ffnn.engine.data.IdxTestFiles.gzip;
import static dev.ffnn.engine.data.IdxTestFiles.header;
import static dev.ffnn.engine.data.IdxTestFiles.images;
import static dev.ffnn.engine.data.IdxTestFiles.labels;
import static dev.ffnn.engine.data.IdxTestFiles.pixelPattern;
import static dev.ffnn.engine.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ffnn.engine.RowMajorMatrix;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    // 4 images of 3 rows x 5 columns: non-square, so a swapped height and width would show.
    private static final int SAMPLES = 4;
    private static final int HEIGHT = 3;
    private static final int WIDTH = 5;
    private static final int FEATURES = HEIGHT * WIDTH;
    private static final int[] LABELS = {2, 0, 1, 2};
    private static final byte[] PIXELS = pixelPattern(SAMPLES * FEATURES);

    @TempDir
    Path directory;

    @Test
    void rawRoundTripNonSquare() throws IOException {
        Path imageFile = write(directory, "images-idx3-ubyte", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels-idx1-ubyte", labels(LABELS));

        try (ByteImageDataset dataset = IdxFiles.load(imageFile, labelFile)) {
            assertDataset(dataset, "images-idx3-ubyte", 3);
        }
    }

    @Test
    void gzipRoundTripDetectedByMagicNotName() throws IOException {
        // The gzip files have no .gz suffix, and the raw file has one: only the content decides.
        Path imageFile = write(directory, "images.idx", gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS)));
        Path labelFile = write(directory, "labels.gz", labels(LABELS));

        try (ByteImageDataset dataset = IdxFiles.load(imageFile, labelFile)) {
            assertDataset(dataset, "images.idx", 3);
        }
    }

    @Test
    void gzipRoundTripLargerThanBuffer() throws IOException {
        // 70 samples of 40 x 30 pixels are 84 000 bytes, more than one 64 KiB chunk.
        int samples = 70;
        byte[] pixels = pixelPattern(samples * 40 * 30);
        int[] labels = new int[samples];
        Arrays.setAll(labels, s -> s % 7);
        Path imageFile = write(directory, "images.gz", gzip(images(samples, 40, 30, pixels)));
        Path labelFile = write(directory, "labels.gz", gzip(labels(labels)));

        try (ByteImageDataset dataset = IdxFiles.load(imageFile, labelFile); Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, 1, 1200);
            MemorySegment batchLabels = arena.allocate(ValueLayout.JAVA_INT, 1);
            dataset.copyBatch(new int[] {samples - 1}, 0, 1, features, batchLabels);

            assertEquals(7, dataset.classCount());
            assertEquals(Byte.toUnsignedInt(pixels[pixels.length - 1]) / 255.0, features.get(0, 1199));
            assertEquals((samples - 1) % 7, batchLabels.getAtIndex(ValueLayout.JAVA_INT, 0));
        }
    }

    @Test
    void givenClassCountAboveMaxLabelKept() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        try (ByteImageDataset dataset = IdxFiles.load(imageFile, labelFile, 10)) {
            assertEquals(10, dataset.classCount());
        }
    }

    @Test
    void labelAtClassCountRejected() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile, 2),
                "label 2 of sample 0 is not below the class count 2 given to IdxFiles.load", "[0, 2)",
                "pass a class count of at least 3");
    }

    @Test
    void testLabelBeyondTrainingClassesNamesSample() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(labelFile, () -> IdxFiles.loadTest(imageFile, labelFile, 2, "of the training labels t.idx"),
                "label 2 of sample 0 is not below the class count 2 of the training labels t.idx", "[0, 2)",
                "pass the test files of the same data set, or fix this labels file");
        try (ByteImageDataset test = IdxFiles.loadTest(imageFile, labelFile, 10, "of the training labels t.idx")) {
            assertEquals(10, test.classCount(), "the training set's class count");
        }
    }

    @Test
    void classCountBelowOneRejected() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxFiles.load(imageFile, labelFile, 0));
        assertContains(e.getMessage(), "class count 0", ">= 1");
    }

    @Test
    void wrongMagicRejected() throws IOException {
        byte[] bytes = concat(IdxTestFiles.headerWithMagic(0, 1, UNSIGNED_BYTE, 3, SAMPLES, HEIGHT, WIDTH), PIXELS);
        Path imageFile = write(directory, "images", bytes);
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile), "invalid IDX magic number 0x00010803",
                "first two bytes must be 0");
    }

    @Test
    void otherIdxTypesRejected() throws IOException {
        Path labelFile = write(directory, "labels", labels(LABELS));
        String[] typeNames = {"0x09 (signed byte)", "0x0B (short)", "0x0C (int)", "0x0D (float)", "0x0E (double)"};
        int[] typeCodes = {0x09, 0x0B, 0x0C, 0x0D, 0x0E};

        for (int t = 0; t < typeCodes.length; t++) {
            Path imageFile = write(directory, "images-" + typeNames[t].substring(0, 4),
                    concat(header(typeCodes[t], SAMPLES, HEIGHT, WIDTH), PIXELS));
            assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                    "IDX type code " + typeNames[t] + " is not supported", "only 0x08 (unsigned byte) is supported");
        }
        assertEquals(5, typeCodes.length, "number of unsupported IDX types checked");
    }

    @Test
    void unknownTypeCodeRejected() throws IOException {
        Path imageFile = write(directory, "images", concat(header(0x42, SAMPLES, HEIGHT, WIDTH), PIXELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile), "IDX type code 0x42 is invalid",
                "only 0x08 (unsigned byte) is supported");
    }

    @Test
    void zeroDimensionsRejected() throws IOException {
        Path imageFile = write(directory, "images", header(UNSIGNED_BYTE));
        Path labelFile = write(directory, "labels", header(UNSIGNED_BYTE));
        Path goodImages = write(directory, "good-images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path goodLabels = write(directory, "good-labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, goodLabels),
                "images file needs 2 or more dimensions but the header has 0");
        assertFormatError(labelFile, () -> IdxFiles.load(goodImages, labelFile),
                "labels file needs exactly 1 dimension but the header has 0");
    }

    @Test
    void zeroSizeRejected() throws IOException {
        Path imageFile = write(directory, "images", header(UNSIGNED_BYTE, SAMPLES, 0, WIDTH));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile), "size 0 of dimension 1 is invalid");
    }

    @Test
    void negativeSizeRejectedAsUnsigned() throws IOException {
        Path imageFile = write(directory, "images", header(UNSIGNED_BYTE, -1, HEIGHT, WIDTH));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "size 4294967295 of dimension 0 is invalid", "between 1 and 2147483647");
    }

    @Test
    void labelsWithTwoDimensionsRejected() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", concat(header(UNSIGNED_BYTE, SAMPLES, 1), new byte[SAMPLES]));

        assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile),
                "labels file needs exactly 1 dimension but the header has 2", "swapped");
    }

    @Test
    void imagesWithOneDimensionRejected() throws IOException {
        Path imageFile = write(directory, "images", labels(LABELS));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "images file needs 2 or more dimensions but the header has 1");
    }

    @Test
    void sizeProductOverflowRejected() throws IOException {
        int max = Integer.MAX_VALUE;
        Path imageFile = write(directory, "images", header(UNSIGNED_BYTE, max, max, max));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "sizes 2147483647 x 2147483647 x 2147483647 are invalid", "overflows");
    }

    @Test
    void featureCountAboveIntRejected() throws IOException {
        Path imageFile = write(directory, "images", header(UNSIGNED_BYTE, 1, 65536, 65536));
        Path labelFile = write(directory, "labels", labels(0));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "sizes 1 x 65536 x 65536 give 4294967296 features per sample");
    }

    @Test
    void rawFileShorterThanHeaderSaysRejected() throws IOException {
        byte[] shortPixels = Arrays.copyOf(PIXELS, PIXELS.length - 1);
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, shortPixels));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "data has 59 bytes but the header (4 x 3 x 5) requires 60 bytes", "truncated");
    }

    @Test
    void rawFileLongerThanHeaderSaysRejected() throws IOException {
        byte[] longPixels = Arrays.copyOf(PIXELS, PIXELS.length + 2);
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, longPixels));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "data has 62 bytes but the header (4 x 3 x 5) requires 60 bytes", "2 trailing bytes");
    }

    @Test
    void gzipContentShorterThanHeaderSaysRejected() throws IOException {
        byte[] shortPixels = Arrays.copyOf(PIXELS, PIXELS.length - 1);
        Path imageFile = write(directory, "images.gz", gzip(images(SAMPLES, HEIGHT, WIDTH, shortPixels)));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "data has 59 bytes but the header (4 x 3 x 5) requires 60 bytes");
    }

    @Test
    void rawFileOneTrailingByteSingular() throws IOException {
        byte[] longPixels = Arrays.copyOf(PIXELS, PIXELS.length + 1);
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, longPixels));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "data has 61 bytes but the header (4 x 3 x 5) requires 60 bytes", "has 1 trailing byte or");
    }

    @Test
    void gzipContentLongerThanHeaderSaysRejected() throws IOException {
        Path imageFile = write(directory, "images.gz", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels.gz",
                gzip(concat(labels(LABELS), new byte[100_000])));

        assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile),
                "contains more data than its header declares (4 bytes after the header)", "header (4) is wrong");
    }

    @Test
    void gzipExtraDataRejectedWithoutReadingRest() throws IOException {
        // A sync flush makes the labels and the first extra byte decodable from the compressed bytes before it.
        // The rest of the stream is cut off, so a reader that decompressed past the first extra byte would
        // report truncation instead.
        byte[] extra = new byte[100_000];
        new Random(42).nextBytes(extra);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        int flushed;
        try (GZIPOutputStream out = new GZIPOutputStream(compressed, true)) {
            out.write(labels(LABELS));
            out.write(extra, 0, 1);
            out.flush();
            flushed = compressed.size();
            out.write(extra, 1, extra.length - 1);
        }
        byte[] cut = Arrays.copyOf(compressed.toByteArray(), flushed + 1000);
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels.gz", cut);

        assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile),
                "contains more data than its header declares (4 bytes after the header)");
    }

    @Test
    void gzipFollowedByGarbageRejected() throws IOException {
        byte[] member = gzip(labels(LABELS));
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels.gz", concat(member, "garbage".getBytes(StandardCharsets.US_ASCII)));

        DatasetFormatException e = assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile),
                "gzip data ends at byte offset " + member.length + " and is followed by 7 bytes of data that is not"
                        + " a gzip member", "truncate the file to " + member.length + " bytes");
        assertInstanceOf(StrictGzipInputStream.TrailingBytesException.class, e.getCause());
    }

    @Test
    void gzipFollowedByOneByteOrZerosRejected() throws IOException {
        // A lone first magic byte and zero padding are not gzip members either.
        byte[] member = gzip(labels(LABELS));
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path oneByte = write(directory, "one-byte.gz", concat(member, new byte[] {0x1f}));
        Path zeros = write(directory, "zeros.gz", concat(member, new byte[512]));

        assertFormatError(oneByte, () -> IdxFiles.load(imageFile, oneByte), "followed by 1 byte of data");
        assertFormatError(zeros, () -> IdxFiles.load(imageFile, zeros), "followed by 512 bytes of data");
    }

    @Test
    void gzipFollowedByCorruptMemberRejected() throws IOException {
        // Starts like a gzip member but names compression method 7, which gzip does not define.
        byte[] corruptHeader = {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 3};
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels.gz", concat(gzip(labels(LABELS)), corruptHeader));

        assertFormatError(labelFile, () -> IdxFiles.load(imageFile, labelFile), "gzip stream is corrupt",
                "compression method 7 is not supported");
    }

    @Test
    void multiMemberGzipLoads() throws IOException {
        // Split inside the header and inside the pixels, with an empty member between, as 'cat a.gz b.gz' gives.
        byte[] file = images(SAMPLES, HEIGHT, WIDTH, PIXELS);
        byte[] members = concat(concat(gzip(Arrays.copyOfRange(file, 0, 7)), gzip(new byte[0])),
                concat(gzip(Arrays.copyOfRange(file, 7, 40)), gzip(Arrays.copyOfRange(file, 40, file.length))));
        Path imageFile = write(directory, "images.gz", members);
        Path labelFile = write(directory, "labels.gz", concat(gzip(labels(LABELS)), gzip(new byte[0])));

        try (ByteImageDataset dataset = IdxFiles.load(imageFile, labelFile)) {
            assertDataset(dataset, "images.gz", 3);
        }
    }

    @Test
    void fileEndingInsideHeaderRejected() throws IOException {
        Path imageFile = write(directory, "images", Arrays.copyOf(images(SAMPLES, HEIGHT, WIDTH, PIXELS), 10));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "file ends after 10 bytes, inside the IDX header, which needs 16 bytes");
    }

    @Test
    void truncatedGzipRejected() throws IOException {
        byte[] compressed = gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path imageFile = write(directory, "images.gz", Arrays.copyOf(compressed, compressed.length / 2));
        Path labelFile = write(directory, "labels", labels(LABELS));

        DatasetFormatException e = assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "gzip stream is truncated", "gzip -t");
        assertInstanceOf(EOFException.class, e.getCause());
    }

    @Test
    void gzipTruncatedInsideItsHeaderRejected() throws IOException {
        byte[] compressed = gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path imageFile = write(directory, "images.gz", Arrays.copyOf(compressed, 5));
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile), "gzip stream is truncated");
    }

    @Test
    void gzipOfOnlyMagicBytesRejected() throws IOException {
        Path imageFile = write(directory, "images.gz", new byte[] {0x1f, (byte) 0x8b});
        Path labelFile = write(directory, "labels", labels(LABELS));

        DatasetFormatException e = assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "gzip stream is truncated inside its header: the file has 2 bytes, and a gzip header has at least 10",
                "gzip -t");
        assertFalse(e.getMessage().contains("null"), () -> "message shows a missing detail: " + e.getMessage());
    }

    @Test
    void gzipTruncatedInsideTrailerRejected() throws IOException {
        // The 8-byte trailer is CRC-32 then length; cutting 4 bytes leaves the data whole but the trailer short.
        byte[] compressed = gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path imageFile = write(directory, "images.gz", Arrays.copyOf(compressed, compressed.length - 4));
        Path labelFile = write(directory, "labels", labels(LABELS));

        DatasetFormatException e = assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "gzip stream is truncated", "gzip -t");
        assertFalse(e.getMessage().contains("null"), () -> "message shows a missing detail: " + e.getMessage());
    }

    @Test
    void corruptGzipBlockRejected() throws IOException {
        // Byte 10 follows the 10-byte gzip header and starts the first deflate block: setting its
        // bits 1 and 2 gives block type 3, which RFC 1951 reserves as an error.
        byte[] compressed = gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        compressed[10] |= 0b110;
        Path imageFile = write(directory, "images.gz", compressed);
        Path labelFile = write(directory, "labels", labels(LABELS));

        DatasetFormatException e = assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "gzip stream is corrupt");
        assertInstanceOf(ZipException.class, e.getCause());
    }

    @Test
    void corruptGzipChecksumRejected() throws IOException {
        // The trailer is CRC-32 then length, 4 bytes each; flipping a CRC bit corrupts only the checksum.
        byte[] compressed = gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        compressed[compressed.length - 8] ^= 1;
        Path imageFile = write(directory, "images.gz", compressed);
        Path labelFile = write(directory, "labels", labels(LABELS));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile), "gzip stream is corrupt");
    }

    @Test
    void gzipClaimingUnallocatableSizeReportsTruncation() throws IOException {
        // 2^17 x 46340 x 46340 bytes are 2.8e14, more than any arena can allocate, so this load throws
        // OutOfMemoryError unless memory grows only with the data actually decompressed: 100 bytes here.
        int samples = 1 << 17;
        Path imageFile = write(directory, "images.gz",
                gzip(concat(header(UNSIGNED_BYTE, samples, 46340, 46340), pixelPattern(100))));
        Path labelFile = write(directory, "labels.gz", gzip(labels(new int[samples])));

        Executable load = () -> {
            try {
                IdxFiles.load(imageFile, labelFile).close();
            } catch (OutOfMemoryError e) {
                fail("memory for the size in the header was allocated before the data was read: " + e);
            }
        };

        assertFormatError(imageFile, load,
                "data has 100 bytes but the header (131072 x 46340 x 46340) requires 281463436083200 bytes",
                "truncated");
    }

    @Test
    void sampleCountMismatchNamesBothFiles() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path labelFile = write(directory, "labels", labels(1, 0, 1));

        assertFormatError(imageFile, () -> IdxFiles.load(imageFile, labelFile),
                "images file has 4 samples but labels file " + labelFile + " has 3 samples");
    }

    @Test
    void countsOfOneAreSingular() throws IOException {
        Path oneImage = write(directory, "one-image", images(1, 1, 1, new byte[] {9}));
        Path threeLabels = write(directory, "three-labels", labels(1, 0, 1));
        Path oneLabel = write(directory, "one-label", labels(0));

        assertFormatError(oneImage, () -> IdxFiles.load(oneImage, threeLabels),
                "images file has 1 sample but labels file " + threeLabels + " has 3 samples");
        try (ByteImageDataset dataset = IdxFiles.load(oneImage, oneLabel)) {
            assertEquals("ByteImageDataset[one-image: 1 sample x 1 feature, 1 class]", dataset.toString());
        }
    }

    @Test
    void loadDirectoryFindsRawAndGzipNames() throws IOException {
        write(directory, IdxFiles.TRAIN_IMAGES + ".gz", gzip(images(SAMPLES, HEIGHT, WIDTH, PIXELS)));
        write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TEST_IMAGES, images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES)));
        write(directory, IdxFiles.TEST_LABELS + ".gz", gzip(labels(1, 1)));

        try (TrainTestSplit split = IdxFiles.loadDirectory(directory)) {
            assertEquals(IdxFiles.TRAIN_IMAGES + ".gz", split.train().name());
            assertEquals(SAMPLES, split.train().sampleCount());
            assertEquals(IdxFiles.TEST_IMAGES, split.test().name());
            assertEquals(2, split.test().sampleCount());
            assertEquals(FEATURES, split.test().featureCount());
            assertEquals(3, split.test().classCount(), "test set takes the class count of the training set");
        }
    }

    @Test
    void loadTestDirectoryNeedsOnlyTheTestFiles() throws IOException {
        write(directory, IdxFiles.TEST_IMAGES + ".gz", gzip(images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES))));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxFiles.loadTestDirectory(directory));
        assertContains(e.getMessage(), directory.toString(), "missing t10k-labels-idx1-ubyte[.gz]:");
        assertFalse(e.getMessage().contains("missing train"), e.getMessage());

        write(directory, IdxFiles.TEST_LABELS, labels(1, 2));
        try (ByteImageDataset test = IdxFiles.loadTestDirectory(directory)) {
            assertEquals(IdxFiles.TEST_IMAGES + ".gz", test.name());
            assertEquals(2, test.sampleCount());
            assertEquals(FEATURES, test.featureCount());
            assertEquals(3, test.classCount(), "the largest test label + 1");
        }
    }

    @Test
    void loadDirectoryMissingFileNamed() throws IOException {
        write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TEST_IMAGES, images(SAMPLES, HEIGHT, WIDTH, PIXELS));

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxFiles.loadDirectory(directory));
        assertContains(e.getMessage(), directory.toString(), "missing t10k-labels-idx1-ubyte[.gz]:",
                IdxFiles.TRAIN_IMAGES, "with or without .gz");
    }

    @Test
    void loadDirectoryTestLabelOutsideTrainingClassesRejected() throws IOException {
        write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TEST_IMAGES, images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES)));
        Path testLabels = write(directory, IdxFiles.TEST_LABELS, labels(0, 3));

        DatasetFormatException e = assertFormatError(testLabels, () -> IdxFiles.loadDirectory(directory),
                "label 3 of sample 1 is not below the class count 3 inferred from the training labels "
                        + directory.resolve(IdxFiles.TRAIN_LABELS), "[0, 3)", "test files of the same data set");
        assertFalse(e.getMessage().contains("pass a class count"),
                () -> "message names an option that the directory loader does not have: " + e.getMessage());
    }

    @Test
    void loadDirectoryGivenClassCountNamedInLabelError() throws IOException {
        write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        Path trainLabels = write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TEST_IMAGES, images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES)));
        write(directory, IdxFiles.TEST_LABELS, labels(0, 1));

        assertFormatError(trainLabels, () -> IdxFiles.loadDirectory(directory, 2),
                "label 2 of sample 0 is not below the class count 2 given to IdxFiles.loadDirectory",
                "pass a class count of at least 3");
    }

    @Test
    void loadDirectoryPrefersRawNameOverGzip() throws IOException {
        // The raw files have 4 training samples and the .gz files 2, so the sample counts show which was read.
        write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, PIXELS));
        write(directory, IdxFiles.TRAIN_IMAGES + ".gz", gzip(images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES))));
        write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TRAIN_LABELS + ".gz", gzip(labels(0, 1)));
        write(directory, IdxFiles.TEST_IMAGES, images(2, HEIGHT, WIDTH, pixelPattern(2 * FEATURES)));
        write(directory, IdxFiles.TEST_LABELS, labels(1, 1));

        try (TrainTestSplit split = IdxFiles.loadDirectory(directory)) {
            assertEquals(IdxFiles.TRAIN_IMAGES, split.train().name());
            assertEquals(SAMPLES, split.train().sampleCount());
        }
    }

    @Test
    void loadDirectoryListsEveryMissingFile() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxFiles.loadDirectory(directory));

        assertContains(e.getMessage(), "missing train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
                + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]:");
    }


    /** Checks the data set built from {@link #PIXELS} and {@link #LABELS}, every value exactly. */
    private static void assertDataset(Dataset dataset, String name, int classCount) {
        assertEquals(name, dataset.name());
        assertEquals(SAMPLES, dataset.sampleCount());
        assertEquals(FEATURES, dataset.featureCount());
        assertEquals(classCount, dataset.classCount());
        try (Arena arena = Arena.ofConfined()) {
            RowMajorMatrix features = RowMajorMatrix.allocate(arena, SAMPLES, FEATURES);
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, SAMPLES);
            dataset.copyBatch(new int[] {0, 1, 2, 3}, 0, SAMPLES, features, labels);

            for (int s = 0; s < SAMPLES; s++) {
                assertEquals(LABELS[s], labels.getAtIndex(ValueLayout.JAVA_INT, s), "label of sample " + s);
                assertEquals(LABELS[s], dataset.label(s), "label(" + s + ")");
                for (int j = 0; j < FEATURES; j++) {
                    double expected = Byte.toUnsignedInt(PIXELS[s * FEATURES + j]) / 255.0;
                    assertEquals(expected, features.get(s, j), 0.0, "feature (" + s + ", " + j + ")");
                }
            }
        }
    }

    /** Asserts a {@link DatasetFormatException} for {@code file} whose message names it and each fragment. */
    private static DatasetFormatException assertFormatError(Path file, Executable load, String... fragments) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, load);
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith(file + ": "), () -> "message does not start with the file: "
                + e.getMessage());
        assertContains(e.getMessage(), fragments);
        return e;
    }

    private static void assertContains(String message, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message lacks \"" + fragment + "\": " + message);
        }
    }
}
