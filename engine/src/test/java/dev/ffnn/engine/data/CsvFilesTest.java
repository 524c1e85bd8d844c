package dev.ffnn.engine.data;

import dev.ffnn.engine.RowMajorMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvFilesTest {

    @TempDir
    Path directory;

    @Test
    void headerDetectedAndLabelByName() throws IOException {
        Path file = write("label,x,y\n1,0.5,-2\n0,3,1e-3\n2,+4.,.25\n");
        try (DenseDataset data = CsvFiles.load(file, new CsvFormat(',', CsvFormat.Header.AUTO, "label"))) {
            assertEquals(3, data.sampleCount());
            assertEquals(2, data.featureCount());
            assertEquals(3, data.classCount(), "maximum label + 1");
            assertSample(data, 0, 1, 0.5, -2);
            assertSample(data, 1, 0, 3, 1e-3);
            assertSample(data, 2, 2, 4, 0.25);
            assertEquals("data.csv", data.name());
        }
    }

    @Test
    void labelByNumberWithoutHeader() throws IOException {
        // Label in the last (third) column, semicolons, CRLF line ends, a blank last line and a byte order mark
        Path file = write("\uFEFF1.5;2;1\r\n-1;0;0\r\n\r\n");
        try (DenseDataset data = CsvFiles.load(file, new CsvFormat(';', CsvFormat.Header.ABSENT, "3"))) {
            assertEquals(2, data.sampleCount());
            assertSample(data, 0, 1, 1.5, 2);
            assertSample(data, 1, 0, -1, 0);
        }
    }

    @Test
    void quotedFieldsAndTabs() throws IOException {
        Path file = write("\"name, with comma\"\t\"label\"\n \"7\" \t1\n");
        try (DenseDataset data = CsvFiles.load(file, new CsvFormat('\t', CsvFormat.Header.PRESENT, "label"))) {
            assertEquals(1, data.sampleCount());
            assertSample(data, 0, 1, 7);
        }
    }

    @Test
    void blankLastLinesAreNotSamples() throws IOException {
        Path file = write("0,1\n1,2\n\n  \n\t\n");
        try (DenseDataset data = CsvFiles.load(file, CsvFormat.DEFAULT)) {
            assertEquals(2, data.sampleCount());
        }
    }

    @Test
    void malformedFilesNameLineAndColumn() throws IOException {
        String[][] cases = {
                {"", "has no samples"},
                {"label,x\n", "has a header but no samples"},
                {"0,1\n\n1,2\n", "line 2 is blank but line 3 has data"},
                {"0,1,2\n1,2\n", "line 2 has 2 fields but line 1 has 3"},
                {"0,1\n1,\n", "line 2, column 2 is empty"},
                {"0,1\n,2\n", "line 2, column 1 is empty"},
                {"0,1\n1,abc\n", "line 2, column 2: 'abc' is not a number"},
                {"0,1\n1,NaN\n", "line 2, column 2: 'NaN' is not a finite number"},
                {"0,1\n1,-Infinity\n", "line 2, column 2: '-Infinity' is not a finite number"},
                {"0,1\n1,1e999\n", "line 2, column 2: '1e999' is outside the range of a double"},
                {"0,1\n1,0x1p3\n", "'0x1p3' is not a number"},
                {"0,1\n1,2.5f\n", "'2.5f' is not a number"},
                {"0,1\n1.5,2\n", "line 2, column 1: label '1.5' is not a class number"},
                {"0,1\n-1,2\n", "line 2, column 1: label '-1' is negative"},
                {"0,1\n12345678901,2\n", "line 2, column 1: label '12345678901' is too large: labels must be below 65536"},
                {"0,1\n999999999,2\n", "line 2, column 1: label '999999999' is too large: labels must be below 65536"},
                {"0,1\n65536,2\n", "line 2, column 1: label '65536' is too large"},
                {"0,1\n1,2\u0000\n", "line 2, column 2: '2\\u0000' is not a number"},
                {"0,1\r1,2\r0,3\r", "line 1 has a carriage return (\\r) at character 4 that does not end the line"},
                {"0,1\r\n1,2\r\r\n", "line 2 has a carriage return (\\r) at character 4"},
                {"0,1\n1,\"2\n", "line 2, column 2: the quote opened at character 3 is not closed"},
                {"0,1\n1,\"2\"x\n", "line 2, column 2: text follows the closing quote"},
                {"0\n1\n", "line 1 has one field, so there is no feature"},
        };
        for (String[] testCase : cases) {
            Path file = write(testCase[0]);
            var e = assertThrows(DatasetFormatException.class, () -> CsvFiles.load(file, CsvFormat.DEFAULT).close(),
                    testCase[0]);
            assertTrue(e.getMessage().contains(testCase[1]), testCase[0] + " -> " + e.getMessage());
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        }
    }

    @Test
    void labelColumnProblemsAreRejected() throws IOException {
        Path file = write("a,b,a\n1,2,3\n");
        assertMessage(file, new CsvFormat(',', CsvFormat.Header.AUTO, "a"), "is the name of columns 1 and 3");
        assertMessage(file, new CsvFormat(',', CsvFormat.Header.AUTO, "c"), "label column 'c' is not in the header");
        assertMessage(file, new CsvFormat(',', CsvFormat.Header.AUTO, "4"), "label column 4 does not exist");
        Path numeric = write("1,2\n0,1\n");
        assertMessage(numeric, new CsvFormat(',', CsvFormat.Header.AUTO, "label"), "line 1 is a sample, not a header");
    }

    @Test
    void labelOutsideClassCountNamesSample() throws IOException {
        Path file = write("0,1\n1,2\n5,3\n");
        var e = assertThrows(DatasetFormatException.class,
                () -> CsvFiles.load(file, CsvFormat.DEFAULT, 3, "of the training set train.csv"));
        assertEquals(file + ": label 5 of sample 2 (line 3) is outside [0, 3), the class count of the training set"
                + " train.csv: fix the label, or pass files of the same data set", e.getMessage());
    }

    @Test
    void invalidUtf8IsRejected() throws IOException {
        Path file = directory.resolve("latin1.csv");
        Files.write(file, new byte[]{'0', ',', '1', '\n', '1', ',', (byte) 0xE9, '\n'});
        assertMessage(file, CsvFormat.DEFAULT, "line 2 is not valid UTF-8 text");
    }

    @Test
    void longLineIsRejected() throws IOException {
        Path file = directory.resolve("long.csv");
        Files.writeString(file, "0," + "1".repeat(CsvReader.MAX_LINE_BYTES), StandardCharsets.US_ASCII);
        assertMessage(file, CsvFormat.DEFAULT, "line 1 is longer than 16,777,216 bytes");
    }

    @Test
    void directoryIsRejected() {
        var e = assertThrows(java.nio.file.FileSystemException.class, () -> CsvFiles.load(directory, CsvFormat.DEFAULT));
        assertTrue(e.getMessage().contains("is a directory, not a CSV file"), e.getMessage());
    }

    @Test
    void invalidFormatsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat('.', CsvFormat.Header.AUTO, "1"));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat('"', CsvFormat.Header.AUTO, "1"));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat(',', CsvFormat.Header.AUTO, "0"));
        assertThrows(IllegalArgumentException.class, () -> new CsvFormat(',', CsvFormat.Header.AUTO, " "));
    }

    @Test
    void numberGrammar() {
        for (String valid : new String[]{"0", "-1", "+2", "3.", ".5", "1.5e3", "1E-3", "007"}) {
            assertTrue(CsvFiles.isNumber(valid), valid);
        }
        for (String invalid : new String[]{"", "-", ".", "e3", "1e", "1e+", "1.2.3", "1,5", "0x10", "1d", " 1"}) {
            assertTrue(!CsvFiles.isNumber(invalid), invalid);
        }
    }

    private void assertMessage(Path file, CsvFormat format, String expected) {
        var e = assertThrows(DatasetFormatException.class, () -> CsvFiles.load(file, format).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private Path write(String text) throws IOException {
        Path file = directory.resolve("data.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static void assertSample(Dataset data, int sample, int label, double... features) {
        try (Arena arena = Arena.ofShared()) {
            RowMajorMatrix row = RowMajorMatrix.allocate(arena, 1, data.featureCount());
            MemorySegment labels = arena.allocate(ValueLayout.JAVA_INT, 1);
            data.copyBatch(new int[]{sample}, 0, 1, row, labels);
            assertEquals(label, labels.getAtIndex(ValueLayout.JAVA_INT, 0), "label of sample " + sample);
            assertArrayEquals(features, row.segment().toArray(ValueLayout.JAVA_DOUBLE), "features of sample " + sample);
        }
    }
}
