package dev.ffnn.engine.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Loads image classification data sets from IDX files, the format of MNIST and Fashion-MNIST.
 *
 * <p>An images file has the type code {@code 0x08} (unsigned byte) and 2 or more dimensions. Its first size
 * is the sample count and the product of the others is the feature count, so 28 x 28 images have 784
 * features. A labels file has the type code {@code 0x08} and 1 dimension. Either file may be gzip-compressed,
 * which is detected from its first two bytes ({@code 1f 8b}), not from its name. The format is described at
 * http://yann.lecun.com/exdb/mnist/.
 *
 * <p>Files are streamed through one 64 KiB buffer into off-heap memory, so no whole file is held on the heap.
 * Every problem with the content is a {@link DatasetFormatException} naming the file and the fix.
 */
public final class IdxFiles {

    /** File name of the training images in an MNIST-style directory, without {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** File name of the training labels in an MNIST-style directory, without {@code .gz}. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** File name of the test images in an MNIST-style directory, without {@code .gz}. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** File name of the test labels in an MNIST-style directory, without {@code .gz}. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final String GZIP_SUFFIX = ".gz";
    private static final int INFER_CLASS_COUNT = 0;

    private IdxFiles() {
    }

    /**
     * Loads an images file and its labels file, with the class count set to the maximum label + 1.
     *
     * @throws DatasetFormatException if a file is malformed or the sample counts differ
     * @throws IOException            if a file cannot be read
     */
    public static ByteImageDataset load(Path images, Path labels) throws IOException {
        return read(images, labels, INFER_CLASS_COUNT);
    }

    /**
     * Loads an images file and its labels file, whose labels must all be below {@code classCount}.
     *
     * @throws IllegalArgumentException if {@code classCount < 1}
     * @throws DatasetFormatException   if a file is malformed, the sample counts differ or a label is
     *                                  {@code >= classCount}
     * @throws IOException              if a file cannot be read
     */
    public static ByteImageDataset load(Path images, Path labels, int classCount) throws IOException {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count " + classCount + " for " + images
                    + " is invalid: it must be >= 1");
        }
        return read(images, labels, classCount);
    }

    /**
     * Loads the training and test sets of an MNIST-style directory, which contains the files named by
     * {@link #TRAIN_IMAGES}, {@link #TRAIN_LABELS}, {@link #TEST_IMAGES} and {@link #TEST_LABELS}, each with or
     * without {@code .gz} (the name without it is used when both exist). The class count is inferred from
     * the training labels, and every test label must be below it.
     *
     * @throws NoSuchFileException    if the directory or one of the files is missing; the message names the
     *                                directory and the file names looked for
     * @throws DatasetFormatException if a file is malformed, or a test label is not a training class
     * @throws IOException            if a file cannot be read
     */
    public static TrainTestSplit loadDirectory(Path directory) throws IOException {
        return readDirectory(directory, INFER_CLASS_COUNT);
    }

    /**
     * Same as {@link #loadDirectory(Path)} with the class count given for both sets.
     *
     * @throws IllegalArgumentException if {@code classCount < 1}
     */
    public static TrainTestSplit loadDirectory(Path directory, int classCount) throws IOException {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count " + classCount + " for " + directory
                    + " is invalid: it must be >= 1");
        }
        return readDirectory(directory, classCount);
    }

    private static TrainTestSplit readDirectory(Path directory, int classCountOrInfer) throws IOException {
        checkDirectory(directory);
        Path trainImages = findFile(directory, TRAIN_IMAGES);
        Path trainLabels = findFile(directory, TRAIN_LABELS);
        Path testImages = findFile(directory, TEST_IMAGES);
        Path testLabels = findFile(directory, TEST_LABELS);
        checkAllFound(directory, trainImages, trainLabels, testImages, testLabels);

        // The test set gets the class count of the training set, which sizes the network's output.
        ByteImageDataset train = read(trainImages, trainLabels, classCountOrInfer);
        ByteImageDataset test = null;
        try {
            test = read(testImages, testLabels, train.classCount());
            checkSameFeatureCount(trainImages, train, testImages, test);
            return new TrainTestSplit(train, test);
        } catch (IOException | RuntimeException | Error e) {
            train.close();
            if (test != null) {
                test.close();
            }
            throw e;
        }
    }

    private static void checkSameFeatureCount(Path trainImages, Dataset train, Path testImages, Dataset test)
            throws DatasetFormatException {
        if (train.featureCount() != test.featureCount()) {
            throw new DatasetFormatException(testImages, "test images have " + test.featureCount()
                    + " features per sample but training images " + trainImages + " have " + train.featureCount()
                    + ": put the test images of the same data set in the directory");
        }
    }

    /** Reads both files into one shared arena that the returned data set owns. */
    private static ByteImageDataset read(Path images, Path labels, int classCountOrInfer) throws IOException {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        byte[] buffer = new byte[IdxReader.BUFFER_BYTES];
        try (IdxReader imageReader = IdxReader.open(images); IdxReader labelReader = IdxReader.open(labels)) {
            // Check both headers before reading any data.
            IdxReader.Header imageHeader = imageReader.readHeader(IdxReader.Kind.IMAGES);
            IdxReader.Header labelHeader = labelReader.readHeader(IdxReader.Kind.LABELS);
            checkSameSampleCount(images, imageHeader, labels, labelHeader);

            Arena arena = Arena.ofShared();
            try {
                MemorySegment labelSegment = readLabels(labelReader, labelHeader, arena, buffer);
                int classCount = checkLabels(labels, labelSegment, classCountOrInfer);
                MemorySegment pixels = readPixels(imageReader, imageHeader, arena, buffer);
                return new ByteImageDataset(fileName(images), arena, pixels, labelSegment,
                        imageHeader.sampleCount(), imageHeader.featureCount(), classCount);
            } catch (IOException | RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }
    }

    /** Reads the label bytes and widens each to an {@code int32}. */
    private static MemorySegment readLabels(IdxReader reader, IdxReader.Header header, Arena arena, byte[] buffer)
            throws IOException {
        MemorySegment labels = allocate(arena, header.dataByteCount() * Integer.BYTES, Integer.BYTES, reader.file());
        reader.readData(header, buffer, (chunk, length, byteOffset) -> {
            for (int i = 0; i < length; i++) {
                labels.setAtIndex(ValueLayout.JAVA_INT, byteOffset + i, Byte.toUnsignedInt(chunk[i]));
            }
        });
        return labels;
    }

    private static MemorySegment readPixels(IdxReader reader, IdxReader.Header header, Arena arena, byte[] buffer)
            throws IOException {
        MemorySegment pixels = allocate(arena, header.dataByteCount(), 1, reader.file());
        reader.readData(header, buffer, (chunk, length, byteOffset) ->
                MemorySegment.copy(chunk, 0, pixels, ValueLayout.JAVA_BYTE, byteOffset, length));
        return pixels;
    }

    /**
     * Checks every label against the given class count, or infers it as the maximum label + 1.
     *
     * @return the class count
     */
    private static int checkLabels(Path file, MemorySegment labels, int classCountOrInfer)
            throws DatasetFormatException {
        long sampleCount = labels.byteSize() / Integer.BYTES;
        int maxLabel = 0;
        for (long sample = 0; sample < sampleCount; sample++) {
            int label = labels.getAtIndex(ValueLayout.JAVA_INT, sample);
            if (classCountOrInfer != INFER_CLASS_COUNT && label >= classCountOrInfer) {
                throw new DatasetFormatException(file, "label " + label + " of sample " + sample
                        + " is outside [0, " + classCountOrInfer + "): pass a class count of at least "
                        + (label + 1) + ", or fix the labels file");
            }
            maxLabel = Math.max(maxLabel, label);
        }
        return classCountOrInfer == INFER_CLASS_COUNT ? maxLabel + 1 : classCountOrInfer;
    }

    private static void checkSameSampleCount(Path images, IdxReader.Header imageHeader, Path labels,
                                             IdxReader.Header labelHeader) throws DatasetFormatException {
        if (imageHeader.sampleCount() != labelHeader.sampleCount()) {
            throw new DatasetFormatException(images, "images file has " + imageHeader.sampleCount()
                    + " samples but labels file " + labels + " has " + labelHeader.sampleCount()
                    + ": pass the labels file that belongs to these images");
        }
    }

    /** Allocates zeroed off-heap memory, naming the file if the allocation fails. */
    private static MemorySegment allocate(Arena arena, long byteSize, long byteAlignment, Path file) {
        try {
            return arena.allocate(byteSize, byteAlignment);
        } catch (OutOfMemoryError e) {
            OutOfMemoryError named = new OutOfMemoryError("cannot allocate " + byteSize + " bytes off-heap for "
                    + file + ": free memory, or load a smaller data set");
            named.initCause(e);
            throw named;
        }
    }

    private static void checkDirectory(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.exists(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "directory not found: pass a directory that contains the MNIST-style IDX files");
        }
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
    }

    /** Returns {@code directory/name} if it exists, else {@code directory/name.gz} if that exists, else null. */
    private static Path findFile(Path directory, String name) {
        Path raw = directory.resolve(name);
        Path gzip = directory.resolve(name + GZIP_SUFFIX);
        if (Files.exists(raw)) {
            return raw;
        }
        return Files.exists(gzip) ? gzip : null;
    }

    /** Throws one exception that lists every file that {@link #findFile} did not find. */
    private static void checkAllFound(Path directory, Path trainImages, Path trainLabels, Path testImages,
                                      Path testLabels) throws NoSuchFileException {
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        Path[] found = {trainImages, trainLabels, testImages, testLabels};
        StringJoiner missing = new StringJoiner(", ");
        for (int i = 0; i < names.length; i++) {
            if (found[i] == null) {
                missing.add(names[i] + "[" + GZIP_SUFFIX + "]");
            }
        }
        if (missing.length() > 0) {
            throw new NoSuchFileException(directory.toString(), null, "missing " + missing
                    + ": the directory needs " + String.join(", ", names) + ", each with or without " + GZIP_SUFFIX);
        }
    }

    private static String fileName(Path file) {
        Path name = file.getFileName();
        return name == null ? file.toString() : name.toString();
    }
}
