package dev.ffnn.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ffnn.engine.Activation;
import dev.ffnn.engine.DenseLayer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsFileTest {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    @TempDir
    Path directory;

    @Test
    void csvRowsHaveSixColumnsAndConfigurationFirst() throws IOException {
        Path stats = directory.resolve("run.csv");
        TrainCommandTest.Result result = run("train", "--dataset", "blobs", "--samples", "90", "--epochs", "2",
                "--layers", "2,5,3", "--batch-size", "30", "--stats", stats.toString(), "--quiet");
        assertEquals(0, result.status(), result.err());

        List<String> lines = Files.readAllLines(stats);
        assertEquals(StatisticsCsv.HEADER, lines.getFirst());
        List<String> keys = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.startsWith(",,,,config.")) {
                assertTrue(keys.size() == lines.indexOf(line) - 1, "configuration row after data: " + line);
                keys.add(line.substring(11, line.indexOf(',', 11)));
            } else {
                assertEquals(6, line.split(",", -1).length, line);
            }
        }
        assertEquals(List.of("ffnn_version", "layers", "hidden_activation", "output_activation", "loss", "initializer",
                "bias_initializer", "parameters", "optimizer", "batch_size", "seed", "data", "training_samples", "test_samples", "epochs",
                "stats_every", "histogram_bins", "blas_threads"), keys);
        assertTrue(lines.contains(",,,,config.layers,2-5-3"));
        assertTrue(lines.contains(",,,,config.optimizer,sgd(lr=0.1)"));
        assertTrue(lines.contains(",,,,config.data,\"blobs (built in, seed 1)\""), "quoted because of the comma");
        // 90 samples at batch 30: statistics at steps 0, 3 and 6
        assertEquals(List.of("0,0", "3,1", "6,2"), lines.stream().filter(line -> line.contains(",1,weights,count,"))
                .map(line -> line.substring(0, line.indexOf(",1,weights"))).toList());
        assertTrue(lines.contains("3,1,1,,dead_fraction," + value(lines, "3,1,1,,dead_fraction,")));
        assertFalse(lines.stream().anyMatch(line -> line.startsWith("0,0,1,,update_ratio,")), "no ratio before step 1");
        assertTrue(Double.parseDouble(value(lines, "3,1,1,,update_ratio,")) > 0);
        assertEquals("5", value(lines, "0,0,1,,effective_width,"));
    }

    @Test
    void initialWeightVarianceMatchesTheNetwork() throws IOException {
        Path stats = directory.resolve("run.csv");
        TrainCommandTest.Result result = run("train", "--dataset", "spirals", "--samples", "64", "--epochs", "1",
                "--layers", "2,7,2", "--activation", "tanh", "--init", "xavier-uniform", "--seed", "4",
                "--stats", stats.toString(), "--quiet");
        assertEquals(0, result.status(), result.err());

        // The same seed gives the same initial network; its W comes from a plain two-pass formula here
        NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 7, 2}, Activation.TANH, Initializers.xavierUniform());
        List<String> lines = Files.readAllLines(stats);
        try (Network network = Network.create(spec, 4)) {
            for (DenseLayer layer : network.layers()) {
                double[] w = layer.weights().segment().toArray(ValueLayout.JAVA_DOUBLE);
                double mean = 0;
                for (double x : w) {
                    mean += x / w.length;
                }
                double variance = 0;
                for (double x : w) {
                    variance += (x - mean) * (x - mean) / w.length;
                }
                String prefix = "0,0," + (layer.index() + 1) + ",weights,";
                double written = Double.parseDouble(value(lines, prefix + "variance,"));
                assertEquals(variance, written, 1e-14 * variance, prefix + "variance");
                assertEquals(mean, Double.parseDouble(value(lines, prefix + "mean,")), 1e-15, prefix + "mean");
            }
        }
    }

    @Test
    void everyNStepsAndHistogramsAreWritten() throws IOException {
        Path stats = directory.resolve("run.csv");
        TrainCommandTest.Result result = run("train", "--dataset", "xor", "--samples", "100", "--epochs", "2",
                "--layers", "2,4,2", "--batch-size", "10", "--stats", stats.toString(), "--stats-every", "4",
                "--histogram-bins", "5", "--quiet");
        assertEquals(0, result.status(), result.err());

        List<String> lines = Files.readAllLines(stats);
        assertEquals(List.of("0", "4", "8", "12", "16", "20"), lines.stream()
                .filter(line -> line.contains(",,,gradient_norm,")).map(line -> line.split(",")[0]).toList());
        long count = Long.parseLong(value(lines, "4,1,1,z,count,"));
        long binned = 0;
        for (int bin = 0; bin < 5; bin++) {
            binned += Long.parseLong(value(lines, "4,1,1,z,bin_" + bin + ","));
        }
        assertEquals(40, count, "10 samples x 4 units");
        assertEquals(count, binned, "bins of layer 1 Z at step 4");
        assertFalse(lines.stream().anyMatch(line -> line.contains(",bin_5,")), "only 5 bins");
    }

    @Test
    void jsonLinesAreValidRecordsInOrder() throws IOException {
        Path stats = directory.resolve("run.jsonl");
        TrainCommandTest.Result result = run("train", "--dataset", "blobs", "--samples", "60", "--epochs", "2",
                "--layers", "2,6,3", "--activation", "sigmoid", "--batch-size", "20", "--stats", stats.toString(),
                "--quiet");
        assertEquals(0, result.status(), result.err());

        List<Map<String, Object>> records = readJsonLines(stats);
        assertEquals(List.of("config", "statistics", "statistics", "epoch", "statistics", "epoch"),
                records.stream().map(r -> r.get("record")).toList());
        Map<String, Object> config = records.getFirst();
        assertEquals(List.of(2L, 6L, 3L), config.get("layers"));
        assertEquals("sigmoid", config.get("hidden_activation"));
        assertEquals(FfnnCommand.version(), config.get("ffnn_version"));
        assertEquals(3L, records.get(2).get("step"));
        assertEquals(1L, records.get(3).get("epoch"));
        assertTrue(records.get(3).containsKey("test_accuracy"));
    }

    @Test
    void formatOptionOverridesExtension() throws IOException {
        Path stats = directory.resolve("run.txt");
        TrainCommandTest.Result result = run("train", "--samples", "40", "--epochs", "1", "--stats", stats.toString(),
                "--stats-format", "jsonl", "--quiet");
        assertEquals(0, result.status(), result.err());
        assertTrue(Files.readString(stats).startsWith("{\"record\":\"config\""));
    }

    @Test
    void divergedRunKeepsCompleteStatistics() throws IOException {
        for (String name : new String[]{"diverged.csv", "diverged.jsonl"}) {
            Path stats = directory.resolve(name);
            TrainCommandTest.Result result = run("train", "--samples", "200", "--batch-size", "20", "--epochs", "3",
                    "--lr", "1e300", "--stats", stats.toString(), "--quiet");

            assertEquals(1, result.status(), result.out() + result.err());
            assertEquals(1, result.err().lines().count(), result.err());
            assertTrue(result.err().matches("(?s)ffnn train: error: training diverged in epoch 1 at step \\d+ \\(step \\d+"
                    + " of the epoch\\): the first NaN or infinity is in layer \\d \\w+ \\(.*; try a smaller"
                    + " learning rate than 1\\.0E300.*"), result.err());
            String text = Files.readString(stats);
            assertTrue(text.endsWith("\n"), name + " ends within a record");
            if (name.endsWith(".jsonl")) {
                List<Map<String, Object>> records = readJsonLines(stats);
                Map<String, Object> last = records.getLast();
                assertEquals("statistics", last.get("record"));
                assertTrue(String.valueOf(last).contains("NaN") || String.valueOf(last).contains("Infinity"),
                        "the last record shows the non-finite values: " + last);
            } else {
                assertTrue(text.contains(",NaN\n") || text.contains(",Infinity\n"), "no non-finite value in " + name);
            }
        }
    }

    @Test
    void invalidStatisticsOptionsExitWithTwo() {
        String stats = directory.resolve("s.csv").toString();
        String[][] cases = {
                {"--stats-every", "0", "--stats", stats, "'--stats-every': 0: it must be >= 1"},
                {"--histogram-bins", "-1", "--stats", stats, "'--histogram-bins': -1: it must be from 0 to 10000"},
                {"--stats-format", "xml", "--stats", stats, "unknown statistics format 'xml'; allowed: csv, jsonl"},
                {"--stats-every", "5", "--samples", "20", "--stats-every needs --stats FILE"},
                {"--progress-interval", "0", "--samples", "20", "'--progress-interval': 0.0: it must be a finite"},
        };
        for (String[] testCase : cases) {
            String[] args = new String[testCase.length];
            args[0] = "train";
            System.arraycopy(testCase, 0, args, 1, testCase.length - 1);
            TrainCommandTest.Result result = run(args);
            assertEquals(2, result.status(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.err().contains(testCase[testCase.length - 1]), result.err());
            assertFalse(Files.exists(Path.of(stats)), "an option error left " + stats);
        }
    }

    @Test
    void plainProgressLinesHaveNoControlCharacters() {
        TrainCommandTest.Result result = run("train", "--samples", "200", "--epochs", "2", "--progress-interval",
                "0.000001");
        assertEquals(0, result.status(), result.err());
        List<String> lines = result.err().lines().toList();
        assertTrue(lines.size() >= 2, "expected progress lines: " + result.err());
        assertTrue(lines.getFirst().matches("epoch 1/2  batch \\d+/7  [\\d,]+/200 samples  [\\d,]+ samples/s"
                + "  loss \\d+\\.\\d{4}  \\d+\\.\\d s left"), lines.getFirst());
        assertTrue(result.err().lines().anyMatch(line -> line.startsWith("epoch 2/2  batch ")), result.err());
        assertFalse(result.err().contains("\r"), "carriage return in " + result.err());
        assertFalse(result.err().contains("\u001b"), "escape sequence in " + result.err());
        assertTrue(result.err().chars().noneMatch(c -> c < 0x20 && c != '\n'), "control character in " + result.err());
        assertTrue(result.out().startsWith("data "), result.out());
    }

    @Test
    void quietPrintsOnlyResultLines() {
        TrainCommandTest.Result result = run("train", "--samples", "200", "--epochs", "2", "--quiet",
                "--progress-interval", "0.000001");
        assertEquals(0, result.status(), result.err());
        assertEquals("", result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals(2, lines.size(), result.out());
        assertTrue(lines.get(0).startsWith("epoch 1/2  train loss "), lines.get(0));
        assertTrue(lines.get(1).startsWith("epoch 2/2  train loss "), lines.get(1));
    }

    @Test
    void statisticsCostPrintsThreeMedians() {
        TrainCommandTest.Result result = run("train", "--samples", "200", "--epochs", "2", "--measure-stats-cost");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("median epoch time over rounds 2-2 (7 steps per epoch)"), result.out());
        assertTrue(result.out().lines().anyMatch(line -> line.matches(
                "no statistics +\\d+\\.\\d{3} s  \\+0\\.0 %  CPU \\d+\\.\\d{3} s  \\+0\\.0 %  \\(0 records\\)")),
                result.out());
        assertTrue(result.out().contains("(1 records)"), "one per-epoch record in round 2: " + result.out());
        assertTrue(result.out().contains("(7 records)"), "seven every-step records in round 2: " + result.out());
    }

    /** Returns the value of the only row that starts with {@code prefix}. */
    private static String value(List<String> lines, String prefix) {
        List<String> matches = lines.stream().filter(line -> line.startsWith(prefix)).toList();
        assertEquals(1, matches.size(), "rows starting with " + prefix);
        return matches.getFirst().substring(prefix.length());
    }

    /** Parses every line as one JSON object into maps, lists, strings, longs and doubles. */
    static List<Map<String, Object>> readJsonLines(Path file) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            try (JsonParser parser = JSON.createParser(line)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> record = (Map<String, Object>) readValue(parser, parser.nextToken());
                assertEquals(null, parser.nextToken(), "text after the object in " + line);
                records.add(record);
            }
        }
        return records;
    }

    private static Object readValue(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    map.put(name, readValue(parser, parser.nextToken()));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                    list.add(readValue(parser, next));
                }
                yield list;
            }
            case VALUE_NUMBER_INT -> parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_STRING -> parser.getText();
            case VALUE_TRUE, VALUE_FALSE -> parser.getBooleanValue();
            case VALUE_NULL -> null;
            default -> throw new AssertionError("unexpected JSON token " + token);
        };
    }
}
