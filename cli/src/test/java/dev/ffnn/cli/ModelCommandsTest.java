package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.io.ModelFile;
import dev.ffnn.engine.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelCommandsTest {

    private static final String[] TRAIN = {"train", "--dataset", "blobs", "--samples", "120", "--layers", "2,6,3",
            "--batch-size", "16", "--threads", "1"};

    /** Pixel pairs and labels of the hand-checked evaluation set; logits equal the pixels under W = 255·I. */
    private static final int[][] PIXELS = {{2, 0}, {0, 1}, {1, 0}, {0, 3}, {3, 0}, {5, 0}};
    private static final int[] LABELS = {0, 1, 1, 0, 0, 1};

    @TempDir
    Path directory;

    private static String[] train(String... extra) {
        List<String> args = new ArrayList<>(List.of(TRAIN));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static double[] parameters(Path file) throws IOException {
        try (Network network = ModelFile.read(file).load(null)) {
            return network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "adam"})
    void resumedRunEqualsUninterruptedRun(String optimizer) throws IOException {
        Path full = directory.resolve("full.safetensors");
        Path checkpoints = directory.resolve("checkpoints");
        Path resumed = directory.resolve("resumed.safetensors");

        TrainCommandTest.Result eight = run(train("--optimizer", optimizer, "--epochs", "8", "--save", full.toString()));
        TrainCommandTest.Result four = run(train("--optimizer", optimizer, "--epochs", "4",
                "--checkpoint-dir", checkpoints.toString()));
        TrainCommandTest.Result more = run("train", "--dataset", "blobs", "--samples", "120", "--threads", "1",
                "--optimizer", optimizer, "--epochs", "8",
                "--resume", checkpoints.resolve("epoch-0004.safetensors").toString(), "--save", resumed.toString());

        assertEquals(0, eight.status(), eight.err());
        assertEquals(0, four.status(), four.err());
        assertEquals(0, more.status(), more.err());
        assertTrue(more.out().contains("after epoch 4 (step 32)"), more.out());
        assertFalse(more.out().contains("epoch 4/8"), more.out());
        assertTrue(more.out().contains("epoch 5/8"), more.out());
        for (int epoch = 1; epoch <= 4; epoch++) {
            assertTrue(Files.isRegularFile(checkpoints.resolve("epoch-000" + epoch + ".safetensors")), "epoch " + epoch);
        }
        assertArrayEquals(parameters(full), parameters(resumed));
        assertEquals(ModelFile.read(full).metadata(), ModelFile.read(resumed).metadata());
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(resumed), "optimizer state included");
        // The epoch lines after the checkpoint repeat the uninterrupted run's, timings aside
        assertEquals(epochLines(eight.out(), 5), epochLines(more.out(), 5));
    }

    @Test
    void resumeUsesTheCheckpointsDataSet() throws IOException {
        Path full = directory.resolve("full.safetensors");
        Path checkpoints = directory.resolve("checkpoints");
        Path resumed = directory.resolve("resumed.safetensors");
        assertEquals(0, run(train("--epochs", "3", "--save", full.toString())).status());
        assertEquals(0, run(train("--epochs", "2", "--checkpoint-dir", checkpoints.toString())).status());

        // No --dataset or --samples: the checkpoint's blobs set of 120 samples, not the default spirals
        TrainCommandTest.Result more = run("train", "--threads", "1", "--epochs", "3",
                "--resume", checkpoints.resolve("epoch-0002.safetensors").toString(), "--save", resumed.toString());

        assertEquals(0, more.status(), more.err());
        assertTrue(more.out().contains("blobs (built in, seed 1): 120 training"), more.out());
        assertArrayEquals(parameters(full), parameters(resumed));
    }

    @Test
    void resumedStatisticsAppendToTheFile() throws IOException {
        Path checkpoints = directory.resolve("checkpoints");
        Path stats = directory.resolve("run.csv");
        Path whole = directory.resolve("whole.csv");
        assertEquals(0, run(train("--epochs", "2", "--checkpoint-dir", checkpoints.toString(),
                "--stats", stats.toString())).status());
        // A run killed mid-write leaves a partial last line, which the resumed run cuts off
        Files.writeString(stats, "45,3,1,W,me", java.nio.file.StandardOpenOption.APPEND);

        TrainCommandTest.Result more = run(train("--epochs", "4", "--stats", stats.toString(),
                "--resume", checkpoints.resolve("epoch-0002.safetensors").toString()));
        TrainCommandTest.Result uninterrupted = run(train("--epochs", "4", "--stats", whole.toString()));

        assertEquals(0, more.status(), more.err());
        assertEquals(0, uninterrupted.status(), uninterrupted.err());
        List<String> lines = Files.readAllLines(stats);
        assertEquals(1, lines.stream().filter(line -> line.equals(StatisticsCsv.HEADER)).count(), "header lines");
        assertEquals(List.of(",,,,config.resumed_after_epoch,2"),
                lines.stream().filter(line -> line.contains("config.resumed")).toList());
        assertFalse(lines.contains("45,3,1,W,me"), "partial line kept");
        // Every statistics and epoch row, config rows aside, equals the uninterrupted run's
        assertEquals(valueRows(Files.readAllLines(whole)), valueRows(lines));

        Path other = directory.resolve("other.csv");
        Files.writeString(other, "a,b\n1,2\n");
        TrainCommandTest.Result mismatch = run(train("--epochs", "4", "--stats", other.toString(),
                "--resume", checkpoints.resolve("epoch-0002.safetensors").toString()));
        assertEquals(2, mismatch.status(), mismatch.err());
        assertTrue(mismatch.err().contains("does not start like a CSV statistics file"), mismatch.err());
        assertEquals("a,b\n1,2\n", Files.readString(other));
    }

    /** Returns the rows of a long-form statistics CSV that hold values, without timings, which differ by run. */
    private static List<String> valueRows(List<String> lines) {
        return lines.stream()
                .filter(line -> !line.startsWith(",,,,config.") && !line.equals(StatisticsCsv.HEADER))
                .filter(line -> !line.contains(",seconds,") && !line.contains("samples_per_second"))
                .toList();
    }

    @Test
    void resumeRepeatsCosineSchedule() throws IOException {
        // A cosine schedule depends on the total epochs, so the checkpoint comes from the 8-epoch run itself
        Path full = directory.resolve("full.safetensors");
        Path checkpoints = directory.resolve("checkpoints");
        Path resumed = directory.resolve("resumed.safetensors");
        TrainCommandTest.Result eight = run(train("--optimizer", "adam", "--schedule", "cosine", "--epochs", "8",
                "--checkpoint-dir", checkpoints.toString(), "--save", full.toString()));
        TrainCommandTest.Result more = run("train", "--dataset", "blobs", "--samples", "120", "--threads", "1",
                "--optimizer", "adam", "--schedule", "cosine", "--epochs", "8",
                "--resume", checkpoints.resolve("epoch-0003.safetensors").toString(), "--save", resumed.toString());

        assertEquals(0, eight.status(), eight.err());
        assertEquals(0, more.status(), more.err());
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(resumed));
    }

    @Test
    void resumeWithAnotherOptimizerFails() {
        Path checkpoints = directory.resolve("checkpoints");
        assertEquals(0, run(train("--optimizer", "adam", "--epochs", "1", "--checkpoint-dir", checkpoints.toString())).status());
        TrainCommandTest.Result result = run(train("--epochs", "2", "--resume",
                checkpoints.resolve("epoch-0001.safetensors").toString()));
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("the checkpoint was written by optimizer adam("), result.err());
    }

    private static List<String> epochLines(String out, int from) {
        return out.lines().filter(line -> line.startsWith("epoch "))
                .filter(line -> Integer.parseInt(line.substring(6, line.indexOf('/')).strip()) >= from)
                .map(line -> line.substring(0, line.indexOf("test acc") + 15)).toList();
    }

    @Test
    void resumeConflictsAreOptionErrors() {
        Path checkpoints = directory.resolve("checkpoints");
        assertEquals(0, run(train("--epochs", "2", "--checkpoint-dir", checkpoints.toString())).status());
        String checkpoint = checkpoints.resolve("epoch-0002.safetensors").toString();
        String[][] cases = {
                {"--seed", "5", "'--seed': 5: the checkpoint " + checkpoint + " was trained with 1; drop --seed"},
                {"--layers", "2,7,3", "'--layers': 2,7,3: the checkpoint " + checkpoint + " was trained with 2,6,3"},
                {"--batch-size", "8", "was trained with 16"},
                {"--activation", "tanh", "was trained with relu"},
                {"--epochs", "2", "has 2 epochs done and --epochs counts all epochs; give a number above 2"},
        };
        for (String[] testCase : cases) {
            TrainCommandTest.Result result = testCase[0].equals("--epochs")
                    ? run("train", "--dataset", "blobs", "--samples", "120", "--resume", checkpoint, testCase[0], testCase[1])
                    : run("train", "--dataset", "blobs", "--samples", "120", "--epochs", "3", "--resume", checkpoint,
                    testCase[0], testCase[1]);
            assertEquals(2, result.status(), String.join(" ", testCase) + ": " + result.err());
            assertTrue(result.err().contains(testCase[2]), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
        }
    }

    @Test
    void resumeFromAModelWithoutStateFails() throws IOException {
        Path model = directory.resolve("plain.safetensors");
        try (Network network = Network.create(NetworkSpec.classifier(new int[]{2, 6, 3}, Activation.RELU,
                Initializers.heNormal()), 1)) {
            ModelFile.save(model, network, Map.of());
        }
        TrainCommandTest.Result result = run(train("--epochs", "3", "--resume", model.toString()));
        assertEquals(1, result.status(), result.err());
        assertEquals("ffnn train: error: " + model + ": metadata entry 'epoch' is missing; the file is a model,"
                + " not a checkpoint written by ffnn train", result.err().strip());
    }

    @Test
    void corruptCheckpointFailsWithoutOutput() throws IOException {
        Path model = directory.resolve("corrupt.safetensors");
        Path saved = directory.resolve("out.safetensors");
        Files.write(model, new byte[]{(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        TrainCommandTest.Result result = run(train("--epochs", "3", "--resume", model.toString(), "--save", saved.toString()));
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("header length 255 exceeds the 2 bytes after the length field"), result.err());
        assertFalse(Files.exists(saved));
    }

    /** Writes the hand-checked set as IDX files and a one-layer model with W = 255·I, b = 0, and returns the model. */
    private Path handCheckedModel() throws IOException {
        int n = PIXELS.length;
        ByteBuffer images = ByteBuffer.allocate(16 + 2 * n).putInt(0x00000803).putInt(n).putInt(1).putInt(2);
        ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x00000801).putInt(n);
        for (int i = 0; i < n; i++) {
            images.put((byte) PIXELS[i][0]).put((byte) PIXELS[i][1]);
            labels.put((byte) LABELS[i]);
        }
        Files.write(directory.resolve("images"), images.array());
        Files.write(directory.resolve("labels"), labels.array());
        Path model = directory.resolve("hand.safetensors");
        try (Network network = Network.create(NetworkSpec.classifier(new int[]{2, 2}, Activation.RELU,
                Initializers.zeros()), 1)) {
            network.layers().getFirst().weights().set(0, 0, 255);
            network.layers().getFirst().weights().set(1, 1, 255);
            ModelFile.save(model, network, Map.of());
        }
        return model;
    }

    @Test
    void evalMatchesAHandComputation() throws IOException {
        Path model = handCheckedModel();
        TrainCommandTest.Result result = run("eval", model.toString(), "--test",
                directory.resolve("images") + "," + directory.resolve("labels"), "--batch-size", "4");

        assertEquals(0, result.status(), result.err());
        // Cross-entropy of logits (a, b) for label 0 is log(1 + e^(b - a)); predictions are 0, 1, 0, 1, 0, 0
        double loss = (Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(1))
                + Math.log1p(Math.exp(3)) + Math.log1p(Math.exp(-3)) + Math.log1p(Math.exp(5))) / 6;
        List<String> lines = result.out().lines().toList();
        assertEquals(String.format("loss      %.4f", loss), lines.get(2));
        assertEquals("accuracy  0.5000 (3 of 6)", lines.get(3));
        // Class 0: 4 predicted, 2 right; 3 labelled, 2 found. Class 1: 2 predicted, 1 right; 3 labelled, 1 found
        assertEquals("    0     0.5000  0.6667        3", lines.get(6));
        assertEquals("    1     0.5000  0.3333        3", lines.get(7));
        assertEquals(List.of("0", "2", "1"), Arrays.asList(lines.get(11).strip().split(" +")));
        assertEquals(List.of("1", "2", "1"), Arrays.asList(lines.get(12).strip().split(" +")));
    }

    @Test
    void predictWritesSoftmaxProbabilities() throws IOException {
        Path model = handCheckedModel();
        Path csv = directory.resolve("predictions.csv");
        TrainCommandTest.Result result = run("predict", model.toString(), "--test",
                directory.resolve("images") + "," + directory.resolve("labels"), "--out", csv.toString());

        assertEquals(0, result.status(), result.err());
        assertEquals("", result.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("sample,label,predicted,p0,p1", lines.getFirst());
        assertEquals(PIXELS.length + 1, lines.size());
        int[] predicted = {0, 1, 0, 1, 0, 0};
        for (int i = 0; i < PIXELS.length; i++) {
            String[] fields = lines.get(i + 1).split(",");
            assertEquals(String.valueOf(i), fields[0]);
            assertEquals(String.valueOf(LABELS[i]), fields[1]);
            assertEquals(String.valueOf(predicted[i]), fields[2]);
            double expected = 1 / (1 + Math.exp(PIXELS[i][1] - PIXELS[i][0]));
            assertEquals(expected, Double.parseDouble(fields[3]), 1e-12, "p0 of sample " + i);
            assertEquals(1 - expected, Double.parseDouble(fields[4]), 1e-12, "p1 of sample " + i);
        }
    }

    @Test
    void predictReadsCsvTestData() throws IOException {
        Path model = handCheckedModel();
        StringBuilder csv = new StringBuilder("label,a,b\n");
        for (int i = 0; i < PIXELS.length; i++) {
            csv.append(LABELS[i]).append(',').append(PIXELS[i][0] / 255.0).append(',').append(PIXELS[i][1] / 255.0).append('\n');
        }
        Path test = Files.writeString(directory.resolve("test.csv"), csv);
        TrainCommandTest.Result result = run("predict", model.toString(), "--test-csv", test.toString());

        assertEquals(0, result.status(), result.err());
        List<String> predicted = result.out().lines().skip(1).map(line -> line.split(",")[2]).toList();
        assertEquals(List.of("0", "1", "0", "1", "0", "0"), predicted);
        TrainCommandTest.Result training = run("predict", model.toString(), "--train-csv", test.toString());
        assertEquals(2, training.status(), training.err());
        assertTrue(training.err().contains("give the file with --test-csv"), training.err());
    }

    @Test
    void predictReadsUnlabeledCsv() throws IOException {
        Path model = handCheckedModel();
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int[] pixels : PIXELS) {
            csv.append(pixels[0] / 255.0).append(',').append(pixels[1] / 255.0).append('\n');
        }
        Path features = Files.writeString(directory.resolve("features.csv"), csv);

        // Integer features, which the first column's label parser takes, so the loader cannot tell them apart
        Path integers = Files.writeString(directory.resolve("integers.csv"), "a,b\n1,0\n0,1\n1,0\n");
        TrainCommandTest.Result missing = run("predict", model.toString(), "--test-csv", integers.toString());
        assertEquals(1, missing.status(), missing.err());
        assertEquals("", missing.out(), "nothing on standard output before the checks pass");
        assertTrue(missing.err().contains(integers + " has 1 feature beside its label column but the network 2-2 takes 2; if the"
                + " file has no label column, pass --label-column none"), missing.err());

        TrainCommandTest.Result result = run("predict", model.toString(), "--test-csv", features.toString(),
                "--label-column", "none");
        assertEquals(0, result.status(), result.err());
        List<String> lines = result.out().lines().toList();
        assertEquals("sample,label,predicted,p0,p1", lines.getFirst());
        List<String> predicted = lines.stream().skip(1).map(line -> line.split(",", -1)[2]).toList();
        assertEquals(List.of("0", "1", "0", "1", "0", "0"), predicted, "the hand-checked predictions");
        assertTrue(lines.stream().skip(1).allMatch(line -> line.split(",", -1)[1].isEmpty()), "empty labels");

        Path highLabel = Files.writeString(directory.resolve("high.csv"), "label,a,b\n1,0.5,0.5\n5,0.5,0.5\n");
        TrainCommandTest.Result high = run("predict", model.toString(), "--test-csv", highLabel.toString());
        assertEquals(1, high.status(), high.err());
        assertEquals("", high.out());
        assertTrue(high.err().contains(highLabel + ": label 5 of sample 1 (line 3) is outside [0, 2), the class count"
                + " of the model's outputs (2-2)"), high.err());

        TrainCommandTest.Result eval = run("eval", model.toString(), "--test-csv", features.toString(),
                "--label-column", "none");
        assertEquals(2, eval.status(), eval.err());
        assertTrue(eval.err().contains("only ffnn predict takes data without labels"), eval.err());
    }

    @Test
    void evalUsesTheModelsDataSet() throws IOException {
        Path model = directory.resolve("blobs.safetensors");
        TrainCommandTest.Result trained = run(train("--seed", "5", "--epochs", "3", "--quiet", "--save", model.toString()));
        assertEquals(0, trained.status(), trained.err());
        Map<String, String> metadata = ModelFile.read(model).metadata();
        assertEquals("blobs (built in, seed 5, 120 samples)", metadata.get("data"));
        assertEquals("blobs", metadata.get("dataset"));
        assertEquals("5", metadata.get("dataset_seed"));
        assertEquals("120", metadata.get("dataset_samples"));

        TrainCommandTest.Result recorded = run("eval", model.toString());
        TrainCommandTest.Result explicit = run("eval", model.toString(), "--dataset", "blobs", "--samples", "120",
                "--seed", "5");
        assertEquals(0, recorded.status(), recorded.err());
        assertTrue(recorded.out().contains("data      blobs-test (built in, seed 5): 60 samples"), recorded.out());
        assertEquals(explicit.out(), recorded.out(), "the recorded data set is the one given explicitly");
        // The last epoch line of train reports the same test set
        String lastEpoch = run(train("--seed", "5", "--epochs", "3")).out().lines()
                .filter(line -> line.startsWith("epoch 3/3")).findFirst().orElseThrow();
        String accuracy = recorded.out().lines().filter(line -> line.startsWith("accuracy")).findFirst().orElseThrow()
                .split(" +")[1];
        assertTrue(lastEpoch.contains("test acc " + accuracy), lastEpoch + " vs " + accuracy);
    }

    @Test
    void evalOfFileTrainedModelNeedsData() throws IOException {
        Path model = handCheckedModel();
        StringBuilder csv = new StringBuilder("label,a,b\n");
        for (int i = 0; i < PIXELS.length; i++) {
            csv.append(LABELS[i]).append(',').append(PIXELS[i][0]).append(',').append(PIXELS[i][1]).append('\n');
        }
        Path data = Files.writeString(directory.resolve("data.csv"), csv);
        Path trained = directory.resolve("csv.safetensors");
        assertEquals(0, run("train", "--train-csv", data.toString(), "--test-csv", data.toString(), "--layers", "2,2",
                "--epochs", "1", "--quiet", "--save", trained.toString()).status());
        assertEquals("data.csv and data.csv", ModelFile.read(trained).metadata().get("data"));
        assertFalse(ModelFile.read(trained).metadata().containsKey("dataset"));

        TrainCommandTest.Result result = run("eval", trained.toString());
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains(trained + " was trained on data.csv and data.csv, not on a built-in data set:"
                + " give its test data with --data DIR, --test IMAGES,LABELS or --test-csv FILE"), result.err());
        // A file without this metadata (written by another tool) keeps the documented default, spirals
        TrainCommandTest.Result other = run("eval", model.toString());
        assertEquals(0, other.status(), other.err());
        assertTrue(other.out().contains("data      spirals-test (built in, seed 1)"), other.out());
    }

    @Test
    void inferenceHelpListsTestDataOptions() {
        for (String command : new String[]{"eval", "predict"}) {
            TrainCommandTest.Result help = run(command, "--help");
            assertEquals(0, help.status(), help.err());
            assertFalse(help.out().contains("--train"), help.out());
            assertFalse(help.out().contains("Needs --train"), help.out());
            assertTrue(help.out().contains("--test=IMAGES,LABELS"), help.out());
        }
        TrainCommandTest.Result top = run("--help");
        assertTrue(top.out().contains("Writes the predicted class and the class probabilities of every\n"
                + "                test sample as CSV.\n"), top.out());
        TrainCommandTest.Result bench = run("bench", "--help");
        assertEquals(0, bench.status(), bench.err());
        assertTrue(bench.out().startsWith("Usage: ffnn bench"), bench.out());
    }

    @Test
    void modelWithANanWeightFailsEvalAndResume() throws IOException {
        Path model = directory.resolve("model.safetensors");
        assertEquals(0, run(train("--epochs", "1", "--quiet", "--save", model.toString())).status());
        byte[] bytes = Files.readAllBytes(model);
        long headerLength = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        SafeTensors.Tensor weight = ModelFile.read(model).tensors().get("layers.1.weight");
        // Element [3, 2] of the [6, 3] matrix is flat index 11
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putDouble((int) (8 + headerLength + weight.begin() + 11 * 8), Double.NaN);
        Files.write(model, bytes);
        String expected = model + ": tensor 'layers.1.weight' element [3, 2] is NaN: the file is damaged or was saved"
                + " from a diverged run";
        for (String[] args : new String[][]{{"eval", model.toString()}, {"predict", model.toString()},
                train("--epochs", "2", "--resume", model.toString())}) {
            TrainCommandTest.Result result = run(args);
            assertEquals(1, result.status(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.err().contains(expected), result.err());
            assertEquals("", result.out(), String.join(" ", args));
        }
    }

    @Test
    void corruptModelFailsEvalCleanly() throws IOException {
        byte[] valid = Files.readAllBytes(handCheckedModel());
        Path model = directory.resolve("corrupt.safetensors");
        Path out = directory.resolve("eval.txt");
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            byte[] bytes = valid.clone();
            int position = random.nextInt(random.nextBoolean() ? 200 : bytes.length);
            if (random.nextBoolean()) {
                bytes[position] ^= (byte) (1 << random.nextInt(8));
            } else {
                bytes = Arrays.copyOf(bytes, position);
            }
            Files.write(model, bytes);
            TrainCommandTest.Result result = run("eval", model.toString(), "--test",
                    directory.resolve("images") + "," + directory.resolve("labels"), "--out", out.toString());
            if (result.status() == 0) {
                Files.delete(out);
                continue;
            }
            assertEquals(1, result.status(), result.err());
            assertTrue(result.err().startsWith("ffnn eval: error: " + model + ": "), result.err());
            assertEquals(1, result.err().lines().count(), result.err());
            assertFalse(Files.exists(out), "no partial output");
        }
    }

    @Test
    void saveThroughSymbolicLinkKeepsTheLink() throws IOException {
        Path target = Files.createDirectory(directory.resolve("models")).resolve("real.safetensors");
        Path link = Files.createSymbolicLink(directory.resolve("link.safetensors"), target);
        TrainCommandTest.Result result = run(train("--epochs", "1", "--save", link.toString()));
        assertEquals(0, result.status(), result.err());
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(3, ModelFile.read(target).layerSizesFromTensors().length);
    }

    @Test
    void evalRejectsTrainingFiles() throws IOException {
        Path model = handCheckedModel();
        TrainCommandTest.Result result = run("eval", model.toString(), "--train", "a,b");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("this command reads only test data; give the files with --test"), result.err());
    }

    @Test
    void evalOfMismatchedDataFails() throws IOException {
        Path model = handCheckedModel();
        // blobs has 2 features but 3 classes, more than the model's 2 outputs
        TrainCommandTest.Result result = run("eval", model.toString(), "--dataset", "blobs", "--samples", "20");
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("has 2 features and 3 classes but the network 2-2 takes 2 features and has 2"
                + " outputs"), result.err());
    }
}
