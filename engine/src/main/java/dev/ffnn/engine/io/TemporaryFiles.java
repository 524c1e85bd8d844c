package dev.ffnn.engine.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Temporary files for atomic writes: a file is written beside its target under a hidden random name, forced to
 * disk, then renamed over the target, so a reader sees the old file or the new one, never half of one.
 */
public final class TemporaryFiles {

    private TemporaryFiles() {
    }

    /**
     * Creates an empty, hidden file {@code .ffnn-RANDOM.tmp} in {@code directory} with the default permissions,
     * which honour the umask. The directory must be the target's, so the final rename stays on one file system.
     *
     * @throws IOException if the file cannot be created, or 11 random names were all taken
     */
    public static Path createBeside(Path directory) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path candidate = directory.resolve(".ffnn-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }
}
