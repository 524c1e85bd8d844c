package dev.ffnn.cli;

import dev.ffnn.engine.io.TemporaryFiles;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * A text file written to a temporary file in the target's directory and renamed over the target only on
 * {@link #commit()}, so a run that fails or is stopped leaves the old file or none, never half of one.
 *
 * <p>A file opened with {@link #openStreamed} is the exception: it is written in place, for streams such as the
 * statistics file whose records must survive a crash. Its writer's caller flushes after every record.
 *
 * <p>A symbolic link as target is followed, so the file it points to is replaced and the link stays. A
 * shutdown hook deletes the temporary file when the JVM exits on Ctrl-C or SIGTERM before the commit; after
 * SIGKILL a hidden {@code .ffnn-*.tmp} file may remain in the target's directory.
 */
final class OutputFile implements AutoCloseable {

    /** Maximum length of a file name in bytes on Linux file systems (NAME_MAX). */
    private static final int MAX_NAME_BYTES = 255;

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final ErrorRecordingStream stream;
    private final PrintWriter writer;
    private final Thread cleanup; // null for a streamed file
    private boolean committed;

    private OutputFile(Path target, boolean streamed) throws IOException {
        this.target = target;
        if (streamed) {
            this.temporary = target;
            this.cleanup = null;
            this.channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            this.temporary = TemporaryFiles.createBeside(target.getParent());
            this.cleanup = new Thread(this::deleteTemporary, "ffnn-output-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
            this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        this.stream = new ErrorRecordingStream(Channels.newOutputStream(channel));
        this.writer = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
    }

    /**
     * Opens a temporary file beside {@code target} (beside the file a symbolic link points to); the caller
     * must {@link #close()} it.
     *
     * @throws IOException if the temporary file cannot be created
     */
    static OutputFile open(Path target) throws IOException {
        return new OutputFile(resolve(target), false);
    }

    /**
     * Opens {@code target} itself (the file a symbolic link points to), truncated, so whatever is flushed stays
     * there when the run fails, is stopped or crashes. {@link #commit()} forces it to disk and {@link #close()}
     * keeps it.
     *
     * @throws IOException if the file cannot be created or truncated
     */
    static OutputFile openStreamed(Path target) throws IOException {
        return new OutputFile(resolve(target), true);
    }

    /**
     * Returns null when {@code target} can be written, else the reason it cannot, for an option error before
     * any work starts.
     */
    static String checkWritable(Path target) {
        if (target.toString().isEmpty() || target.getFileName() == null) {
            return "it is not a file path; give a file name such as run.csv";
        }
        if (target.getFileName().toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes; give a shorter name";
        }
        Path resolved = resolve(target);
        Path directory = resolved.getParent();
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            return directory + " is a file, not a directory; give a path inside a directory";
        }
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

    /**
     * Returns the file that writing {@code target} replaces, with symbolic links followed as {@link #open} does,
     * for writers that do not go through this class (model files).
     */
    static Path resolvedTarget(Path target) {
        return resolve(target);
    }

    /** Returns true when the two paths name the same file, following symbolic links. */
    static boolean isSameFile(Path first, Path second) {
        return resolve(first).equals(resolve(second));
    }

    PrintWriter writer() {
        return writer;
    }

    /** Runs {@link #checkErrors()} for callers that cannot throw {@link IOException}, such as training listeners. */
    void checkErrorsUnchecked() {
        try {
            checkErrors();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Flushes the buffered text and throws if any write so far failed, so a full disk is found as early as
     * possible rather than at the end.
     *
     * @throws IOException naming the target
     */
    void checkErrors() throws IOException {
        if (writer.checkError()) {
            String reason = stream.firstError != null && stream.firstError.getMessage() != null
                    ? stream.firstError.getMessage() : "disk full or a file system error";
            String kept = cleanup == null ? "the records written before the failure are kept"
                    : "the old file, if any, is kept";
            throw new IOException("writing " + target + " failed (" + reason + "); " + kept,
                    stream.firstError);
        }
    }

    /** Flushes, forces the data to disk and renames the temporary file over the target (a streamed file stays). */
    void commit() throws IOException {
        checkErrors();
        channel.force(true);
        channel.close();
        if (cleanup == null) {
            committed = true;
            return;
        }
        if (Files.exists(target)) {
            Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    /** Deletes the temporary file unless {@link #commit()} moved it into place. */
    @Override
    public void close() throws IOException {
        writer.close();
        if (cleanup == null) {
            return;
        }
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

    /**
     * Returns the file that writing {@code target} would replace: the real directory (with {@code ..} applied after
     * its symbolic links, as the kernel does) joined with the name, and a symbolic link at the end followed, even
     * when it dangles.
     */
    private static Path resolve(Path target) {
        Path absolute = target.toAbsolutePath();
        Path name = absolute.getFileName();
        Path directory = realDirectory(absolute.getParent());
        Path result = directory.resolve(name);
        // Follow up to 40 links, the limit Linux applies (ELOOP)
        for (int hop = 0; hop < 40 && Files.isSymbolicLink(result); hop++) {
            try {
                Path link = Files.readSymbolicLink(result);
                Path next = result.getParent().resolve(link);
                result = realDirectory(next.getParent()).resolve(next.getFileName());
            } catch (IOException e) {
                break;
            }
        }
        return result;
    }

    private static Path realDirectory(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            // Missing or unreadable: keep the path as given, and let the checks report it
            return directory.normalize();
        }
    }

    /** Records the first write error, which {@link PrintWriter} would otherwise reduce to a flag. */
    private static final class ErrorRecordingStream extends FilterOutputStream {

        private IOException firstError;

        ErrorRecordingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void write(int value) throws IOException {
            try {
                out.write(value);
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                record(e);
                throw e;
            }
        }

        private void record(IOException e) {
            if (firstError == null) {
                firstError = e;
            }
        }
    }
}
