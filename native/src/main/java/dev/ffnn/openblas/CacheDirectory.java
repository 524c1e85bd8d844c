package dev.ffnn.openblas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The per-user directory that receives the bundled OpenBLAS: creating it and its staging directories with errors
 * that name the path and the fix, and removing staging directories that a killed process left behind.
 */
final class CacheDirectory {

    /**
     * Age after which a staging directory counts as abandoned. A directory's modification time changes with
     * each file created in it, and copying the four files took under a second in BundledOpenBlasTest. So a
     * staging directory this old belongs to a process that was killed, or stopped for about this long.
     */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);

    private static final System.Logger LOGGER = System.getLogger(CacheDirectory.class.getName());

    private static final String FIX = "set environment variable " + OpenBlasLibrary.CACHE_ENVIRONMENT_VARIABLE
            + " or system property " + OpenBlasLibrary.CACHE_PROPERTY + " to a writable directory";

    private CacheDirectory() {
    }

    /**
     * Creates {@code directory} and its missing parents.
     *
     * @throws IOException if the path or a parent exists and is not a directory, or the directory cannot be
     *                     created. The message names the path and the fix.
     */
    static void create(Path directory) throws IOException {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw failure(directory, notDirectory(directory, e), e);
        } catch (AccessDeniedException e) {
            throw failure(directory, "cannot be created: permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            Path file = nearestFileAbove(directory);
            String problem = file == null
                    ? "cannot be created (" + reason(e) + ")"
                    : "cannot be created, because " + file + " is a file, not a directory";
            throw failure(directory, problem, e);
        }
    }

    /**
     * Creates a new, uniquely named staging directory in {@code directory}.
     *
     * @throws IOException if {@code directory} is not writable, with a message that names it and the fix
     */
    static Path createStagingDirectory(Path directory, String prefix) throws IOException {
        try {
            return Files.createTempDirectory(directory, prefix);
        } catch (AccessDeniedException e) {
            throw failure(directory, "is not writable: permission denied", e);
        } catch (FileSystemException e) {
            throw failure(directory, "is not writable (" + reason(e) + ")", e);
        }
    }

    /** Returns the exception for a failure to write {@code file} into the cache directory {@code directory}. */
    static IOException writeFailure(Path directory, Path file, IOException cause) {
        String detail = cause instanceof FileSystemException fileSystemFailure
                ? reason(fileSystemFailure)
                : cause.getMessage();
        return new IOException("cannot write " + file + " into cache directory " + directory + " (" + detail
                + "); free disk space, or " + FIX, cause);
    }

    /**
     * Deletes the staging directories in {@code directory} whose names match {@code isStagingName} and that were
     * last modified more than {@link #ABANDONED_AFTER} before {@code now}.
     *
     * <p>This clean-up may fail without harm, so it throws no exception. It leaves a directory that cannot be
     * listed or deleted for a later run. Several processes may remove the same directory at once, because
     * {@link #deleteDirectory} ignores entries that disappear meanwhile. That also covers a directory moved
     * aside as stale, which keeps its old modification time and may be removed while its owner deletes it.
     *
     * <p>A process stopped for longer than {@link #ABANDONED_AFTER} in the middle of its extraction can lose
     * files of its staging directory. Its load then fails with an error, and the next process finds the copy
     * incomplete and replaces it.
     */
    static void removeAbandonedStaging(Path directory, Predicate<String> isStagingName, Instant now) {
        List<Path> candidates;
        try (Stream<Path> listing = Files.list(directory)) {
            candidates = listing.filter(path -> isStagingName.test(path.getFileName().toString())).toList();
        } catch (IOException | UncheckedIOException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "cannot list cache directory " + directory
                    + " to remove abandoned staging directories", e);
            return;
        }
        Instant cutoff = now.minus(ABANDONED_AFTER);
        for (Path staging : candidates) {
            try {
                if (Files.getLastModifiedTime(staging).toInstant().isBefore(cutoff)) {
                    deleteDirectory(staging);
                }
            } catch (IOException | UncheckedIOException e) {
                LOGGER.log(System.Logger.Level.DEBUG, "cannot remove abandoned staging directory " + staging, e);
            }
        }
    }

    /**
     * Deletes a directory and the files in it, if it still exists. It must contain no subdirectories. Entries
     * that another thread or process deletes meanwhile are skipped.
     */
    static void deleteDirectory(Path directory) throws IOException {
        List<Path> children;
        try (Stream<Path> listing = Files.list(directory)) {
            children = listing.toList();
        } catch (NoSuchFileException alreadyDeleted) {
            return;
        }
        for (Path child : children) {
            Files.deleteIfExists(child);
        }
        Files.deleteIfExists(directory);
    }

    private static IOException failure(Path directory, String problem, IOException cause) {
        return new IOException("cache directory " + directory + " " + problem + "; " + FIX, cause);
    }

    private static String notDirectory(Path directory, FileAlreadyExistsException e) {
        if (e.getFile() == null || Path.of(e.getFile()).equals(directory)) {
            return "is not a directory";
        }
        return "cannot be created, because " + e.getFile() + " is not a directory";
    }

    /** Returns the nearest existing path above {@code path} if it is not a directory, else null. */
    private static Path nearestFileAbove(Path path) {
        for (Path ancestor = path.getParent(); ancestor != null; ancestor = ancestor.getParent()) {
            if (Files.exists(ancestor)) {
                return Files.isDirectory(ancestor) ? null : ancestor;
            }
        }
        return null;
    }

    private static String reason(FileSystemException e) {
        String reason = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return e.getFile() == null ? reason : reason + " on " + e.getFile();
    }
}
