package dev.ffnn.engine.io;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Mutator;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Reads seeded mutations of a small valid checkpoint and requires every outcome to be a loaded network (and a
 * restored trainer) or a {@link ModelFormatException}: any other exception or error is a bug.
 */
class SafeTensorsFuzzTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 3, 2}, Activation.TANH, Initializers.xavierNormal());

    @TempDir
    Path directory;

    @Test
    void mutatedFilesLoadOrFailCleanly() throws IOException {
        Path valid = directory.resolve("valid.safetensors");
        try (Network network = Network.create(SPEC, 1); Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
            ModelFile.save(valid, trainer, Map.of());
        }
        byte[] original = Files.readAllBytes(valid);
        Path file = directory.resolve("mutated.safetensors");
        SplittableRandom random = new SplittableRandom(3);
        int loaded = 0;
        for (int i = 0; i < Mutator.iterations(); i++) {
            // Half of the mutations edit the JSON and fix the length field, so they reach the parser and the checks
            byte[] bytes = random.nextBoolean() ? Mutator.mutate(original, random) : mutateHeader(original, random);
            Files.write(file, bytes);
            try {
                ModelFile model = ModelFile.read(file);
                try (Network network = model.load(SPEC); Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
                    loaded++;
                    model.restore(trainer);
                }
            } catch (ModelFormatException expected) {
                assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
            } catch (Throwable e) {
                fail("iteration " + i + " threw " + e + "\nfile " + Mutator.hex(bytes), e);
            }
        }
        assertTrue(loaded > 0, "some mutations leave a valid file");
    }

    /** Mutates the JSON text of the header and writes its new length into the length field. */
    private static byte[] mutateHeader(byte[] file, SplittableRandom random) {
        int length = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] header = Arrays.copyOfRange(file, 8, 8 + length);
        byte[] data = Arrays.copyOfRange(file, 8 + length, file.length);
        byte[] mutated = random.nextBoolean() ? Mutator.mutate(header, random) : replaceNumber(header, random);
        ByteBuffer result = ByteBuffer.allocate(8 + mutated.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        return result.putLong(mutated.length).put(mutated).put(data).array();
    }

    /** Replaces one run of digits in the header by another number, such as an offset or a dimension. */
    private static byte[] replaceNumber(byte[] header, SplittableRandom random) {
        String text = new String(header, StandardCharsets.UTF_8);
        int start = random.nextInt(text.length());
        while (start < text.length() && !Character.isDigit(text.charAt(start))) {
            start++;
        }
        if (start == text.length()) {
            return header;
        }
        int end = start;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        String[] replacements = {"0", "1", "8", "16", "-1", "48", "136", "1e3", "9223372036854775807",
                "18446744073709551616", "4294967296", "2147483648", String.valueOf(random.nextInt(300))};
        String replaced = text.substring(0, start) + replacements[random.nextInt(replacements.length)] + text.substring(end);
        return replaced.getBytes(StandardCharsets.UTF_8);
    }
}
