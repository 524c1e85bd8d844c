package dev.ffnn.cli;

import dev.ffnn.engine.io.TemporaryFiles;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file written to a temporary file in the target's directory and renamed over the target only on
 * {@link #commit()}, so a run that fails or is stopped leaves the old file or none, never half of one.
 *
 * <p>A file opened with {@link #openStreamed} is the exception: it is written in place, for streams such as the
 * statistics file whose records must survive a crash. Its writer's caller flushes after every record.
 *
 * <p>Every output of the CLI follows symbolic links the same way: the file a link points to is replaced (or
 * created, for a dangling link) and the link stays. {@link #resolvedTarget} gives that file for writers outside this
 * class (model files, checkpoints). A link loop, and a path that is or leads into {@code /dev}, {@code /proc} or
 * {@code /sys} (such as {@code /dev/stdout}), is rejected by {@link #checkWritable}. A shutdown hook deletes the
 * temporary file when the JVM exits on Ctrl-C or SIGTERM before the commit; after SIGKILL a hidden
 * {@code .ffnn-*.tmp} file may remain in the target's directory.
 */
final class OutputFile implements AutoCloseable {

    /** Maximum length of a file name in bytes on Linux file systems (NAME_MAX). */
    private static final int MAX_NAME_BYTES = 255;
    /** Maximum symbolic links followed in one path, the limit after which Linux reports ELOOP. */
    private static final int MAX_LINKS = 40;
    /** Directories of device, process and kernel files, which are never replaced by an output. */
    private static final List<Path> SPECIAL_DIRECTORIES = List.of(Path.of("/dev"), Path.of("/proc"), Path.of("/sys"));

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final ErrorRecordingStream stream;
    private final PrintWriter writer;
    private final Thread cleanup; // null for a streamed file
    private boolean committed;

    private OutputFile(Path target, boolean streamed, boolean append) throws IOException {
        this.target = target;
        try {
            if (streamed && append) {
                this.temporary = target;
                this.cleanup = null;
                this.channel = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.READ);
                cutPartialLastLine(channel);
            } else if (streamed) {
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
        } catch (IOException e) {
            throw writeFailed(target, e);
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
        return new OutputFile(resolvedTarget(target), false, false);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically, with the permissions of {@link #open}.
     *
     * @throws IOException naming the target; the old file, if any, is then unchanged
     */
    static void write(Path target, byte[] bytes) throws IOException {
        try (OutputFile file = open(target)) {
            try {
                file.stream.write(bytes, 0, bytes.length);
            } catch (IOException e) {
                throw writeFailed(file.target, e);
            }
            file.commit();
        }
    }

    /**
     * Opens {@code target} itself (the file a symbolic link points to), truncated, so whatever is flushed stays
     * there when the run fails, is stopped or crashes. {@link #commit()} forces it to disk and {@link #close()}
     * keeps it.
     *
     * @throws IOException if the file cannot be created or truncated
     */
    static OutputFile openStreamed(Path target) throws IOException {
        return new OutputFile(resolvedTarget(target), true, false);
    }

    /**
     * Opens {@code target} like {@link #openStreamed}, but keeps its content and writes after it, for the
     * statistics of a resumed run. A last line without a line end, the mark of a run killed mid-write, is cut off
     * first, so the appended records start on a line of their own.
     */
    static OutputFile openStreamedForAppend(Path target) throws IOException {
        return new OutputFile(resolvedTarget(target), true, true);
    }

    /** Truncates the channel's file after its last line end (to empty if it has none) and moves to its end. */
    private static void cutPartialLastLine(FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long end = size;
        while (end > 0) {
            int length = (int) Math.min(buffer.capacity(), end);
            buffer.clear().limit(length);
            while (buffer.hasRemaining() && channel.read(buffer, end - length + buffer.position()) >= 0) {
                // A file channel may return fewer bytes than asked for
            }
            int newline = -1;
            for (int i = length - 1; i >= 0; i--) {
                if (buffer.get(i) == '\n') {
                    newline = i;
                    break;
                }
            }
            if (newline >= 0) {
                end = end - length + newline + 1;
                break;
            }
            end -= length;
        }
        if (end < size) {
            channel.truncate(end);
        }
        channel.position(end);
    }

    /**
     * Returns null when {@code target} can be written, else the reason it cannot, for an option error before
     * any work starts. The target's directory is probed by creating and deleting a temporary file in it, so a
     * read-only file system is found too.
     */
    static String checkWritable(Path target) {
        if (target.toString().isEmpty() || target.getFileName() == null) {
            return "it is not a file path; give a file name such as run.csv";
        }
        if (target.getFileName().toString().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            return "the file name is longer than " + MAX_NAME_BYTES + " bytes; give a shorter name";
        }
        List<Path> chain = linkChain(target);
        String special = checkOrdinaryLocation(chain);
        if (special != null) {
            return special;
        }
        Path resolved = chain.getLast();
        if (Files.isSymbolicLink(resolved)) {
            return loopProblem(chain);
        }
        Path directory = resolved.getParent();
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            return directory + " is a file, not a directory; give a path inside a directory";
        }
        if (!Files.isDirectory(directory)) {
            return "directory " + directory + " does not exist; create it first";
        }
        if (Files.isDirectory(resolved)) {
            return "it is a directory; give a file name";
        }
        if (Files.exists(resolved) && !Files.isRegularFile(resolved)) {
            return "it is not a regular file (a device or a pipe), which ffnn does not replace; give a file name";
        }
        return probeDirectory(directory, "");
    }

    /**
     * Returns null when {@code directory} is a writable directory, or a missing one whose nearest existing
     * ancestor is a writable directory, else the reason, for an option error before any work starts. The
     * directory (or that ancestor) is probed by creating and deleting a temporary file in it.
     */
    static String checkDirectoryWritable(Path directory) {
        if (directory.toString().isEmpty()) {
            return "it is not a directory path; give a directory";
        }
        Path real = realDirectory(directory.toAbsolutePath());
        String special = checkOrdinaryLocation(List.of(real));
        if (special != null) {
            return special;
        }
        if (Files.exists(real) && !Files.isDirectory(real)) {
            return "it is a file; give a directory";
        }
        Path existing = real;
        while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (!Files.isDirectory(existing)) {
            return existing + " is " + (Files.isSymbolicLink(existing) ? "a symbolic link that leads nowhere" : "a file")
                    + ", not a directory; give a path inside a directory";
        }
        return probeDirectory(existing, existing.equals(real) ? "" : ", where " + real + " would be created,");
    }

    /**
     * Returns the file that writing {@code target} replaces, with symbolic links followed as {@link #open} does,
     * for writers that do not go through this class (model files).
     *
     * @throws FileSystemException if the links form a loop or a chain of more than 40 links
     */
    static Path resolvedTarget(Path target) throws FileSystemException {
        List<Path> chain = linkChain(target);
        if (Files.isSymbolicLink(chain.getLast())) {
            throw new FileSystemException(target.toString(), null, loopProblem(chain));
        }
        return chain.getLast();
    }

    /** Returns the file {@code path} leads to, with its directory's and its own symbolic links followed. */
    static Path followLinks(Path path) {
        return linkChain(path).getLast();
    }

    /**
     * Returns true when the two paths name the same file: the same device and inode when both exist (so a hard
     * link or a symbolic link to a file counts as that file), else the same real directory and name.
     */
    static boolean isSameFile(Path first, Path second) {
        Path a = linkChain(first).getLast();
        Path b = linkChain(second).getLast();
        if (a.equals(b)) {
            return true;
        }
        if (Files.exists(a) && Files.exists(b)) {
            try {
                return Files.isSameFile(a, b);
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Returns the exception for a failed write of {@code target}: one line naming the file, the reason and the
     * fix, with {@code cause} chained.
     */
    static IOException writeFailed(Path target, IOException cause) {
        return writeFailed(target, cause, "the old file, if any, is kept");
    }

    private static IOException writeFailed(Path target, IOException cause, String keptData) {
        String reason = reason(cause);
        String fix = reason.contains("No space left") || reason.contains("quota")
                ? "free space or choose another directory"
                : reason.contains("Read-only") || reason.contains("ermission") ? "choose another directory"
                : "check the disk or choose another directory";
        return new IOException("writing " + target + " failed: " + reason + "; " + fix + " (" + keptData + ")", cause);
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
            IOException error = stream.firstError != null ? stream.firstError
                    : new IOException("disk full or a file system error");
            throw writeFailed(target, error, cleanup == null ? "the records written before the failure are kept"
                    : "the old file, if any, is kept");
        }
    }

    /** Flushes, forces the data to disk and renames the temporary file over the target (a streamed file stays). */
    void commit() throws IOException {
        checkErrors();
        try {
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
        } catch (IOException e) {
            throw writeFailed(target, e);
        }
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
     * Returns the paths that writing {@code target} passes through: the target in its real directory (with
     * {@code ..} applied after the directory's symbolic links, as the kernel does), then the destination of each
     * symbolic link, even a dangling one. The last element is the file written, unless it is still a link after
     * {@value #MAX_LINKS} hops, which means a loop.
     */
    private static List<Path> linkChain(Path target) {
        Path absolute = target.toAbsolutePath();
        List<Path> chain = new ArrayList<>();
        chain.add(inRealDirectory(absolute));
        while (chain.size() <= MAX_LINKS && Files.isSymbolicLink(chain.getLast())) {
            Path current = chain.getLast();
            try {
                chain.add(inRealDirectory(current.getParent().resolve(Files.readSymbolicLink(current))));
            } catch (IOException e) {
                break;
            }
        }
        return chain;
    }

    private static Path inRealDirectory(Path absolute) {
        Path name = absolute.getFileName();
        return name == null ? absolute : realDirectory(absolute.getParent()).resolve(name);
    }

    /**
     * Returns the real path of {@code directory}: its deepest existing ancestor's real path with the missing
     * names after it, so a missing directory below a symbolic link compares equal to its real location.
     */
    private static Path realDirectory(Path directory) {
        Path existing = directory;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return real.resolve(existing.relativize(directory)).normalize();
            } catch (IOException e) {
                existing = existing.getParent();
            }
        }
        return directory.normalize();
    }

    /** Returns the reason when a path of {@code chain} lies in /dev, /proc or /sys, else null. */
    private static String checkOrdinaryLocation(List<Path> chain) {
        for (int i = 0; i < chain.size(); i++) {
            Path hop = chain.get(i);
            for (Path special : SPECIAL_DIRECTORIES) {
                if (hop.startsWith(special)) {
                    String where = i == 0 ? "it is in " + special : "it is a symbolic link to " + hop + ", in " + special;
                    return where + ", where ffnn writes no files (it writes regular files only, by renaming a new file"
                            + " into place); give a file name elsewhere, or redirect the command's standard output";
                }
            }
        }
        return null;
    }

    private static String loopProblem(List<Path> chain) {
        return "it is a symbolic link loop or a chain of more than " + MAX_LINKS + " links (" + chain.getFirst()
                + " -> " + chain.get(1) + " -> ...); remove or fix the link";
    }

    /** Creates and deletes a temporary file in {@code directory}; returns null on success, else the reason. */
    private static String probeDirectory(Path directory, String note) {
        Path probe;
        try {
            probe = TemporaryFiles.createBeside(directory);
        } catch (IOException e) {
            return "directory " + directory + note + " is not writable (" + reason(e) + "); choose another directory";
        }
        try {
            Files.delete(probe);
        } catch (IOException e) {
            return "directory " + directory + note + " lets ffnn create files but not delete them (" + reason(e)
                    + "); choose another directory";
        }
        return null;
    }

    /** Returns the operating system's reason for {@code e}, without the file name the JDK adds. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            if (f.getReason() != null) {
                return f.getReason();
            }
            return f instanceof AccessDeniedException ? "permission denied"
                    : f instanceof NoSuchFileException ? "the directory does not exist" : "file system error";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
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
