package dev.ffnn.engine.data;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Signals a data file that cannot be read as a data set. The causes are a malformed or unsupported header,
 * a data length that disagrees with the header, a truncated or corrupt gzip stream, a label outside the class
 * range, and an images file and a labels file that disagree. Bytes after the gzip data that are not gzip are
 * rejected too. The message starts with the file.
 */
public class DatasetFormatException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file; // null after deserialization, because Path is not serializable

    /** Creates an exception for {@code file} with the message {@code "<file>: <detail>"}. */
    public DatasetFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Creates an exception for {@code file} with the message {@code "<file>: <detail>"} and a cause. */
    public DatasetFormatException(Path file, String detail, Throwable cause) {
        super(file + ": " + detail, cause);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Returns the file that failed to read, or the first of two files that disagree; null after deserialization. */
    public Path file() {
        return file;
    }
}
