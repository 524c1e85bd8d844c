package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The checks of output files against inputs and each other, and what a failed write reports. */
class OutputFilesTest {

    private static final String[] TRAIN = {"train", "--dataset", "blobs", "--samples", "60", "--layers", "2,4,3",
            "--threads", "1", "--quiet"};

    @TempDir
    Path directory;

    private static TrainCommandTest.Result train(String... extra) {
        List<String> args = new ArrayList<>(List.of(TRAIN));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** Asserts an option error (exit status 2) of one line that contains every part. */
    private static void assertOptionError(TrainCommandTest.Result result, String... parts) {
        assertEquals(2, result.status(), result.out() + result.err());
        assertEquals(1, result.err().lines().count(), result.err());
        for (String part : parts) {
            assertTrue(result.err().contains(part), "missing '" + part + "' in " + result.err());
        }
    }

    private Path checkpoint(String name, int epochs) {
        Path file = directory.resolve(name);
        TrainCommandTest.Result result = train("--epochs", String.valueOf(epochs), "--save", file.toString());
        assertEquals(0, result.status(), result.err());
        return file;
    }

    @Test
    void hardLinkToInputCsvIsRejected() throws IOException {
        Path trainCsv = directory.resolve("train.csv");
        Files.writeString(trainCsv, "a,b,label\n0.5,1.5,0\n1.5,0.5,1\n");
        Path testCsv = Files.writeString(directory.resolve("test.csv"), "a,b,label\n0.5,1.5,0\n1.5,0.5,1\n");
        Path hardLink = Files.createLink(directory.resolve("hard.csv"), trainCsv);
        Path symbolicLink = Files.createSymbolicLink(directory.resolve("soft.csv"), trainCsv);
        byte[] before = Files.readAllBytes(trainCsv);

        for (Path output : List.of(hardLink, symbolicLink)) {
            for (String option : List.of("--stats", "--metrics", "--save")) {
                TrainCommandTest.Result result = run("train", "--train-csv", trainCsv.toString(), "--test-csv",
                        testCsv.toString(), "--epochs", "1", option, output.toString());
                assertOptionError(result, "'" + option + "': " + output, "the --train-csv input " + trainCsv,
                        "give another file name");
            }
        }
        assertArrayEquals(before, Files.readAllBytes(trainCsv), "the training data changed");
    }

    @Test
    void hardLinkToGzipDataFileIsRejected() throws IOException {
        // The check runs before any data is read, so the files need only exist
        Path data = Files.createDirectory(directory.resolve("data"));
        Path gzipImages = Files.writeString(data.resolve("train-images-idx3-ubyte.gz"), "images");
        Path hardLink = Files.createLink(directory.resolve("stats.csv"), gzipImages);
        TrainCommandTest.Result result = run("train", "--data", data.toString(), "--stats", hardLink.toString());
        assertOptionError(result, "'--stats': " + hardLink, "the --data input " + gzipImages);
        assertEquals("images", Files.readString(gzipImages));
    }

    @Test
    void resumeCheckpointAsOutputIsRejected() throws IOException {
        Path checkpoint = checkpoint("ck.safetensors", 2);
        byte[] before = Files.readAllBytes(checkpoint);

        for (String option : List.of("--stats", "--metrics", "--save")) {
            TrainCommandTest.Result result = train("--epochs", "4", "--resume", checkpoint.toString(), option,
                    checkpoint.toString());
            assertOptionError(result, "'" + option + "'", "the --resume input " + checkpoint);
        }
        assertArrayEquals(before, Files.readAllBytes(checkpoint), "the checkpoint changed");
    }

    @Test
    void twoOutputsOfOneFileAreRejected() {
        String file = directory.resolve("same.out").toString();
        String[][] pairs = {{"--save", "--metrics"}, {"--save", "--stats"}, {"--metrics", "--stats"}};
        for (String[] pair : pairs) {
            TrainCommandTest.Result result = train("--epochs", "1", pair[0], file, pair[1], file);
            assertOptionError(result, "'" + pair[1] + "': " + file, "the same file as " + pair[0] + " " + file,
                    "give each output a file name of its own");
        }
        assertFalse(Files.exists(Path.of(file)), "a rejected run wrote its output");
    }

    @Test
    void checkpointFileAsOutputIsRejected() throws IOException {
        Path checkpoints = Files.createDirectory(directory.resolve("ckd"));
        Path second = checkpoints.resolve("epoch-0002.safetensors");

        TrainCommandTest.Result clash = train("--epochs", "2", "--checkpoint-dir", checkpoints.toString(), "--stats",
                second.toString());
        assertOptionError(clash, "'--stats': " + second, "the checkpoint of epoch 2 that --checkpoint-dir writes");

        // Epoch 3 is not in a 2-epoch run, so its name is free
        Path third = checkpoints.resolve("epoch-0003.safetensors");
        TrainCommandTest.Result free = train("--epochs", "2", "--checkpoint-dir", checkpoints.toString(), "--stats",
                third.toString());
        assertEquals(0, free.status(), free.err());
        assertTrue(Files.isRegularFile(second), "the checkpoint of epoch 2 is missing");
    }

    @Test
    void resumeFromCheckpointDirectoryWritesLaterEpochs() throws IOException {
        Path checkpoints = directory.resolve("ckd");
        assertEquals(0, train("--epochs", "2", "--checkpoint-dir", checkpoints.toString()).status());
        Path first = checkpoints.resolve("epoch-0001.safetensors");
        byte[] before = Files.readAllBytes(first);

        TrainCommandTest.Result resumed = train("--epochs", "3", "--resume", first.toString(), "--checkpoint-dir",
                checkpoints.toString());

        assertEquals(0, resumed.status(), resumed.err());
        assertArrayEquals(before, Files.readAllBytes(first), "the checkpoint resumed from changed");
        assertTrue(Files.isRegularFile(checkpoints.resolve("epoch-0003.safetensors")));
    }

    @Test
    void checkpointThatWouldReplaceResumeInputIsRejected() throws IOException {
        Path checkpoints = Files.createDirectory(directory.resolve("ckd"));
        // An epoch-1 checkpoint under the name of epoch 2, which this run writes
        Path renamed = Files.move(checkpoint("ck.safetensors", 1), checkpoints.resolve("epoch-0002.safetensors"));
        TrainCommandTest.Result result = train("--epochs", "3", "--resume", renamed.toString(), "--checkpoint-dir",
                checkpoints.toString());
        assertOptionError(result, "'--checkpoint-dir': " + checkpoints, "it would replace the --resume input "
                + renamed + " with the checkpoint of epoch 2", "give another directory");
    }

    @Test
    void checkpointDirectoryNamingInputIsRejected() throws IOException {
        Path model = checkpoint("model.safetensors", 1);
        TrainCommandTest.Result result = train("--epochs", "2", "--resume", model.toString(), "--checkpoint-dir",
                model.toString());
        assertOptionError(result, "'--checkpoint-dir': " + model, "it is the --resume input, not a directory");
    }

    @Test
    void checkpointLinkToInputIsRejected() throws IOException {
        Path checkpoints = Files.createDirectory(directory.resolve("ckd"));
        Path model = checkpoint("model.safetensors", 1);
        Files.createSymbolicLink(checkpoints.resolve("epoch-0002.safetensors"), model);
        TrainCommandTest.Result result = train("--epochs", "2", "--checkpoint-dir", checkpoints.toString(), "--resume",
                model.toString());
        assertOptionError(result, "'--checkpoint-dir'", "the --resume input " + model);
    }

    @Test
    void deviceAndProcessFilesAreRejected() throws IOException {
        Path linkToStdout = Files.createSymbolicLink(directory.resolve("out.csv"), Path.of("/dev/stdout"));
        String[][] cases = {
                {"/dev/stdout", "it is in /dev"},
                {"/proc/self/fd/1", "it is in /proc"},
                {linkToStdout.toString(), "it is a symbolic link to /dev/stdout, in /dev"},
                {"/dev/null", "it is in /dev"},
        };
        for (String option : List.of("--metrics", "--stats", "--save")) {
            for (String[] testCase : cases) {
                TrainCommandTest.Result result = train("--epochs", "1", option, testCase[0]);
                assertOptionError(result, "'" + option + "': " + testCase[0], testCase[1], "give a file name elsewhere");
            }
        }
        assertTrue(Files.isSymbolicLink(linkToStdout), "the link was replaced");
    }

    @Test
    void symbolicLinkLoopIsOneOptionError() throws IOException {
        Path loop = Files.createSymbolicLink(directory.resolve("loop"), directory.resolve("loop"));
        for (String option : List.of("--metrics", "--stats", "--save")) {
            TrainCommandTest.Result result = train("--epochs", "1", option, loop.toString());
            assertOptionError(result, "'" + option + "': " + loop, "it is a symbolic link loop", "remove or fix the link");
            assertTrue(Files.isSymbolicLink(loop), option + " replaced the link");
        }
    }

    @Test
    void checkpointDirectoryUnderFileFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(directory.resolve("file.txt"), "x");
        Path checkpoints = file.resolve("sub");
        TrainCommandTest.Result result = train("--epochs", "1", "--checkpoint-dir", checkpoints.toString());
        assertOptionError(result, "'--checkpoint-dir': " + checkpoints, file + " is a file, not a directory");
        assertFalse(result.out().contains("epoch 1"), "training started: " + result.out());

        TrainCommandTest.Result isFile = train("--epochs", "1", "--checkpoint-dir", file.toString());
        assertOptionError(isFile, "'--checkpoint-dir': " + file, "it is a file; give a directory");
    }

    @Test
    void readOnlyCheckpointDirectoryFailsBeforeTraining() throws IOException {
        Path readOnly = Files.createDirectory(directory.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "this user writes into read-only directories, e.g. root");
            for (Path checkpoints : List.of(readOnly, readOnly.resolve("new"))) {
                TrainCommandTest.Result result = train("--epochs", "1", "--checkpoint-dir", checkpoints.toString());
                assertOptionError(result, "'--checkpoint-dir': " + checkpoints, "directory " + readOnly,
                        "is not writable", "choose another directory");
                assertFalse(result.out().contains("epoch 1"), "training started: " + result.out());
            }
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void plotChartsGetDefaultPermissions() throws IOException {
        Path stats = directory.resolve("stats.csv");
        assertEquals(0, train("--epochs", "2", "--stats", stats.toString()).status());
        // A file created the ordinary way shows what the process's umask allows
        Path reference = Files.createFile(directory.resolve("reference"));
        Path charts = directory.resolve("charts");

        TrainCommandTest.Result result = run("plot", stats.toString(), "--out", charts.toString());

        assertEquals(0, result.status(), result.err());
        try (var files = Files.list(charts)) {
            List<Path> pngs = files.toList();
            assertEquals(5, pngs.size(), pngs.toString());
            for (Path png : pngs) {
                assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(png),
                        png.toString());
            }
        }
    }

    @Test
    void plotIntoFileOrEmptyPathIsRejected() throws IOException {
        Path stats = Files.writeString(directory.resolve("stats.csv"), StatisticsCsv.HEADER + "\n");
        Path other = Files.writeString(directory.resolve("other.txt"), "x");
        assertOptionError(run("plot", stats.toString(), "--out", other.toString()), "'--out': " + other,
                "it is a file; give a directory");
        assertOptionError(run("plot", stats.toString(), "--out", stats.toString()), "'--out': " + stats,
                "it is the FILE input, not a directory");
        assertOptionError(run("plot", stats.toString(), "--out", ""), "'--out'", "give a directory");
    }

    @Test
    void predictOutputLinkedToModelIsRejected() throws IOException {
        Path model = checkpoint("model.safetensors", 1);
        Path link = Files.createLink(directory.resolve("predictions.csv"), model);
        TrainCommandTest.Result result = run("predict", model.toString(), "--dataset", "blobs", "--samples", "20",
                "--out", link.toString());
        assertOptionError(result, "'--out': " + link, "the MODEL input " + model);
    }

    @Test
    void statisticsCostRejectsOptionsItIgnores() {
        String[][] cases = {
                {"--save", directory.resolve("m.safetensors").toString(), "drop --save"},
                {"--metrics", directory.resolve("m.csv").toString(), "drop --metrics"},
                {"--stats", directory.resolve("s.csv").toString(), "drop --stats"},
                {"--checkpoint-dir", directory.resolve("ckd").toString(), "drop --checkpoint-dir"},
                {"--resume", directory.resolve("ck.safetensors").toString(), "ignores --resume"},
                {"--validation-fraction", "0.1", "ignores --validation-fraction"},
                {"--l2", "0.01", "ignores --l2"},
                {"--progress-interval", "5", "ignores --progress-interval"},
                {"--optimizer", "adam", "'--optimizer': adam: --measure-stats-cost measures plain SGD only"},
                {"--schedule", "cosine", "'--schedule': cosine: --measure-stats-cost trains at a constant"},
        };
        for (String[] testCase : cases) {
            TrainCommandTest.Result result = train("--epochs", "2", "--measure-stats-cost", testCase[0], testCase[1]);
            assertOptionError(result, testCase[2]);
            assertEquals("", result.out(), Arrays.toString(testCase));
        }
        assertOptionError(train("--epochs", "1", "--measure-stats-cost"),
                "'--epochs': 1: --measure-stats-cost needs at least 2 epochs", "give --epochs 2 or more");
        try (var files = Files.list(directory)) {
            assertEquals(List.of(), files.toList(), "a rejected measurement wrote files");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void statisticsCostHonoursQuiet() {
        TrainCommandTest.Result result = train("--epochs", "2", "--measure-stats-cost", "--optimizer", "sgd");
        assertEquals(0, result.status(), result.err());
        assertFalse(result.out().contains("measuring statistics cost"), result.out());
        assertTrue(result.out().startsWith("round 1  "), result.out());
    }

    @Test
    void writeFailureNamesTheFileAndTheFix() {
        Path target = directory.resolve("model.safetensors");
        IOException full = OutputFile.writeFailed(target, new IOException("No space left on device"));
        assertEquals("writing " + target + " failed: No space left on device; free space or choose another directory"
                + " (the old file, if any, is kept)", full.getMessage());
        IOException readOnly = OutputFile.writeFailed(target, new java.nio.file.FileSystemException(
                directory.resolve(".ffnn-1.tmp").toString(), null, "Read-only file system"));
        assertEquals("writing " + target + " failed: Read-only file system; choose another directory"
                + " (the old file, if any, is kept)", readOnly.getMessage());
    }
}
