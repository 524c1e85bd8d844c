package dev.ffnn.cli;

import dev.ffnn.engine.NetworkSpec;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** Model metadata: where the training data came from, as the header line of {@code train} describes it. */
    static final String DATA_KEY = "data";
    /** Model metadata of a built-in data set: its name, such as {@code spirals}. */
    static final String DATASET_KEY = "dataset";
    /** Model metadata of a built-in data set: the seed it was generated from. */
    static final String DATASET_SEED_KEY = "dataset_seed";
    /** Model metadata of a built-in data set: its training sample count (--samples); the test set has half as many. */
    static final String DATASET_SAMPLES_KEY = "dataset_samples";

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
     * files, or the test half of the built-in data set generated from {@code seed}. The labels of files must be
     * below the output count of {@code model}.
     *
     * @throws IOException if a file cannot be read or is malformed
     */
    Dataset loadTest(long seed, NetworkSpec model) throws IOException {
        // A label the model has no output for is reported with its sample, and its line in a CSV file
        String outputs = "of the model's outputs (" + model.describeSizes() + ")";
        if (testFiles != null) {
            Path[] test = filePair("--test", testFiles);
            return IdxFiles.loadTest(test[0], test[1], model.outputSize(), outputs);
        }
        if (testCsv != null) {
            return CsvFiles.load(testCsv, csvFormat, model.outputSize(), outputs);
        }
        if (dataDirectory != null) {
            return IdxFiles.loadTestDirectory(dataDirectory);
        }
        TrainTestSplit split = SyntheticDatasets.trainTest(dataset, samples, Math.max(1, samples / 2), seed);
        split.train().close();
        return split.test();
    }

    /**
     * Returns the metadata that records the training data in a saved model: {@value #DATA_KEY} always, and for a
     * built-in data set {@value #DATASET_KEY}, {@value #DATASET_SEED_KEY} and {@value #DATASET_SAMPLES_KEY}, which
     * {@link #useModelData} reads back.
     */
    Map<String, String> metadata(TrainTestSplit data, long seed) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (isSynthetic()) {
            entries.put(DATA_KEY, String.format(Locale.ROOT, "%s (built in, seed %d, %d samples)", dataset, seed, samples));
            entries.put(DATASET_KEY, dataset);
            entries.put(DATASET_SEED_KEY, Long.toString(seed));
            entries.put(DATASET_SAMPLES_KEY, Integer.toString(samples));
        } else {
            entries.put(DATA_KEY, describeSource(data, seed));
        }
        return entries;
    }

    /**
     * Makes {@code eval}, {@code predict} and a resumed {@code train} without data options use the data set the model
     * was trained on.
     * A model trained on a built-in data set gets the same name, sample count and (unless --seed is given) seed,
     * so its test half is the training run's test set. For a model trained on files it raises an option error
     * that names the data options to give. A model without this metadata (older ffnn versions, other tools) keeps the defaults, the
     * built-in {@code spirals}.
     *
     * @param seedGiven whether --seed was given, which then wins over the recorded seed
     * @return the seed of the built-in data set: the recorded one, or {@code seed}
     * @throws ParameterException if the model was trained on files and no data option is given
     */
    long useModelData(Path modelFile, Map<String, String> metadata, long seed, boolean seedGiven) {
        if (!isSynthetic() || commandLine().getParseResult().hasMatchedOption("--dataset")
                || commandLine().getParseResult().hasMatchedOption("--samples")) {
            return seed;
        }
        String name = metadata.get(DATASET_KEY);
        if (name == null) {
            String source = metadata.get(DATA_KEY);
            if (source != null) {
                String options = "train".equals(commandLine().getCommandName())
                        ? "give its data with --data DIR, --train and --test, or --train-csv and --test-csv"
                        : "give its test data with --data DIR, --test IMAGES,LABELS or --test-csv FILE";
                throw new ParameterException(commandLine(), modelFile + " was trained on " + source + ", not on a"
                        + " built-in data set: " + options);
            }
            return seed;
        }
        String recordedSamples = metadata.getOrDefault(DATASET_SAMPLES_KEY, "");
        String recordedSeed = metadata.getOrDefault(DATASET_SEED_KEY, "");
        if (!SyntheticDatasets.NAMES.contains(name) || !recordedSamples.matches("[1-9][0-9]{0,8}")
                || !recordedSeed.matches("-?[0-9]{1,19}")) {
            throw new IllegalArgumentException(modelFile + ": invalid metadata " + DATASET_KEY + " '" + name + "', "
                    + DATASET_SAMPLES_KEY + " '" + recordedSamples + "', " + DATASET_SEED_KEY + " '" + recordedSeed
                    + "'; give the data with --dataset and --samples");
        }
        dataset = name;
        samples = Integer.parseInt(recordedSamples);
        return seedGiven ? seed : Long.parseLong(recordedSeed);
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
        if (labelColumn.strip().equals(CsvFormat.NO_LABEL) && !commandLine().getCommandName().equals("predict")) {
            throw optionError("--label-column", CsvFormat.NO_LABEL, "only ffnn predict takes data without labels;"
                    + " give the label column by name or number");
        }
        try {
            csvFormat = new CsvFormat(delimiterChar, headerMode, labelColumn.strip());
        } catch (IllegalArgumentException e) {
            boolean delimiterProblem = e.getMessage().startsWith("delimiter");
            throw optionError(delimiterProblem ? "--delimiter" : "--label-column",
                    "'" + (delimiterProblem ? delimiter : labelColumn) + "'", e.getMessage());
        }
    }

    /**
     * Adapts the data options of a command that reads only test data ({@code eval}, {@code predict}): hides
     * {@code --train} and {@code --train-csv}, which {@link #validateTestOnly()} rejects, and gives {@code --data}, {@code --test}, {@code --dataset},
     * {@code --samples}, {@code --test-csv} and {@code --label-column} help that fits such a command. The options
     * keep their order and their bindings to this mixin's fields.
     */
    static void restrictToTestData(CommandSpec command) {
        boolean predict = command.name().equals("predict");
        Map<String, String> help = Map.of(
                "--data", "Directory with the MNIST-format test files t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte,"
                        + " each raw or gzip-compressed with a .gz suffix; the training files need not be there.",
                "--test", "Test IDX files: images and labels, comma-separated.",
                "--dataset", "Built-in synthetic data set whose test half is used when no data files are given: xor,"
                        + " spirals or blobs. Default: the data set the model was trained on, if its file records"
                        + " one, else spirals.",
                "--samples", "Training samples of the synthetic data set, as given to ffnn train; its test half has"
                        + " half as many. Default: the count the model file records, else 10000.",
                "--test-csv", "Test samples as UTF-8 CSV: one sample per line, an integer label column from 0"
                        + " (--label-column) and numeric features in the other columns"
                        + (predict ? ", or features only with --label-column none." : "."),
                "--label-column", "The CSV label column: a name in the header, or a column number counted from 1"
                        + (predict ? "; none for a file of features only, whose label column in the output is empty."
                        : "."));
        List<CommandLine.Model.OptionSpec> options = new ArrayList<>(command.options());
        for (CommandLine.Model.OptionSpec option : options) {
            command.remove(option);
        }
        for (CommandLine.Model.OptionSpec option : options) {
            String name = option.longestName();
            if (name.equals("--train") || name.equals("--train-csv")) {
                // Hidden, not removed, so validateTestOnly() can name the option to give instead
                command.addOption(option.toBuilder().hidden(true).build());
            } else {
                CommandLine.Model.OptionSpec.Builder builder = option.toBuilder();
                if (help.containsKey(name)) {
                    builder.description(help.get(name));
                }
                if (name.equals("--dataset") || name.equals("--samples")) {
                    // The description gives the default, which depends on the model file
                    builder.showDefaultValue(CommandLine.Help.Visibility.NEVER);
                }
                command.addOption(builder.build());
            }
        }
    }

    /** Returns true for CSV data without a label column ({@code --label-column none}), which only predict takes. */
    boolean isUnlabeled() {
        return csvFormat.isUnlabeled();
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

    /** Adds every data file the options may read to {@code files}, both the raw and the gzip name under --data. */
    void addInputs(CommandFiles files) {
        for (String option : new String[]{"--train", "--test"}) {
            String pair = option.equals("--train") ? trainFiles : testFiles;
            if (pair != null) {
                for (String file : pair.split(",", -1)) {
                    if (!file.isBlank()) {
                        files.input(option, Path.of(file));
                    }
                }
            }
        }
        files.input("--train-csv", trainCsv);
        files.input("--test-csv", testCsv);
        if (dataDirectory != null) {
            for (String name : List.of(IdxFiles.TRAIN_IMAGES, IdxFiles.TRAIN_LABELS, IdxFiles.TEST_IMAGES, IdxFiles.TEST_LABELS)) {
                files.input("--data", dataDirectory.resolve(name));
                files.input("--data", dataDirectory.resolve(name + ".gz"));
            }
        }
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
