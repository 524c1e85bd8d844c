package dev.ffnn.engine.data;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Checks of the paths that {@link IdxFiles} reads, done before a file is opened.
 *
 * <p>Each failure is a {@link FileSystemException} whose message is {@code "<path>: <problem>; <fix>"}, because
 * the exceptions of {@link Files} often carry only the path. The checks read file attributes and never open the
 * file, so a FIFO is rejected without blocking until a writer appears.
 */
final class InputPaths {

    private InputPaths() {
    }

    /**
     * Checks that {@code file} is a regular file, following symbolic links.
     *
     * @throws NoSuchFileException    if the file does not exist
     * @throws AccessDeniedException  if a directory on the path cannot be searched
     * @throws FileSystemException    if the file is a directory, a FIFO, a socket or a device, or its
     *                                attributes cannot be read
     */
    static void requireRegularFile(Path file) throws IOException {
        requireRegularFile(file, "IDX");
    }

    /** Same as {@link #requireRegularFile(Path)}, naming the expected {@code format} (such as CSV) for a directory. */
    static void requireRegularFile(Path file, String format) throws IOException {
        BasicFileAttributes attributes = readAttributes(file, "file");
        if (attributes.isDirectory()) {
            throw new FileSystemException(file.toString(), null,
                    "is a directory, not " + (format.startsWith("I") ? "an " : "a ") + format + " file; pass the "
                            + format + " file inside it");
        }
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null,
                    "is not a regular file (a pipe or device); save the data to a file first");
        }
    }

    /**
     * Checks that {@code directory} is a directory, following symbolic links.
     *
     * @throws NoSuchFileException   if the directory does not exist
     * @throws AccessDeniedException if a directory on the path cannot be searched
     * @throws FileSystemException   if the path is not a directory, or its attributes cannot be read
     */
    static void requireDirectory(Path directory) throws IOException {
        BasicFileAttributes attributes = readAttributes(directory, "directory");
        if (!attributes.isDirectory()) {
            throw new FileSystemException(directory.toString(), null,
                    "is not a directory; pass the directory that contains the MNIST-style IDX files");
        }
    }

    /**
     * Returns whether {@code file} in {@code directory} exists, following symbolic links. Any error other than
     * a missing file counts as existing, so that opening the file reports it.
     *
     * @throws AccessDeniedException if {@code directory} cannot be searched, naming the directory
     */
    static boolean existsIn(Path directory, Path file) throws IOException {
        try {
            Files.readAttributes(file, BasicFileAttributes.class);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (AccessDeniedException e) {
            throw describe(directory, "directory", e);
        } catch (FileSystemException e) {
            return true;
        }
    }

    /**
     * Returns the exception that reports {@code failure}, an error from opening or inspecting {@code path}, as
     * {@code "<path>: <problem>; <fix>"}, with {@code failure} as its cause. A missing path stays a
     * {@link NoSuchFileException} and a denied one an {@link AccessDeniedException}, so callers can still catch them.
     *
     * @param kind {@code "file"} or {@code "directory"}, the kind of path expected
     */
    static FileSystemException describe(Path path, String kind, FileSystemException failure) {
        String name = path.toString();
        FileSystemException described;
        if (failure instanceof NoSuchFileException) {
            described = new NoSuchFileException(name, null, notFound(path, kind));
        } else if (failure instanceof AccessDeniedException) {
            String permissions = kind.equals("directory")
                    ? "read and search permission on the directory and the directories above it"
                    : "read permission on the file and search permission on the directories above it";
            described = new AccessDeniedException(name, null, "permission denied; give this user "
                    + permissions + ", e.g. with chmod");
        } else {
            String reason = failure.getReason() == null ? failure.getClass().getSimpleName() : failure.getReason();
            described = new FileSystemException(name, null, "cannot be opened (" + reason + "); check the path");
        }
        described.initCause(failure);
        return described;
    }

    /** Returns the reason for a missing path, naming the nearest existing ancestor if it is not a directory. */
    private static String notFound(Path path, String kind) {
        for (Path ancestor = path.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            if (Files.exists(ancestor)) {
                if (!Files.isDirectory(ancestor)) {
                    return kind + " not found, because " + ancestor + " is not a directory; check the path";
                }
                break;
            }
        }
        return kind + " not found; check the path";
    }

    private static BasicFileAttributes readAttributes(Path path, String kind) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            throw describe(path, kind, e);
        }
    }
}
