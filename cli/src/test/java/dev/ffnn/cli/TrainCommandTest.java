package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    @TempDir
    Path directory;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void trainsSyntheticDataAndWritesMetricsAndStats() throws IOException {
        Path metrics = directory.resolve("metrics.csv");
        Path stats = directory.resolve("stats.csv");

        Result result = run("train", "--dataset", "xor", "--samples", "200", "--epochs", "3", "--layers", "2,8,2",
                "--activation", "tanh", "--metrics", metrics.toString(), "--stats", stats.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("epoch 1/3  train loss"), result.out());
        assertTrue(result.out().contains("epoch 3/3"), result.out());
        assertTrue(result.out().contains("samples/s"), result.out());
        List<String> metricLines = Files.readAllLines(metrics);
        assertEquals(MetricsCsv.HEADER, metricLines.get(0));
        assertEquals(4, metricLines.size(), "header and 3 epochs");
        assertEquals(7, metricLines.get(3).split(",").length);
        assertTrue(metricLines.get(3).startsWith("3,"), metricLines.get(3));
        List<String> statLines = Files.readAllLines(stats);
        assertEquals(StatisticsCsv.HEADER, statLines.get(0));
        assertEquals(",,,,config.ffnn_version," + FfnnCommand.version(), statLines.get(1));
        assertTrue(statLines.contains("0,0,1,weights,count,16"), "layer 1 W of 2 x 8 at step 0");
        assertTrue(statLines.stream().anyMatch(line -> line.startsWith("21,3,2,delta,variance,")),
                "layer 2 δ after the last of 3 epochs of 7 steps");
        assertTrue(statLines.stream().anyMatch(line -> line.startsWith("21,3,,,test_accuracy,")), "epoch 3 result");
    }

    @Test
    void invalidOptionsExitWithStatusTwo() {
        String[][] cases = {
                {"--epochs", "-1", "'--epochs': -1"},
                {"--batch-size", "0", "'--batch-size': 0"},
                {"--lr", "NaN", "'--lr': NaN"},
                {"--activation", "swish", "identity, sigmoid, tanh, relu, leaky-relu"},
                {"--init", "swish", "unknown initializer 'swish'"},
                {"--bias-init", "orthogonal", "fills weight matrices only"},
                {"--bias-init", "normal:0:-1", "std -1.0 is invalid"},
                {"--loss", "hinge", "cross-entropy, mse"},
                {"--layers", "3,16,2", "first size must be the data's feature count 2"},
                {"--layers", "2,16,1", "the last size must be at least the data's class count 2"},
                {"--layers", "2,0,2", "every size must be >= 1"},
                {"--dataset", "moons", "allowed: xor, spirals, blobs"},
                {"--threads", "0", "'--threads': 0"},
                {"--epochs", "many", "'many'"},
                {"--seed", "\uFF13", "is not an integer; write it with the digits 0-9"},
                {"--batch-size", "\uFF13\uFF12", "is not an integer; write it with the digits 0-9"},
                {"--epochs", "99999999999", "Invalid value for option '--epochs': 99999999999: it must be at most 2147483647"},
                {"--seed", "99999999999999999999", "'--seed': 99999999999999999999: it must be at most 9223372036854775807"},
                {"--batch-size", "-99999999999", "'--batch-size': -99999999999: it must be at least -2147483648"},
                {"--lr", "0x1p-3", "'0x1p-3' is not a number; write it in decimal or scientific notation"},
                {"--lr", "0.1d", "'0.1d' is not a number"},
                {"--lr", "0.1f", "'0.1f' is not a number"},
                {"--lr", " 0.1", "' 0.1' is not a number"},
                {"--lr", "\u22120.1", "is not a number"},
        };
        for (String[] testCase : cases) {
            Result result = testCase[0].equals("--epochs")
                    ? run("train", "--samples", "20", testCase[0], testCase[1])
                    : run("train", "--samples", "20", "--epochs", "1", testCase[0], testCase[1]);
            assertEquals(2, result.status(), String.join(" ", testCase) + ": " + result.err());
            assertTrue(result.err().contains(testCase[2]), String.join(" ", testCase) + ": " + result.err());
            assertEquals(1, result.err().lines().count(), "not one line: " + result.err());
            assertFalse(result.out().contains("epoch "), "trained despite " + String.join(" ", testCase));
        }
    }

    @Test
    void plainDecimalAndScientificNotationAreAccepted() {
        for (String rate : new String[]{"0.1", "1e-1", "+.1", "1.E-1", "10E-2"}) {
            Result result = run("train", "--samples", "20", "--epochs", "1", "--quiet", "--lr", rate);
            assertEquals(0, result.status(), rate + ": " + result.err());
        }
    }

    @Test
    void sigmoidOutputWithCrossEntropyRejected() {
        Result result = run("train", "--samples", "20", "--output-activation", "sigmoid");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("use identity"), result.err());
    }

    @Test
    void missingDataDirectoryFailsWithoutWritingMetrics() {
        Path metrics = directory.resolve("metrics.csv");
        Result result = run("train", "--data", directory.resolve("nowhere").toString(), "--metrics", metrics.toString());
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("nowhere"), result.err());
        assertFalse(Files.exists(metrics), "a failed run left " + metrics);
        assertEquals(List.of(), listTemporaryFiles());
    }

    @Test
    void malformedIdxFileFailsNamingIt() throws IOException {
        Path images = directory.resolve("images.idx");
        Path labels = directory.resolve("labels.idx");
        Files.write(images, new byte[]{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3});
        Files.write(labels, new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 0, 1});
        Result result = run("train", "--train", images + "," + labels, "--test", images + "," + labels);
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("images.idx"), result.err());
        assertFalse(result.err().contains("\tat "), "stack trace printed: " + result.err());
    }

    @Test
    void testLabelsBeyondTrainingClassesAreRejected() throws IOException {
        // Two 1 x 1 images; training labels 0 and 1, test labels 0 and 3
        Path images = directory.resolve("images.idx");
        Files.write(images, new byte[]{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 1, 10, 20});
        Path trainLabels = directory.resolve("train-labels.idx");
        Files.write(trainLabels, new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 0, 1});
        Path testLabels = directory.resolve("test-labels.idx");
        Files.write(testLabels, new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 0, 3});

        Result result = run("train", "--train", images + "," + trainLabels, "--test", images + "," + testLabels);

        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("label 3 of sample 1 is not below the class count 2 of the training labels "
                + trainLabels), result.err());
        assertFalse(result.err().contains("IdxFiles"), "message names library internals: " + result.err());
    }

    @Test
    void metricsInMissingDirectoryIsAnOptionError() {
        Result result = run("train", "--samples", "20", "--metrics", directory.resolve("no/such/dir/m.csv").toString());
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("does not exist"), result.err());
    }

    @Test
    void trainWithoutTestIsAnOptionError() {
        Result result = run("train", "--train", "a,b");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("--train needs --test too"), result.err());
    }

    @Test
    void sameSeedPrintsSameLosses() {
        String[] args = {"train", "--dataset", "spirals", "--samples", "300", "--epochs", "2", "--seed", "5"};
        assertEquals(losses(run(args).out()), losses(run(args).out()));
    }

    @Test
    void symbolicLinkOutputKeepsTheLink() throws IOException {
        Path real = directory.resolve("real.csv");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(directory.resolve("link.csv"), real);

        Result result = run("train", "--samples", "40", "--epochs", "1", "--metrics", link.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced by a file");
        assertEquals(MetricsCsv.HEADER, Files.readAllLines(real).get(0));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(real)));
    }

    @Test
    void newOutputFileGetsDefaultPermissions() throws IOException {
        // A file created the ordinary way shows what the process's umask allows
        Path reference = Files.createFile(directory.resolve("reference"));
        Path metrics = directory.resolve("new.csv");
        Result result = run("train", "--samples", "40", "--epochs", "1", "--metrics", metrics.toString());
        assertEquals(0, result.status(), result.err());
        assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(metrics));
    }

    @Test
    void outputNamingAnInputFileIsRejected() throws IOException {
        Path labels = directory.resolve("labels.idx");
        Files.write(labels, new byte[]{0, 0, 8, 1, 0, 0, 0, 1, 0});
        Result result = run("train", "--train", labels + "," + labels, "--test", labels + "," + labels,
                "--metrics", labels.toString());
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("it is the same file as the --train input " + labels), result.err());
        assertEquals(9, Files.size(labels), "the input file was changed");
    }

    @Test
    void overlongOutputNameIsAnOptionError() {
        Result result = run("train", "--samples", "40", "--metrics", directory.resolve("a".repeat(256)).toString());
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("longer than 255 bytes"), result.err());
    }

    @Test
    void outputThroughDanglingLinkCreatesItsTarget() throws IOException {
        Path target = directory.resolve("later.csv");
        Path link = Files.createSymbolicLink(directory.resolve("dangling.csv"), target);
        Result result = run("train", "--samples", "40", "--epochs", "1", "--metrics", link.toString());
        assertEquals(0, result.status(), result.err());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced");
        assertEquals(MetricsCsv.HEADER, Files.readAllLines(target).get(0));
    }

    @Test
    void lastEpochDivergenceExitsWithOne() {
        Path metrics = directory.resolve("diverged.csv");
        Result result = run("train", "--samples", "32", "--batch-size", "32", "--epochs", "1", "--lr", "1e300",
                "--metrics", metrics.toString());
        assertEquals(1, result.status(), result.out() + result.err());
        assertTrue(result.err().contains("training diverged in epoch 1"), result.err());
        assertFalse(Files.exists(metrics), "a diverged run saved its metrics");
    }

    @Test
    void oversizedBatchPassesMemoryCheck() {
        Result result = run("train", "--samples", "100", "--epochs", "1", "--batch-size", "5000000");
        assertEquals(0, result.status(), result.err());
    }

    @Test
    void unknownCommandIsNamed() {
        Result result = run("bogus");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("unknown command 'bogus'; use one of train, eval, predict, init-study, plot, bench, info"), result.err());
    }

    @Test
    void pipeAsOutputIsRejectedAndLeftAlone() throws IOException, InterruptedException {
        Path fifo = directory.resolve("pipe.csv");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo failed");

        Result result = run("train", "--samples", "40", "--epochs", "1", "--metrics", fifo.toString());

        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("not a regular file"), result.err());
        assertFalse(Files.isRegularFile(fifo), "the pipe was replaced by a file");
    }

    @Test
    void repeatedLayersOptionIsRejected() {
        Result result = run("train", "--samples", "40", "--layers", "2,8,2", "--layers", "2,4,2");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("should be specified only once"), result.err());
    }

    @Test
    void syntheticOptionsWithFileDataAreRejected() {
        Result result = run("train", "--data", directory.toString(), "--dataset", "xor");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("--dataset applies to the built-in data sets only"), result.err());
    }

    @Test
    void networkLargerThanMemoryIsRejectedBeforeAllocating() {
        Result result = run("train", "--samples", "40", "--layers", "2,2000000000,2");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("'--layers': 2,2000000000,2: this needs about"), result.err());
        assertTrue(result.err().contains("GB of memory but the machine has"), result.err());
    }

    @Test
    void hugeSyntheticDataRejected() {
        Result result = run("train", "--samples", "2147483647");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("'--samples': 2147483647: this needs about"), result.err());
    }

    @Test
    void missingTrainFileIsReportedAsNotFound() {
        Path missing = directory.resolve("missing-images");
        Result result = run("train", "--train", missing + "," + missing, "--test", missing + "," + missing);
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().startsWith("ffnn train: error: "), result.err());
        assertTrue(result.err().contains(missing.toString()), result.err());
        assertTrue(result.err().contains("not found"), result.err());
    }

    @Test
    void datasetNameIgnoresCase() {
        Result result = run("train", "--dataset", "XOR", "--samples", "40", "--epochs", "1", "--threads", "1");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains(", 1 epoch, seed 1, OpenBLAS 1 thread on"), result.out());
    }

    private static String losses(String out) {
        // Drop the timing columns, which differ from run to run
        return out.lines().filter(line -> line.startsWith("epoch"))
                .map(line -> line.substring(0, line.indexOf("test acc") + 16))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private List<Path> listTemporaryFiles() {
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
