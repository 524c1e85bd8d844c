package dev.ffnn.engine.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
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
 * The data of a gzip file is decompressed into temporary off-heap chunks, and its length checked against the
 * header, before its destination is allocated, so it is held twice while it is copied there.
 * Every problem with the content is a {@link DatasetFormatException} naming the file and the fix. A path that is
 * missing, a directory, a pipe or device, or not readable is rejected before it is opened with a
 * {@link java.nio.file.FileSystemException} whose message names the path and the fix. A missing path is a
 * {@link NoSuchFileException} and a denied one an {@link java.nio.file.AccessDeniedException}.
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

    /**
     * The class count that every label must be below, and where it comes from, for error messages.
     *
     * @param value              the class count, or 0 to infer it as the maximum label + 1
     * @param origin             where the count comes from, as a phrase after "the class count N"
     * @param fromTrainingLabels whether the count is that of a training set, so the fix is other test files
     * @param inDirectory        whether the files are those of a directory
     */
    private record ClassCount(int value, String origin, boolean fromTrainingLabels, boolean inDirectory) {

        static final ClassCount INFER = new ClassCount(0, "inferred from the labels", false, false);

        /** Returns a class count that a caller passed to {@code method}. */
        static ClassCount given(int value, String method) {
            return new ClassCount(value, "given to " + method, false, false);
        }

        /** Returns the class count of a training set, inferred from its labels file, for the test set. */
        static ClassCount inferredFrom(int value, Path trainLabels) {
            return new ClassCount(value, "inferred from the training labels " + trainLabels
                    + " as their maximum label + 1", true, true);
        }

        /** Returns the class count of a training set loaded before, for a test set given by its files. */
        static ClassCount ofTrainingSet(int value, String source) {
            return new ClassCount(value, source, true, false);
        }

        boolean isInferred() {
            return value == 0;
        }

        /** Returns what to do about {@code label}, which is not below this count. */
        String fix(int label) {
            return fromTrainingLabels
                    ? (inDirectory ? "put the test files of the same data set in the directory, or fix this labels file"
                    : "pass the test files of the same data set, or fix this labels file")
                    : "pass a class count of at least " + (label + 1) + ", or fix the labels file";
        }
    }

    private IdxFiles() {
    }

    /**
     * Loads an images file and its labels file, with the class count set to the maximum label + 1.
     *
     * @throws NoSuchFileException    if a file is missing
     * @throws DatasetFormatException if a file is malformed or the sample counts differ
     * @throws IOException            if a path is not a regular file or a file cannot be read
     */
    public static ByteImageDataset load(Path images, Path labels) throws IOException {
        return read(images, labels, ClassCount.INFER);
    }

    /**
     * Loads an images file and its labels file, whose labels must all be below {@code classCount}.
     *
     * @throws IllegalArgumentException if {@code classCount < 1}
     * @throws NoSuchFileException      if a file is missing
     * @throws DatasetFormatException   if a file is malformed, the sample counts differ or a label is
     *                                  {@code >= classCount}
     * @throws IOException              if a path is not a regular file or a file cannot be read
     */
    public static ByteImageDataset load(Path images, Path labels, int classCount) throws IOException {
        if (classCount < 1) {
            throw new IllegalArgumentException("class count " + classCount + " for " + images
                    + " is invalid: it must be >= 1");
        }
        return read(images, labels, ClassCount.given(classCount, "IdxFiles.load"));
    }

    /**
     * Loads the test set of a training set loaded before: every label must be below the training set's class
     * count, which the returned data set keeps. A label that is not below it is rejected naming the sample and the
     * label.
     *
     * @param trainClassCount  the class count of the training set
     * @param trainDescription the training set for the message, such as {@code "of the training labels FILE"}
     * @throws IllegalArgumentException if {@code trainClassCount < 1}
     * @throws DatasetFormatException   if a file is malformed, the sample counts differ or a label is not below
     *                                  {@code trainClassCount}
     * @throws IOException              if a path is missing, not a regular file, or cannot be read
     */
    public static ByteImageDataset loadTest(Path images, Path labels, int trainClassCount, String trainDescription)
            throws IOException {
        if (trainClassCount < 1) {
            throw new IllegalArgumentException("class count " + trainClassCount + " for " + images
                    + " is invalid: it must be >= 1");
        }
        return read(images, labels, ClassCount.ofTrainingSet(trainClassCount,
                Objects.requireNonNull(trainDescription, "trainDescription")));
    }

    /**
     * Loads the training and test sets of an MNIST-style directory, which contains the files named by
     * {@link #TRAIN_IMAGES}, {@link #TRAIN_LABELS}, {@link #TEST_IMAGES} and {@link #TEST_LABELS}, each with or
     * without {@code .gz}. When both {@code name} and {@code name.gz} exist, {@code name} is read and
     * {@code name.gz} is ignored, whatever their contents and dates. The class count is inferred from the
     * training labels, and every test label must be below it.
     *
     * @throws NoSuchFileException    if the directory or one of the files is missing; the message names the
     *                                directory and the file names looked for
     * @throws DatasetFormatException if a file is malformed, or a test label is not a training class
     * @throws IOException            if the path is not a directory, the directory cannot be searched, a file is
     *                                not a regular file, or a file cannot be read
     */
    public static TrainTestSplit loadDirectory(Path directory) throws IOException {
        return readDirectory(directory, ClassCount.INFER);
    }

    /**
     * Loads only the test set of a directory: {@value #TEST_IMAGES} and {@value #TEST_LABELS}, each raw or with
     * {@code .gz} as for {@link #loadDirectory(Path)}. The training files need not exist. The class count is the
     * largest test label + 1.
     *
     * @throws NoSuchFileException    if the directory or one of the two files is missing
     * @throws DatasetFormatException if a file is malformed
     * @throws IOException            if the path is not a directory, or a file cannot be read
     */
    public static ByteImageDataset loadTestDirectory(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        InputPaths.requireDirectory(directory);
        Path testImages = findFile(directory, TEST_IMAGES);
        Path testLabels = findFile(directory, TEST_LABELS);
        checkAllFound(directory, new String[]{TEST_IMAGES, TEST_LABELS}, new Path[]{testImages, testLabels});
        return read(testImages, testLabels, ClassCount.INFER);
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
        return readDirectory(directory, ClassCount.given(classCount, "IdxFiles.loadDirectory"));
    }

    private static TrainTestSplit readDirectory(Path directory, ClassCount trainClassCount) throws IOException {
        Objects.requireNonNull(directory, "directory");
        InputPaths.requireDirectory(directory);
        Path trainImages = findFile(directory, TRAIN_IMAGES);
        Path trainLabels = findFile(directory, TRAIN_LABELS);
        Path testImages = findFile(directory, TEST_IMAGES);
        Path testLabels = findFile(directory, TEST_LABELS);
        checkAllFound(directory, trainImages, trainLabels, testImages, testLabels);

        // The test set gets the class count of the training set, which sizes the network's output.
        ByteImageDataset train = read(trainImages, trainLabels, trainClassCount);
        ClassCount testClassCount = trainClassCount.isInferred()
                ? ClassCount.inferredFrom(train.classCount(), trainLabels)
                : trainClassCount;
        ByteImageDataset test = null;
        try {
            test = read(testImages, testLabels, testClassCount);
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
            throw new DatasetFormatException(testImages, "test images have " + Counts.of(test.featureCount(), "feature")
                    + " per sample but training images " + trainImages + " have "
                    + Counts.of(train.featureCount(), "feature") + ": put the test images of the same data set in the"
                    + " directory");
        }
    }

    /** Reads both files into one shared arena that the returned data set owns. */
    private static ByteImageDataset read(Path images, Path labels, ClassCount classCount) throws IOException {
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
                int checkedClassCount = checkLabels(labels, labelSegment, classCount);
                MemorySegment pixels = readPixels(imageReader, imageHeader, arena, buffer);
                return new ByteImageDataset(fileName(images), arena, pixels, labelSegment,
                        imageHeader.sampleCount(), imageHeader.featureCount(), checkedClassCount);
            } catch (IOException | RuntimeException | Error e) {
                arena.close();
                throw e;
            }
        }
    }

    /** Reads the label bytes and widens each to an {@code int32}. */
    private static MemorySegment readLabels(IdxReader reader, IdxReader.Header header, Arena arena, byte[] buffer)
            throws IOException {
        try (IdxReader.Data data = reader.readData(header, buffer)) {
            MemorySegment labels = IdxReader.allocate(arena, header.dataByteCount() * Integer.BYTES, Integer.BYTES,
                    reader.file());
            data.copyTo((chunk, byteOffset) -> {
                for (long i = 0; i < chunk.byteSize(); i++) {
                    int label = Byte.toUnsignedInt(chunk.get(ValueLayout.JAVA_BYTE, i));
                    labels.setAtIndex(ValueLayout.JAVA_INT, byteOffset + i, label);
                }
            });
            return labels;
        }
    }

    private static MemorySegment readPixels(IdxReader reader, IdxReader.Header header, Arena arena, byte[] buffer)
            throws IOException {
        try (IdxReader.Data data = reader.readData(header, buffer)) {
            MemorySegment pixels = IdxReader.allocate(arena, header.dataByteCount(), 1, reader.file());
            data.copyTo((chunk, byteOffset) -> MemorySegment.copy(chunk, 0, pixels, byteOffset, chunk.byteSize()));
            return pixels;
        }
    }

    /**
     * Checks every label against the class count, or infers the class count as the maximum label + 1.
     *
     * @return the class count
     */
    private static int checkLabels(Path file, MemorySegment labels, ClassCount classCount)
            throws DatasetFormatException {
        long sampleCount = labels.byteSize() / Integer.BYTES;
        int maxLabel = 0;
        for (long sample = 0; sample < sampleCount; sample++) {
            int label = labels.getAtIndex(ValueLayout.JAVA_INT, sample);
            if (!classCount.isInferred() && label >= classCount.value()) {
                throw new DatasetFormatException(file, "label " + label + " of sample " + sample
                        + " is not below the class count " + classCount.value() + " " + classCount.origin()
                        + ". Labels must be in [0, " + classCount.value() + "), so " + classCount.fix(label));
            }
            maxLabel = Math.max(maxLabel, label);
        }
        return classCount.isInferred() ? maxLabel + 1 : classCount.value();
    }

    private static void checkSameSampleCount(Path images, IdxReader.Header imageHeader, Path labels,
                                             IdxReader.Header labelHeader) throws DatasetFormatException {
        if (imageHeader.sampleCount() != labelHeader.sampleCount()) {
            throw new DatasetFormatException(images, "images file has " + Counts.of(imageHeader.sampleCount(), "sample")
                    + " but labels file " + labels + " has " + Counts.of(labelHeader.sampleCount(), "sample")
                    + ": pass the labels file that belongs to these images");
        }
    }

    /**
     * Returns {@code directory/name} if it exists, else {@code directory/name.gz} if that exists, else null.
     *
     * @throws java.nio.file.AccessDeniedException if the directory cannot be searched
     */
    private static Path findFile(Path directory, String name) throws IOException {
        Path raw = directory.resolve(name);
        Path gzip = directory.resolve(name + GZIP_SUFFIX);
        if (InputPaths.existsIn(directory, raw)) {
            return raw;
        }
        return InputPaths.existsIn(directory, gzip) ? gzip : null;
    }

    /** Throws one exception that lists every file that {@link #findFile} did not find. */
    private static void checkAllFound(Path directory, Path trainImages, Path trainLabels, Path testImages,
                                      Path testLabels) throws NoSuchFileException {
        checkAllFound(directory, new String[]{TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS},
                new Path[]{trainImages, trainLabels, testImages, testLabels});
    }

    /** Throws one exception that lists every one of {@code names} whose file in {@code found} is null. */
    private static void checkAllFound(Path directory, String[] names, Path[] found) throws NoSuchFileException {
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
