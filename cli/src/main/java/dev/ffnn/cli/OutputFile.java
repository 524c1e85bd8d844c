package dev.ffnn.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A text file written to a temporary file in the target's directory and renamed over the target only on
 * {@link #commit()}, so a run that fails or is stopped leaves the old file or none, never half of one.
 *
 * <p>A symbolic link as target is followed, so the file it points to is replaced and the link stays. A
 * shutdown hook deletes the temporary file when the JVM exits on Ctrl-C or SIGTERM before the commit; after
 * SIGKILL a hidden {@code .ffnn-*.tmp} file may remain in the target's directory.
 */
final class OutputFile implements AutoCloseable {

    /** Permissions of a new output file, as a shell with umask 022 would give. */
    private static final Set<PosixFilePermission> NEW_FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final PrintWriter writer;
    private final Thread cleanup;
    private boolean committed;

    private OutputFile(Path target) throws IOException {
        this.target = target;
        this.temporary = Files.createTempFile(target.getParent(), ".ffnn-", ".tmp");
        this.cleanup = new Thread(this::deleteTemporary, "ffnn-output-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream stream = Channels.newOutputStream(channel);
        this.writer = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
    }

    /**
     * Opens a temporary file beside {@code target} (beside the file a symbolic link points to); the caller
     * must {@link #close()} it.
     *
     * @throws IOException if the temporary file cannot be created
     */
    static OutputFile open(Path target) throws IOException {
        return new OutputFile(resolve(target));
    }

    /**
     * Returns null when {@code target} can be written, else the reason it cannot, for an option error before
     * any work starts.
     */
    static String checkWritable(Path target) {
        if (target.toString().isEmpty() || target.getFileName() == null) {
            return "it is not a file path; give a file name such as run.csv";
        }
        Path resolved = resolve(target);
        Path directory = resolved.getParent();
        if (!Files.isDirectory(directory)) {
            return "directory " + directory + " does not exist; create it first";
        }
        if (!Files.isWritable(directory)) {
            return "directory " + directory + " is not writable; choose another directory";
        }
        if (Files.isDirectory(resolved)) {
            return "it is a directory; give a file name";
        }
        if (Files.exists(resolved) && !Files.isRegularFile(resolved)) {
            return "it is not a regular file (a device or a pipe), which ffnn does not replace; give a file name";
        }
        return null;
    }

    /** Returns true when the two paths name the same file, following symbolic links. */
    static boolean isSameFile(Path first, Path second) {
        return resolve(first).equals(resolve(second));
    }

    PrintWriter writer() {
        return writer;
    }

    /**
     * Flushes the buffered text and throws if any write so far failed, so a full disk is found as early as
     * possible rather than at the end.
     *
     * @throws IOException naming the target
     */
    void checkErrors() throws IOException {
        if (writer.checkError()) {
            throw new IOException("writing " + target + " failed (disk full or a file system error); nothing was saved");
        }
    }

    /** Flushes, forces the data to disk and renames the temporary file over the target. */
    void commit() throws IOException {
        checkErrors();
        channel.force(true);
        channel.close();
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : NEW_FILE_PERMISSIONS;
        Files.setPosixFilePermissions(temporary, permissions);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    /** Deletes the temporary file unless {@link #commit()} moved it into place. */
    @Override
    public void close() throws IOException {
        writer.close();
        deleteTemporary();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is already exiting and runs the hook itself.
        }
    }

    private void deleteTemporary() {
        if (!committed) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                System.err.println("ffnn: deleting the temporary file " + temporary + " failed: " + e.getMessage());
            }
        }
    }

    /** Returns the absolute path with a final symbolic link followed, so the link is kept and its file replaced. */
    private static Path resolve(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        try {
            if (Files.isSymbolicLink(absolute)) {
                return absolute.toRealPath();
            }
            Path directory = absolute.getParent();
            if (directory != null && Files.isDirectory(directory)) {
                return directory.toRealPath().resolve(absolute.getFileName());
            }
        } catch (IOException e) {
            // A dangling link or an unreadable directory: keep the path as given, and let the checks report it.
        }
        return absolute;
    }
}
