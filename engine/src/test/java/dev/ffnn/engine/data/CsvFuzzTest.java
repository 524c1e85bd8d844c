package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates a small valid CSV file with seeded random edits and loads each result: every load must either succeed
 * with a consistent data set or throw {@link DatasetFormatException}. Run more mutations with
 * {@code -Dffnn.fuzz.iterations=N}.
 */
class CsvFuzzTest {

    private static final int ITERATIONS = Integer.getInteger("ffnn.fuzz.iterations", 2_000);
    private static final long SEED = 20_261_204L;
    private static final String HEADER = "label,x1,x2,\"x 3\"\n";
    private static final String SAMPLES = "0,0.5,-1.25,3\n1,1e-3,2,.5\n2,+4.,-0,7E2\n1,5,6,7\n\n";
    private static final List<byte[]> TOKENS = List.of(bytes(","), bytes(";"), bytes("\n"), bytes("\r\n"),
            bytes("\r"), bytes("\""), bytes("\"\""), bytes("NaN"), bytes("inf"), bytes("-Infinity"), bytes("1e999"),
            bytes("-"), bytes("."), bytes("e"), bytes(" "), bytes("\t"), bytes("\uFEFF"), new byte[]{0},
            new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xC3}, bytes("label"), bytes("-1"), bytes("99999999999"),
            bytes("0x10"), bytes("1.5"), bytes("3"), bytes("\n\n"), bytes("é"));

    /** A format and a valid file for it. */
    private record Case(CsvFormat format, byte[] valid) {
    }

    private static final List<Case> CASES = List.of(
            new Case(CsvFormat.DEFAULT, bytes(HEADER + SAMPLES)),
            new Case(new CsvFormat(',', CsvFormat.Header.AUTO, "label"), bytes(HEADER + SAMPLES)),
            new Case(new CsvFormat(',', CsvFormat.Header.PRESENT, "2"), bytes(HEADER + SAMPLES)),
            new Case(new CsvFormat(',', CsvFormat.Header.ABSENT, "1"), bytes(SAMPLES)),
            new Case(new CsvFormat(';', CsvFormat.Header.AUTO, "1"), bytes((HEADER + SAMPLES).replace(',', ';'))));

    @TempDir
    Path directory;

    @Test
    void mutatedCsvLoadsOrFailsCleanly() throws IOException {
        Random random = new Random(SEED);
        Path file = directory.resolve("fuzz.csv");
        int loaded = 0;
        int rejected = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            Case testCase = CASES.get(random.nextInt(CASES.size()));
            CsvFormat format = testCase.format();
            byte[] mutated = mutate(testCase.valid(), random);
            boolean givenClassCount = random.nextBoolean();
            Files.write(file, mutated);
            try (DenseDataset data = givenClassCount ? CsvFiles.load(file, format, 3, "given")
                    : CsvFiles.load(file, format)) {
                assertConsistent(data, givenClassCount ? 3 : -1);
                loaded++;
            } catch (DatasetFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                rejected++;
            } catch (Exception | Error e) {
                fail("iteration " + iteration + " (" + format + ", class count " + (givenClassCount ? 3 : "inferred")
                        + ") threw " + e + " for input " + escape(mutated), e);
            }
        }
        assertEquals(ITERATIONS, loaded + rejected);
        assertTrue(loaded > ITERATIONS / 20, "only " + loaded + " of " + ITERATIONS + " mutations loaded");
        assertTrue(rejected > ITERATIONS / 20, "only " + rejected + " of " + ITERATIONS + " mutations were rejected");
    }

    /** Applies 1 to 3 random edits: replace a byte, insert a token, delete or duplicate a range, or truncate. */
    private static byte[] mutate(byte[] input, Random random) {
        byte[] data = input;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int position = random.nextInt(data.length + 1);
            int length = random.nextInt(8);
            data = switch (random.nextInt(5)) {
                case 0 -> {
                    byte[] copy = data.clone();
                    if (copy.length > 0) {
                        copy[Math.min(position, copy.length - 1)] = (byte) random.nextInt(256);
                    }
                    yield copy;
                }
                case 1 -> splice(data, position, 0, TOKENS.get(random.nextInt(TOKENS.size())));
                case 2 -> splice(data, position, Math.min(length, data.length - position), new byte[0]);
                case 3 -> splice(data, position, 0,
                        Arrays.copyOfRange(data, position, Math.min(data.length, position + 4 * length)));
                default -> Arrays.copyOf(data, position);
            };
        }
        return data;
    }

    private static byte[] splice(byte[] data, int position, int removed, byte[] inserted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(data, 0, position);
        out.writeBytes(inserted);
        out.write(data, position + removed, data.length - position - removed);
        return out.toByteArray();
    }

    /** Checks every sample of a loaded data set: finite features and a label below the class count. */
    private static void assertConsistent(Dataset data, int givenClassCount) {
        assertTrue(data.sampleCount() >= 1, "sample count " + data.sampleCount());
        assertTrue(data.featureCount() >= 1, "feature count " + data.featureCount());
        if (givenClassCount > 0) {
            assertEquals(givenClassCount, data.classCount());
        }
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, data.featureCount());
            MemorySegment label = arena.allocate(ValueLayout.JAVA_INT, 1);
            for (int s = 0; s < data.sampleCount(); s++) {
                data.copyBatch(new int[]{s}, 0, 1, row, label);
                int value = label.getAtIndex(ValueLayout.JAVA_INT, 0);
                assertTrue(value >= 0, "label " + value + " of sample " + s);
                assertTrue(value < data.classCount(), "label " + value + " of sample " + s);
                for (double feature : row.segment().toArray(ValueLayout.JAVA_DOUBLE)) {
                    assertTrue(Double.isFinite(feature), "feature " + feature + " of sample " + s);
                }
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(byte[] data) {
        StringBuilder text = new StringBuilder("\"");
        for (byte b : data) {
            int c = b & 0xFF;
            text.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? String.valueOf((char) c)
                    : String.format("\\x%02x", c));
        }
        return text.append('"').toString();
    }
}
