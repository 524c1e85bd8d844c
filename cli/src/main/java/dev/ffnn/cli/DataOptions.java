package dev.ffnn.cli;

import dev.ffnn.engine.data.CsvFiles;
import dev.ffnn.engine.data.CsvFormat;
import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.IdxFiles;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The data options of {@code train}, {@code eval} and {@code predict} (a picocli mixin): a directory of IDX files,
 * training and test IDX file pairs, training and test CSV files, or a built-in synthetic data set.
 */
final class DataOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four MNIST-format IDX files: train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each raw or gzip-compressed with a .gz suffix.")
    Path dataDirectory;

    @Option(names = "--train", paramLabel = "IMAGES,LABELS",
            description = "Training IDX files: images and labels, comma-separated. Needs --test.")
    String trainFiles;

    @Option(names = "--test", paramLabel = "IMAGES,LABELS",
            description = "Test IDX files: images and labels, comma-separated. Needs --train.")
    String testFiles;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Built-in synthetic data set used when no data files are given: xor, spirals or blobs (3 classes).")
    String dataset = "spirals";

    @Option(names = "--samples", paramLabel = "N",
            description = "Training samples of the synthetic data set; its test set has half as many.")
    int samples = 10_000;

    @Option(names = "--train-csv", paramLabel = "FILE",
            description = "Training samples as UTF-8 CSV: one sample per line, an integer label column from 0"
                    + " (--label-column) and numeric features in the other columns. Needs --test-csv.")
    Path trainCsv;

    @Option(names = "--test-csv", paramLabel = "FILE",
            description = "Test samples as CSV, in the layout of --train-csv; its labels must be classes of the"
                    + " training set.")
    Path testCsv;

    @Option(names = "--label-column", paramLabel = "NAME|NUMBER",
            description = "The CSV label column: a name in the header, or a column number counted from 1.")
    String labelColumn = CsvFormat.DEFAULT.labelColumn();

    @Option(names = "--header", paramLabel = "auto|yes|no",
            description = "Whether the first CSV line is a header; auto takes it as one when a field is not a number.")
    String header = "auto";

    @Option(names = "--delimiter", paramLabel = "CHAR",
            description = "CSV field delimiter: one character, or the word tab or space.")
    String delimiter = String.valueOf(CsvFormat.DEFAULT.delimiter());

    private CsvFormat csvFormat = CsvFormat.DEFAULT;

    /** Checks the data options of {@code train} against each other, before any data is read. */
    void validate() {
        check(true);
    }

    /** Checks the options; {@code trainAndTest} requires --train and --test together. */
    private void check(boolean trainAndTest) {
        if (samples < 1) {
            throw optionError("--samples", String.valueOf(samples), "it must be >= 1");
        }
        boolean files = trainFiles != null || testFiles != null;
        boolean csv = trainCsv != null || testCsv != null;
        if (dataDirectory != null && files) {
            throw new ParameterException(commandLine(), "--data and --train/--test both give data: use one of them");
        }
        if (csv && (dataDirectory != null || files)) {
            throw new ParameterException(commandLine(), "--train-csv/--test-csv and " + (files ? "--train/--test" : "--data")
                    + " both give data: use one of them");
        }
        if (trainAndTest && csv && (trainCsv == null || testCsv == null)) {
            throw new ParameterException(commandLine(), (trainCsv == null ? "--test-csv" : "--train-csv")
                    + " needs " + (trainCsv == null ? "--train-csv" : "--test-csv") + " too: give both CSV files");
        }
        checkCsvFormat(csv);
        if (trainAndTest && files && (trainFiles == null || testFiles == null)) {
            throw new ParameterException(commandLine(), (trainFiles == null ? "--test" : "--train")
                    + " needs " + (trainFiles == null ? "--train" : "--test") + " too: give both IMAGES,LABELS pairs");
        }
        if (dataDirectory != null && dataDirectory.toString().isEmpty()) {
            throw optionError("--data", "''", "give the directory of the IDX files");
        }
        if (dataDirectory != null || files || csv) {
            for (String synthetic : new String[]{"--dataset", "--samples"}) {
                if (commandLine().getParseResult().hasMatchedOption(synthetic)) {
                    throw new ParameterException(commandLine(), synthetic + " applies to the built-in data sets only:"
                            + " drop it, or drop --data/--train/--test/--train-csv/--test-csv");
                }
            }
        }
        dataset = dataset.toLowerCase(Locale.ROOT);
        if (!SyntheticDatasets.NAMES.contains(dataset)) {
            throw optionError("--dataset", dataset, "allowed: " + String.join(", ", SyntheticDatasets.NAMES));
        }
        if (isSynthetic()) {
            // Every built-in set has 2 double features and an int label per sample, and its test set is half as large
            long sampleBytes = 2L * Double.BYTES + Integer.BYTES;
            OptionChecks.requireMemory(commandLine(), "--samples", String.valueOf(samples),
                    sampleBytes * ((long) samples + samples / 2), "a smaller --samples");
        }
    }

    /**
     * Checks the data options of a command that reads only the test data ({@code eval}, {@code predict}):
     * {@code --data} (its t10k files), {@code --test} or {@code --test-csv} alone, or a built-in data set's test half.
     */
    void validateTestOnly() {
        if (trainFiles != null) {
            throw optionError("--train", trainFiles, "this command reads only test data; give the files with --test"
                    + " IMAGES,LABELS");
        }
        if (trainCsv != null) {
            throw optionError("--train-csv", trainCsv.toString(), "this command reads only test data; give the file"
                    + " with --test-csv");
        }
        check(false);
    }

    /**
     * Loads the test data of {@link #validateTestOnly()}: the t10k files of {@code --data}, the {@code --test}
     * files, or the test half of the built-in data set generated from {@code seed}.
     *
     * @throws IOException if a file cannot be read or is malformed
     */
    Dataset loadTest(long seed) throws IOException {
        if (testFiles != null) {
            Path[] test = filePair("--test", testFiles);
            return IdxFiles.load(test[0], test[1]);
        }
        if (testCsv != null) {
            return CsvFiles.load(testCsv, csvFormat);
        }
        if (dataDirectory != null) {
            return IdxFiles.loadTestDirectory(dataDirectory);
        }
        TrainTestSplit split = SyntheticDatasets.trainTest(dataset, samples, Math.max(1, samples / 2), seed);
        split.train().close();
        return split.test();
    }

    /** Describes where the test data comes from, for the header of {@code eval}. */
    String describeTestSource(Dataset test, long seed) {
        return dataDirectory != null ? dataDirectory + " (" + test.name() + ")"
                : testFiles != null || testCsv != null ? test.name()
                : test.name() + " (built in, seed " + seed + ")";
    }

    /** Checks the CSV format options, which apply only to CSV files, and builds the format from them. */
    private void checkCsvFormat(boolean csv) {
        if (!csv) {
            for (String option : new String[]{"--label-column", "--header", "--delimiter"}) {
                if (commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new ParameterException(commandLine(), option + " applies to CSV data only: drop it, or"
                            + " give the data with --train-csv and --test-csv");
                }
            }
            return;
        }
        CsvFormat.Header headerMode = switch (header.toLowerCase(Locale.ROOT)) {
            case "auto" -> CsvFormat.Header.AUTO;
            case "yes" -> CsvFormat.Header.PRESENT;
            case "no" -> CsvFormat.Header.ABSENT;
            default -> throw optionError("--header", header, "allowed: auto, yes, no");
        };
        char delimiterChar = switch (delimiter.toLowerCase(Locale.ROOT)) {
            case "tab", "\\t" -> '\t';
            case "space" -> ' ';
            default -> {
                if (delimiter.length() != 1) {
                    throw optionError("--delimiter", "'" + delimiter + "'", "give one character such as ; or the"
                            + " word tab or space");
                }
                yield delimiter.charAt(0);
            }
        };
        try {
            csvFormat = new CsvFormat(delimiterChar, headerMode, labelColumn.strip());
        } catch (IllegalArgumentException e) {
            boolean delimiterProblem = e.getMessage().startsWith("delimiter");
            throw optionError(delimiterProblem ? "--delimiter" : "--label-column",
                    "'" + (delimiterProblem ? delimiter : labelColumn) + "'", e.getMessage());
        }
    }

    /** Returns true when no data files are given, so the built-in {@code --dataset} is used. */
    boolean isSynthetic() {
        return dataDirectory == null && trainFiles == null && testFiles == null && trainCsv == null && testCsv == null;
    }

    /**
     * Loads the training and test sets; {@code seed} generates a synthetic data set.
     *
     * @throws IOException if a file cannot be read or is malformed
     */
    TrainTestSplit load(long seed) throws IOException {
        if (dataDirectory != null) {
            return IdxFiles.loadDirectory(dataDirectory);
        }
        if (trainFiles != null) {
            Path[] train = filePair("--train", trainFiles);
            Path[] test = filePair("--test", testFiles);
            var trainSet = IdxFiles.load(train[0], train[1]);
            try {
                // As with --data, the training labels fix the class count
                var testSet = IdxFiles.loadTest(test[0], test[1], trainSet.classCount(),
                        "of the training labels " + train[1]);
                return new TrainTestSplit(trainSet, testSet);
            } catch (IOException | RuntimeException e) {
                trainSet.close();
                throw e;
            }
        }
        if (trainCsv != null) {
            var trainSet = CsvFiles.load(trainCsv, csvFormat);
            try {
                var testSet = CsvFiles.load(testCsv, csvFormat, trainSet.classCount(),
                        "of the training set " + trainCsv);
                return new TrainTestSplit(trainSet, testSet);
            } catch (IOException | RuntimeException e) {
                trainSet.close();
                throw e;
            }
        }
        return SyntheticDatasets.trainTest(dataset, samples, Math.max(1, samples / 2), seed);
    }

    /** Describes where the data comes from, for the header line of a command. */
    String describeSource(TrainTestSplit data, long seed) {
        return dataDirectory != null ? dataDirectory.toString()
                : trainFiles != null || trainCsv != null ? data.train().name() + " and " + data.test().name()
                : data.train().name() + " (built in, seed " + seed + ")";
    }

    /** Rejects an output path that names one of the input data files, which the run would overwrite. */
    void requireNotInput(String option, Path output) {
        if (output == null) {
            return;
        }
        for (Path input : inputFiles()) {
            if (OutputFile.isSameFile(output, input)) {
                throw optionError(option, output.toString(), "it is an input data file, which the run would overwrite;"
                        + " give another file name");
            }
        }
    }

    /** Returns every data file the options may read, including both the raw and the gzip name under --data. */
    List<Path> inputFiles() {
        List<Path> inputs = new ArrayList<>();
        for (String pair : new String[]{trainFiles, testFiles}) {
            if (pair != null) {
                for (String file : pair.split(",", -1)) {
                    if (!file.isBlank()) {
                        inputs.add(Path.of(file));
                    }
                }
            }
        }
        for (Path csv : new Path[]{trainCsv, testCsv}) {
            if (csv != null) {
                inputs.add(csv);
            }
        }
        if (dataDirectory != null) {
            for (String name : List.of(IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS, IdxFiles.TEST_IMAGES, IdxFiles.TEST_LABELS)) {
                inputs.add(dataDirectory.resolve(name));
                inputs.add(dataDirectory.resolve(name + ".gz"));
            }
        }
        return inputs;
    }

    private Path[] filePair(String option, String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw optionError(option, text, "give exactly two files, IMAGES,LABELS, separated by one comma"
                    + " (for file names that contain a comma, put the four files in a directory and use --data)");
        }
        return new Path[]{Path.of(parts[0]), Path.of(parts[1])};
    }

    private CommandLine commandLine() {
        return spec.commandLine();
    }

    private ParameterException optionError(String option, String value, String reason) {
        return OptionChecks.optionError(commandLine(), option, value, reason);
    }
}
