package dev.ffnn.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a statistics file that {@code ffnn train --stats} wrote, in either format, into the series the plots need.
 *
 * <p>A last line without its line break, left by a run that was killed while writing, is skipped.
 */
final class StatisticsReader {

    /** One epoch's results; a missing test value is NaN. */
    record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
    }

    /** A value of one layer's tensor at one step. */
    record Point(long step, double value) {
    }

    /** The epoch results, per-layer variances and loss name of a statistics file. */
    record Contents(List<Epoch> epochs, Map<String, Map<Integer, List<Point>>> variances, String loss) {

        /** Returns the variance series of {@code tensor} by 1-based layer, in layer order (empty when absent). */
        Map<Integer, List<Point>> variances(String tensor) {
            return variances.getOrDefault(tensor, Map.of());
        }
    }

    /** The bytes at the start of a file that {@link #requireText} checks. */
    private static final int PROBE_BYTES = 4096;

    private StatisticsReader() {
    }

    /**
     * Reads the file, in JSON Lines when its first character is '{', else in the long CSV form.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file and line when it is neither format
     */
    static Contents read(Path file) throws IOException {
        String text = completeLines(file);
        if (text.stripLeading().startsWith("{")) {
            return readJsonLines(file, text);
        }
        return readCsv(file, text);
    }

    /** The start of a message that rejects a file {@code plot} cannot read. */
    static String notPlottable(Path file) {
        return file + " is not a statistics file written by ffnn train --stats or an init-study CSV: ";
    }

    /**
     * Returns the file's text up to its last line break.
     *
     * @throws IllegalArgumentException if the file contains a NUL byte or is not UTF-8, such as a model file
     */
    static String completeLines(Path file) throws IOException {
        requireText(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(notPlottable(file) + "it is not UTF-8 text", e);
        }
        int end = text.lastIndexOf('\n');
        return end < 0 ? "" : text.substring(0, end + 1);
    }

    /**
     * Checks the first {@value #PROBE_BYTES} bytes for a NUL byte or invalid UTF-8, so a binary file (a model, an
     * image) is rejected before it is read whole.
     *
     * @throws IllegalArgumentException naming the file and the offset of the first byte that is not text
     */
    static void requireText(Path file) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(PROBE_BYTES);
        }
        for (int i = 0; i < start.length; i++) {
            if (start[i] == 0) {
                throw new IllegalArgumentException(notPlottable(file) + "it contains binary data (a NUL byte at offset "
                        + i + ")");
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(start);
        CoderResult result = decoder.decode(bytes, CharBuffer.allocate(start.length), start.length < PROBE_BYTES);
        // At the end of the probe a character may be cut in two, which is an underflow, not an error
        if (result.isError()) {
            throw new IllegalArgumentException(notPlottable(file) + "it is not UTF-8 text (byte offset "
                    + bytes.position() + ")");
        }
    }

    private static Contents readCsv(Path file, String text) throws IOException {
        Builder builder = new Builder();
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            if (!parser.getHeaderNames().equals(List.of(StatisticsCsv.HEADER.split(",")))) {
                throw new IllegalArgumentException(notPlottable(file) + "its header is " + parser.getHeaderNames()
                        + ", not " + StatisticsCsv.HEADER);
            }
            for (CSVRecord row : parser) {
                String statistic = row.get("statistic");
                String value = row.get("value");
                if (statistic.startsWith("config.")) {
                    if (statistic.equals("config.loss")) {
                        builder.loss = value;
                    }
                    continue;
                }
                long step = parseLong(file, row, "step");
                int epoch = (int) parseLong(file, row, "epoch");
                String layer = row.get("layer");
                String tensor = row.get("tensor");
                if (!layer.isEmpty() && !tensor.isEmpty() && statistic.equals("variance")) {
                    builder.variance(tensor, (int) parseLong(file, row, "layer"), step, parseDouble(file, row, value));
                } else if (layer.isEmpty()) {
                    builder.epochValue(epoch, statistic, parseDouble(file, row, value));
                }
            }
        }
        return builder.build();
    }

    private static Contents readJsonLines(Path file, String text) throws IOException {
        Builder builder = new Builder();
        JsonFactory factory = JsonFactory.builder().build();
        BufferedReader lines = new BufferedReader(new StringReader(text));
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            try (JsonParser json = factory.createParser(line)) {
                readJsonRecord(json, builder);
            } catch (IOException | IllegalStateException e) {
                throw new IllegalArgumentException(file + " line " + lineNumber + ": not a statistics record ("
                        + e.getMessage().lines().findFirst().orElse("") + "); give a file that ffnn train --stats wrote", e);
            }
        }
        return builder.build();
    }

    /**
     * Reads one record line; statistics records contribute variances, epoch records results. The writer puts
     * {@code "record"} first and {@code "step"} before {@code "layers"}, which this relies on.
     */
    private static void readJsonRecord(JsonParser json, Builder builder) throws IOException {
        expect(json.nextToken(), JsonToken.START_OBJECT);
        String kind = null;
        long step = -1;
        Map<String, Double> epochValues = new TreeMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String name = json.currentName();
            JsonToken token = json.nextToken();
            switch (name) {
                case "record" -> kind = json.getText();
                case "step" -> step = json.getLongValue();
                case "loss" -> {
                    if ("config".equals(kind)) {
                        builder.loss = json.getText();
                    }
                }
                case "layers" -> readLayers(json, builder, step);
                default -> {
                    if (!"config".equals(kind) && (token.isNumeric() || token == JsonToken.VALUE_STRING)) {
                        epochValues.put(name, number(json));
                    } else {
                        json.skipChildren();
                    }
                }
            }
        }
        if ("epoch".equals(kind)) {
            int epoch = epochValues.getOrDefault("epoch", Double.NaN).intValue();
            for (Map.Entry<String, Double> entry : epochValues.entrySet()) {
                builder.epochValue(epoch, entry.getKey(), entry.getValue());
            }
        }
    }

    private static void readLayers(JsonParser json, Builder builder, long step) throws IOException {
        while (json.nextToken() == JsonToken.START_OBJECT) {
            int layer = -1;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                if (name.equals("layer")) {
                    layer = json.getIntValue();
                } else if (name.equals("tensors")) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String tensor = json.currentName();
                        expect(json.nextToken(), JsonToken.START_OBJECT);
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String statistic = json.currentName();
                            json.nextToken();
                            if (statistic.equals("variance")) {
                                builder.variance(tensor, layer, step, number(json));
                            } else {
                                json.skipChildren();
                            }
                        }
                    }
                } else {
                    json.skipChildren();
                }
            }
        }
    }

    /** Returns a number token's value, or the value of the strings "NaN", "Infinity" and "-Infinity". */
    private static double number(JsonParser json) throws IOException {
        if (json.currentToken() == JsonToken.VALUE_STRING) {
            return switch (json.getText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalStateException("'" + json.getText() + "' is not a number");
            };
        }
        return json.getDoubleValue();
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new IllegalStateException("expected " + expected + " but found " + actual);
        }
    }

    private static long parseLong(Path file, CSVRecord row, String column) {
        try {
            return Long.parseLong(row.get(column));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + row.getParser().getCurrentLineNumber() + ": "
                    + column + " '" + row.get(column) + "' is not an integer");
        }
    }

    private static double parseDouble(Path file, CSVRecord row, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + row.getParser().getCurrentLineNumber() + ": value '"
                    + text + "' is not a number");
        }
    }

    /** Collects values as they are read. */
    private static final class Builder {

        private final Map<Integer, Map<String, Double>> epochs = new TreeMap<>();
        private final Map<String, Map<Integer, List<Point>>> variances = new TreeMap<>();
        private String loss = "";

        void epochValue(int epoch, String name, double value) {
            epochs.computeIfAbsent(epoch, e -> new TreeMap<>()).put(name, value);
        }

        void variance(String tensor, int layer, long step, double value) {
            variances.computeIfAbsent(tensor, t -> new TreeMap<>()).computeIfAbsent(layer, l -> new ArrayList<>())
                    .add(new Point(step, value));
        }

        Contents build() {
            List<Epoch> results = new ArrayList<>();
            for (Map.Entry<Integer, Map<String, Double>> entry : epochs.entrySet()) {
                Map<String, Double> values = entry.getValue();
                if (values.containsKey("train_loss")) {
                    results.add(new Epoch(entry.getKey(), values.get("train_loss"),
                            values.getOrDefault("train_accuracy", Double.NaN),
                            values.getOrDefault("test_loss", Double.NaN),
                            values.getOrDefault("test_accuracy", Double.NaN)));
                }
            }
            return new Contents(results, variances, loss);
        }
    }

    /** Returns true when {@code file}'s first line is the long-form statistics header. */
    static boolean hasStatisticsHeader(Path file) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            String first = in.readLine();
            return first != null && first.strip().equals(StatisticsCsv.HEADER);
        }
    }
}
