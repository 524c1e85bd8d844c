package dev.ffnn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A text file written to a temporary file in the target's directory and moved over the target only on
 * {@link #commit()}, so a run that fails or is killed leaves the old file or none, never half of one.
 */
final class OutputFile implements AutoCloseable {

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final PrintWriter writer;
    private boolean committed;

    private OutputFile(Path target) throws IOException {
        this.target = target;
        Path directory = target.toAbsolutePath().getParent();
        this.temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream stream = Channels.newOutputStream(channel);
        this.writer = new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
    }

    /** Opens a temporary file beside {@code target}; the caller must {@link #close()} it. */
    static OutputFile open(Path target) throws IOException {
        return new OutputFile(target);
    }

    /**
     * Returns null when {@code target} can be written, else the reason it cannot, for an option error before
     * any work starts.
     */
    static String checkWritable(Path target) {
        Path directory = target.toAbsolutePath().getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            return "directory " + directory + " does not exist; create it first";
        }
        if (!Files.isWritable(directory)) {
            return "directory " + directory + " is not writable";
        }
        if (Files.isDirectory(target)) {
            return target + " is a directory; give a file name";
        }
        return null;
    }

    PrintWriter writer() {
        return writer;
    }

    /** Flushes, forces the data to disk and renames the temporary file over the target. */
    void commit() throws IOException {
        writer.flush();
        if (writer.checkError()) {
            throw new IOException("writing " + target + " failed (disk full or file system error)");
        }
        channel.force(true);
        channel.close();
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        committed = true;
    }

    /** Deletes the temporary file unless {@link #commit()} moved it into place. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            writer.close();
            Files.deleteIfExists(temporary);
        }
    }
}
