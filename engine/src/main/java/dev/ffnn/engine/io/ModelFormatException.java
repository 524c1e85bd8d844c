package dev.ffnn.engine.io;

import java.io.IOException;
import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Signals a model file that cannot be read as a model: a malformed safetensors header, tensor offsets that do
 * not index the data exactly, a dtype other than F64, or tensors whose names or shapes do not fit the network.
 * The message starts with the file.
 */
public class ModelFormatException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Path file; // null after deserialization, because Path is not serializable

    /** Creates an exception for {@code file} with the message {@code "<file>: <detail>"}. */
    public ModelFormatException(Path file, String detail) {
        super(file + ": " + detail);
        this.file = Objects.requireNonNull(file, "file");
    }

    /** Returns the file that failed to read; null after deserialization. */
    public Path file() {
        return file;
    }
}
