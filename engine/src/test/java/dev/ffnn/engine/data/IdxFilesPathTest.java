package dev.ffnn.engine.data;

import static dev.ffnn.engine.data.IdxTestFiles.images;
import static dev.ffnn.engine.data.IdxTestFiles.labels;
import static dev.ffnn.engine.data.IdxTestFiles.pixelPattern;
import static dev.ffnn.engine.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Paths given to {@link IdxFiles} that are not readable regular files: missing, directories, FIFOs, devices. */
class IdxFilesPathTest {

    private static final int SAMPLES = 4;
    private static final int HEIGHT = 3;
    private static final int WIDTH = 5;
    private static final int[] LABELS = {2, 0, 1, 2};
    private static final String NOT_REGULAR = "is not a regular file (a pipe or device); save the data to a file first";

    /** Time after which a load that opened a FIFO counts as blocked. Without a writer, open(2) never returns. */
    private static final Duration FIFO_TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    @Test
    void missingFileSaysNotFound() throws IOException {
        Path imageFile = directory.resolve("absent-images");
        Path labelFile = write(directory, "labels", labels(LABELS));

        NoSuchFileException e = assertPathError(NoSuchFileException.class, imageFile,
                () -> IdxFiles.load(imageFile, labelFile));
        assertEquals(imageFile + ": file not found; check the path", e.getMessage());
    }

    @Test
    void missingLabelsFileSaysNotFound() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        Path labelFile = directory.resolve("absent-labels");

        NoSuchFileException e = assertPathError(NoSuchFileException.class, labelFile,
                () -> IdxFiles.load(imageFile, labelFile));
        assertEquals(labelFile + ": file not found; check the path", e.getMessage());
    }

    @Test
    void danglingSymbolicLinkSaysNotFound() throws IOException {
        Path link = Files.createSymbolicLink(directory.resolve("images"), directory.resolve("deleted-target"));
        Path labelFile = write(directory, "labels", labels(LABELS));

        NoSuchFileException e = assertPathError(NoSuchFileException.class, link,
                () -> IdxFiles.load(link, labelFile));
        assertEquals(link + ": file not found; check the path", e.getMessage());
    }

    @Test
    void directoryRejected() throws IOException {
        Path subdirectory = Files.createDirectory(directory.resolve("images"));
        Path labelFile = write(directory, "labels", labels(LABELS));

        FileSystemException e = assertPathError(FileSystemException.class, subdirectory,
                () -> IdxFiles.load(subdirectory, labelFile));
        assertContains(e.getMessage(), subdirectory + ": is a directory, not an IDX file");
    }

    @Test
    void fifoRejectedWithoutBlocking() throws Exception {
        Path fifo = makeFifo(directory.resolve("images-fifo"));
        Path labelFile = write(directory, "labels", labels(LABELS));

        // Without the check, opening the FIFO would block forever, because no process writes to it.
        FileSystemException e = assertTimeoutPreemptively(FIFO_TIMEOUT,
                () -> assertPathError(FileSystemException.class, fifo, () -> IdxFiles.load(fifo, labelFile)));
        assertEquals(fifo + ": " + NOT_REGULAR, e.getMessage());
    }

    @Test
    void fifoAsLabelsRejectedWithoutBlocking() throws Exception {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        Path fifo = makeFifo(directory.resolve("labels-fifo"));

        FileSystemException e = assertTimeoutPreemptively(FIFO_TIMEOUT,
                () -> assertPathError(FileSystemException.class, fifo, () -> IdxFiles.load(imageFile, fifo)));
        assertEquals(fifo + ": " + NOT_REGULAR, e.getMessage());
    }

    @Test
    void deviceFilesRejected() throws IOException {
        Path labelFile = write(directory, "labels", labels(LABELS));
        Path linkToZero = Files.createSymbolicLink(directory.resolve("images-link"), Path.of("/dev/zero"));

        try {
            for (Path device : new Path[] {Path.of("/dev/null"), Path.of("/dev/zero"), linkToZero}) {
                assumeTrue(Files.exists(device), device + " does not exist on this system");
                FileSystemException e = assertPathError(FileSystemException.class, device,
                        () -> IdxFiles.load(device, labelFile));
                assertEquals(device + ": " + NOT_REGULAR, e.getMessage());
            }
        } finally {
            // @TempDir warns about links that point outside it.
            Files.delete(linkToZero);
        }
    }

    @Test
    void pathThroughRegularFileNamesThatFile() throws IOException {
        Path labelFile = write(directory, "labels", labels(LABELS));
        Path insideFile = labelFile.resolve("images");

        NoSuchFileException e = assertPathError(NoSuchFileException.class, insideFile,
                () -> IdxFiles.load(insideFile, labelFile));
        assertEquals(insideFile + ": file not found, because " + labelFile + " is not a directory; check the path",
                e.getMessage());
    }

    @Test
    void symbolicLinkLoopCannotBeOpened() throws IOException {
        Path loop = Files.createSymbolicLink(directory.resolve("images"), directory.resolve("images"));
        Path labelFile = write(directory, "labels", labels(LABELS));

        FileSystemException e = assertPathError(FileSystemException.class, loop, () -> IdxFiles.load(loop, labelFile));
        assertContains(e.getMessage(), loop + ": cannot be opened (", "); check the path");
    }

    @Test
    void unreadableFileSaysPermissionDenied() throws IOException {
        Path imageFile = write(directory, "images", images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        Path labelFile = write(directory, "labels", labels(LABELS));
        Files.setPosixFilePermissions(imageFile, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(imageFile), "this user reads files without read permission, e.g. root");

        AccessDeniedException e = assertPathError(AccessDeniedException.class, imageFile,
                () -> IdxFiles.load(imageFile, labelFile));
        assertContains(e.getMessage(), imageFile + ": permission denied", "chmod");
    }

    @Test
    void accessDeniedDescribedWithPathAndFix() {
        // The same translation as above, which cannot be provoked when the tests run as root.
        Path file = directory.resolve("images");
        AccessDeniedException failure = new AccessDeniedException(file.toString());

        FileSystemException e = InputPaths.describe(file, "file", failure);

        assertInstanceOf(AccessDeniedException.class, e);
        assertEquals(file + ": permission denied; give this user read permission on the file and search permission"
                + " on the directories above it, e.g. with chmod", e.getMessage());
        assertSame(failure, e.getCause());
    }

    @Test
    void loadDirectoryMissingSaysDirectoryNotFound() {
        Path absent = directory.resolve("absent");

        NoSuchFileException e = assertPathError(NoSuchFileException.class, absent,
                () -> IdxFiles.loadDirectory(absent));
        assertEquals(absent + ": directory not found; check the path", e.getMessage());
    }

    @Test
    void loadDirectoryOnFileSaysNotDirectory() throws IOException {
        Path file = write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));

        FileSystemException e = assertPathError(FileSystemException.class, file, () -> IdxFiles.loadDirectory(file));
        assertContains(e.getMessage(), file + ": is not a directory;", "MNIST-style IDX files");
        assertFalse(e.getMessage().contains("missing"), () -> "message lists files as missing: " + e.getMessage());
    }

    @Test
    void loadDirectoryUnsearchableSaysPermissionDenied() throws IOException {
        Path dataDirectory = Files.createDirectory(directory.resolve("data"));
        write(dataDirectory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("---------"));
        try {
            assumeFalse(Files.exists(dataDirectory.resolve(IdxFiles.TRAIN_IMAGES)),
                    "this user searches directories without permission, e.g. root");

            AccessDeniedException e = assertPathError(AccessDeniedException.class, dataDirectory,
                    () -> IdxFiles.loadDirectory(dataDirectory));
            assertContains(e.getMessage(), dataDirectory + ": permission denied", "chmod");
        } finally {
            // Let @TempDir delete the directory.
            Files.setPosixFilePermissions(dataDirectory, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void loadDirectoryFifoFileRejectedWithoutBlocking() throws Exception {
        write(directory, IdxFiles.TRAIN_IMAGES, images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        write(directory, IdxFiles.TRAIN_LABELS, labels(LABELS));
        write(directory, IdxFiles.TEST_IMAGES, images(SAMPLES, HEIGHT, WIDTH, pixelPattern(60)));
        Path fifo = makeFifo(directory.resolve(IdxFiles.TEST_LABELS));

        FileSystemException e = assertTimeoutPreemptively(FIFO_TIMEOUT,
                () -> assertPathError(FileSystemException.class, fifo, () -> IdxFiles.loadDirectory(directory)));
        assertEquals(fifo + ": " + NOT_REGULAR, e.getMessage());
    }

    /** Asserts an exception of exactly {@code type} whose file is {@code path}. */
    private static <T extends FileSystemException> T assertPathError(Class<T> type, Path path, Executable load) {
        FileSystemException e = assertThrows(FileSystemException.class, load);
        assertEquals(type, e.getClass(), () -> "exception type, message: " + e.getMessage());
        assertEquals(path.toString(), e.getFile());
        return type.cast(e);
    }

    private static void assertContains(String message, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message lacks \"" + fragment + "\": " + message);
        }
    }

    /** Creates a FIFO with mkfifo(1), because Java has no API for it. */
    private static Path makeFifo(Path path) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "mkfifo did not exit within 30 s");
        assertEquals(0, process.exitValue(), "exit status of mkfifo " + path);
        assertTrue(Files.exists(path), path + " does not exist after mkfifo");
        assertFalse(Files.isRegularFile(path), path + " is a regular file, not a FIFO");
        return path;
    }
}
