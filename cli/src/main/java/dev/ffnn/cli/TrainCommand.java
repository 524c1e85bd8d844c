package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Blas;
import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Initializer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Adam;
import dev.ffnn.engine.AdaptiveThreads;
import dev.ffnn.engine.EarlyStopping;
import dev.ffnn.engine.Optimizer;
import dev.ffnn.engine.RmsProp;
import dev.ffnn.engine.TrainingHistory;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingDefaults;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.TrainTestSplit;
import dev.ffnn.engine.data.ValidationSplit;
import dev.ffnn.engine.io.ModelFile;
import dev.ffnn.engine.io.ModelFormatException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ffnn train}: trains a network and prints one line per epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Trains a fully connected network with mini-batches and prints one line per epoch.",
                "Without --data, --train/--test or --train-csv/--test-csv it trains on a built-in synthetic data set"
                        + " (--dataset)."})
final class TrainCommand implements Callable<Integer> {

    /** The metadata key of the base learning rate (--lr) in saved models and checkpoints. */
    static final String LEARNING_RATE = "learning_rate";

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    OptimizerOptions optimizerOptions;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--layers", paramLabel = "SIZES",
            description = "Layer sizes from input to output, comma-separated, e.g. 784,256,128,10. "
                    + "Default: the data's feature count, 64, 64, its class count.")
    String layersText;

    @Option(names = "--activation", paramLabel = "NAME", converter = Converters.ActivationConverter.class,
            description = "Activation of the hidden layers: identity, sigmoid, tanh, relu or leaky-relu.")
    Activation activation = TrainingDefaults.HIDDEN_ACTIVATION;

    @Option(names = "--output-activation", paramLabel = "NAME", converter = Converters.ActivationConverter.class,
            description = "Activation of the output layer; must be identity with the cross-entropy loss.")
    Activation outputActivation = TrainingDefaults.OUTPUT_ACTIVATION;

    @Option(names = "--loss", paramLabel = "NAME", converter = Converters.LossConverter.class,
            description = "Loss: cross-entropy (softmax on the logits) or mse (against one-hot labels).")
    Loss loss = TrainingDefaults.LOSS;

    @Option(names = "--init", paramLabel = "NAME", converter = Converters.InitializerConverter.class,
            description = "Weight initializer: " + Initializers.ALLOWED_NAMES + ".")
    Initializer initializer = Initializers.parse(TrainingDefaults.INITIALIZER);

    @Option(names = "--bias-init", paramLabel = "NAME", converter = Converters.BiasInitializerConverter.class,
            description = "Bias initializer: an element-wise name of --init, drawing as for that layer's weights.")
    Initializer biasInitializer = Initializers.parse(TrainingDefaults.BIAS_INITIALIZER);

    @Option(names = "--lr", paramLabel = "RATE", showDefaultValue = Help.Visibility.NEVER,
            description = "Learning rate, the base rate of --schedule. Default: " + TrainingDefaults.LEARNING_RATE
                    + " for sgd, momentum and nesterov, " + Adam.DEFAULT_LEARNING_RATE + " for adam and adamw, "
                    + RmsProp.DEFAULT_LEARNING_RATE + " for rmsprop.")
    double learningRate = TrainingDefaults.LEARNING_RATE;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set.")
    int epochs = TrainingDefaults.EPOCHS;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per optimizer step.")
    int batchSize = TrainingDefaults.BATCH_SIZE;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the weights, the batch order and synthetic data; "
                    + "the same seed and thread count give the same run, bit for bit.")
    long seed = TrainingDefaults.SEED;

    @Option(names = "--threads", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
            description = "OpenBLAS threads. Default: 1 or the number of available processors, whichever makes"
                    + " steps faster, measured while training; give N for runs that repeat bit for bit.")
    Integer threadOption;

    /** The OpenBLAS thread count, or the maximum of the adaptive choice when --threads is not given. */
    int threads;

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "Write the per-epoch results as CSV to FILE (columns: " + MetricsCsv.HEADER + ").")
    Path metricsFile;

    @Mixin
    DiagnosticsOptions diagnostics;

    @Override
    public Integer call() throws IOException {
        int[] layers = validateOptions();
        ModelFile checkpoint = modelOptions.readCheckpoint();
        int epochsDone = 0;
        if (checkpoint != null) {
            layers = resumeOptions(checkpoint, layers);
            epochsDone = (int) checkpoint.metadataLong(ModelFile.EPOCH, 0, Integer.MAX_VALUE);
            // Without data options, resume on the checkpoint's own built-in data set, not the default one
            dataOptions.useModelData(checkpoint.file(), checkpoint.metadata(), seed, true);
        }
        checkFiles(epochsDone + 1);
        // A resumed run adds its statistics to the file of the run it continues, rather than replacing them
        boolean appendStatistics = checkpoint != null && diagnostics.statsFile != null
                && statisticsToAppend(diagnostics.statsFile);
        Blas.BlasInfo blas = Blas.load();
        Blas.setThreadCount(threads);
        PrintWriter out = spec.commandLine().getOut();

        try (TrainTestSplit data = dataOptions.load(seed);
             ValidationSplit validation = optimizerOptions.splitValidation(data.train(), seed)) {
            Dataset train = validation == null ? data.train() : validation.train();
            NetworkSpec networkSpec = networkSpec(layers, data);
            requireMemory(networkSpec, Math.min(batchSize, train.sampleCount()));
            if (diagnostics.measureStatsCost) {
                if (!diagnostics.quiet) {
                    out.printf(Locale.ROOT, "measuring statistics cost: data %s, network %s, %s hidden, sgd lr %s,"
                            + " batch size %d, seed %d, OpenBLAS %d thread%s on %s%n",
                            dataOptions.describeSource(data, seed), networkSpec.describeSizes(),
                            networkSpec.hiddenActivation().cliName(), learningRate, batchSize, seed,
                            Blas.threadCount(), Blas.threadCount() == 1 ? "" : "s", blas.coreName());
                }
                new StatisticsCost(networkSpec, learningRate, batchSize, seed).measure(data, epochs, out);
                return 0;
            }
            // The statistics file is written in place and flushed per record, so a failed run keeps its records
            try (Network network = Network.create(networkSpec, seed);
                 Optimizer optimizer = optimizerOptions.create(network, learningRate);
                 Trainer trainer = new Trainer(network, optimizer, batchSize, seed);
                 EarlyStopping stopping = validation == null ? null
                         : new EarlyStopping(validation.validation(), optimizerOptions.patience, 0);
                 OutputFile metrics = metricsFile == null ? null : OutputFile.open(metricsFile);
                 OutputFile stats = diagnostics.statsFile == null ? null
                         : appendStatistics ? OutputFile.openStreamedForAppend(diagnostics.statsFile)
                         : OutputFile.openStreamed(diagnostics.statsFile)) {
                trainer.setSchedule(optimizerOptions.schedule(learningRate));
                if (checkpoint != null) {
                    checkpoint.restore(trainer);
                }
                if (!diagnostics.quiet) {
                    printHeader(out, data, validation, network, optimizer, blas);
                    if (checkpoint != null) {
                        out.printf(Locale.ROOT, "resumed   %s after epoch %d (step %,d)%n", checkpoint.file(),
                                trainer.epoch(), trainer.step());
                    }
                }
                Map<String, String> metadata = new LinkedHashMap<>(dataOptions.metadata(data, seed));
                metadata.put(LEARNING_RATE, String.valueOf(learningRate));
                List<TrainingListener> listeners = new ArrayList<>();
                Progress progress = null;
                if (!diagnostics.quiet) {
                    progress = new Progress(spec.commandLine().getErr(), Progress.isTerminal() ? System.err : null,
                            epochs, train.sampleCount(), diagnostics.progressSeconds);
                    listeners.add(progress);
                }
                if (threadOption == null) {
                    listeners.add(new AdaptiveThreads(Blas.threadCount()));
                }
                listeners.add(new DivergenceCheck());
                listeners.add(new EpochLine.Printer(out, epochs));
                if (stopping != null) {
                    listeners.add(stopping);
                    listeners.add(OptimizerOptions.validationPrinter(out, stopping));
                }
                if (metrics != null) {
                    listeners.add(new MetricsCsv(metrics));
                }
                if (stats != null) {
                    trainer.collectStatistics(diagnostics.statisticsSettings());
                    Map<String, Object> settings = statisticsSettings(data, train);
                    if (checkpoint != null) {
                        settings.put("resumed_after_epoch", epochsDone);
                    }
                    listeners.add(new StatisticsFile(stats, diagnostics.format(), settings, appendStatistics));
                }
                TrainingListener checkpoints = modelOptions.checkpointWriter(metadata);
                if (checkpoints != null) {
                    listeners.add(checkpoints);
                }
                TrainingHistory history;
                try {
                    history = trainer.fit(train, data.test(), epochs, listeners);
                } finally {
                    // A failed run ends its progress bar's line, so the error starts on a line of its own
                    if (progress != null) {
                        progress.close();
                    }
                }
                if (stopping != null) {
                    printRestored(out, trainer, data, history, stopping);
                }

                // Every file is checked before any is renamed into place, so a failure keeps all the old files
                List<OutputFile> outputs = new ArrayList<>();
                for (OutputFile file : new OutputFile[]{metrics, stats}) {
                    if (file != null) {
                        outputs.add(file);
                    }
                }
                for (OutputFile file : outputs) {
                    file.checkErrors();
                }
                modelOptions.saveFinal(trainer, metadata);
                for (OutputFile file : outputs) {
                    file.commit();
                }
            }
        }
        return 0;
    }

    /**
     * Checks every option that can be checked before loading data, and returns the parsed {@code --layers}, or
     * null when it is not given.
     */
    private int[] validateOptions() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--batch-size", batchSize, 1);
        if (threadOption != null) {
            requireAtLeast("--threads", threadOption, 1);
        }
        threads = threadOption != null ? threadOption : Runtime.getRuntime().availableProcessors();
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw optionError("--lr", String.valueOf(learningRate), "it must be a finite number > 0, e.g. 0.1");
        }
        learningRate = optimizerOptions.learningRate(learningRate,
                spec.commandLine().getParseResult().hasMatchedOption("--lr"));
        optimizerOptions.validate(learningRate, epochs);
        int[] layers = layersText == null ? null : parseLayers(layersText);

        dataOptions.validate();
        modelOptions.validate();
        diagnostics.validate(spec.commandLine(), epochs);
        return layers;
    }

    /**
     * Checks every file the run writes against the files it reads and against each other, before any is opened
     * for writing; {@code firstEpoch} is the first epoch this run trains, so the first checkpoint it writes.
     */
    private void checkFiles(int firstEpoch) {
        CommandFiles files = new CommandFiles(spec.commandLine());
        dataOptions.addInputs(files);
        modelOptions.addFiles(files, firstEpoch, epochs);
        files.output("--metrics", metricsFile).output("--stats", diagnostics.statsFile).check();
    }

    /**
     * Takes the architecture, seed, batch size and learning rate from the checkpoint, rejecting an option given
     * with another value, and returns the layer sizes.
     */
    private int[] resumeOptions(ModelFile checkpoint, int[] layers) throws IOException {
        NetworkSpec recorded = checkpoint.spec(new NetworkSpec(new int[]{1, 2}, activation, outputActivation, loss, initializer));
        int epochsDone = (int) checkpoint.metadataLong(ModelFile.EPOCH, 0, Integer.MAX_VALUE);
        long recordedSeed = checkpoint.metadataLong(ModelFile.SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        int recordedBatchSize = (int) checkpoint.metadataLong(ModelFile.BATCH_SIZE, 1, Integer.MAX_VALUE);
        String recordedRate = checkpoint.metadata().getOrDefault(LEARNING_RATE, String.valueOf(learningRate));

        requireSame("--layers", layers == null ? null : joined(layers), joined(recorded.layerSizes()), checkpoint);
        requireSame("--activation", activation.cliName(), recorded.hiddenActivation().cliName(), checkpoint);
        requireSame("--output-activation", outputActivation.cliName(), recorded.outputActivation().cliName(), checkpoint);
        requireSame("--loss", loss.cliName(), recorded.loss().cliName(), checkpoint);
        requireSame("--init", initializer.name(), recorded.initializer().name(), checkpoint);
        requireSame("--seed", String.valueOf(seed), String.valueOf(recordedSeed), checkpoint);
        requireSame("--batch-size", String.valueOf(batchSize), String.valueOf(recordedBatchSize), checkpoint);
        requireSame("--lr", String.valueOf(learningRate), recordedRate, checkpoint);
        if (epochs <= epochsDone) {
            throw optionError("--epochs", String.valueOf(epochs), "the checkpoint " + checkpoint.file() + " has "
                    + epochsDone + " epochs done and --epochs counts all epochs; give a number above " + epochsDone);
        }
        activation = recorded.hiddenActivation();
        outputActivation = recorded.outputActivation();
        loss = recorded.loss();
        initializer = recorded.initializer();
        seed = recordedSeed;
        batchSize = recordedBatchSize;
        try {
            learningRate = Double.parseDouble(recordedRate);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(checkpoint.file(), "metadata entry '" + LEARNING_RATE + "' is '" + recordedRate
                    + "', not a number");
        }
        return recorded.layerSizes();
    }

    /** Rejects {@code option} when it was given with a value other than the checkpoint's. */
    private void requireSame(String option, String value, String recorded, ModelFile checkpoint) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option) && !recorded.equals(value)) {
            throw optionError(option, value, "the checkpoint " + checkpoint.file() + " was trained with " + recorded
                    + "; drop " + option + " to resume with that value");
        }
    }

    private int[] parseLayers(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 2) {
            throw optionError("--layers", text, "give the input size and at least one more size, e.g. 784,128,10");
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                String digits = parts[i].strip();
                if (!digits.matches("[0-9]+")) {
                    throw new NumberFormatException(digits);
                }
                sizes[i] = Integer.parseInt(digits);
            } catch (NumberFormatException e) {
                throw optionError("--layers", text, "'" + parts[i] + "' is not a layer size; give positive integers such as 784,256,128,10");
            }
            if (sizes[i] < 1) {
                throw optionError("--layers", text, "every size must be >= 1");
            }
        }
        return sizes;
    }

    /**
     * Rejects a network whose parameters, gradients and batch buffers would not fit in the machine's memory, so
     * it fails at once with a message rather than swapping or meeting the kernel's out-of-memory killer.
     */
    private void requireMemory(NetworkSpec networkSpec, int effectiveBatchSize) {
        long needed;
        try {
            // Two workspaces (full batches and the last, smaller one) and the optimizer's state tensors
            long stateBytes = Math.multiplyExact(Math.multiplyExact(networkSpec.parameterCount(), (long) Double.BYTES),
                    (long) optimizerOptions.stateTensorCount());
            needed = Math.addExact(Math.addExact(networkSpec.networkByteSize(), stateBytes),
                    Math.multiplyExact(networkSpec.workspaceByteSize(effectiveBatchSize), 2L));
        } catch (ArithmeticException e) {
            needed = Long.MAX_VALUE;
        }
        OptionChecks.requireMemory(spec.commandLine(), layersText != null ? "--layers" : "--batch-size",
                layersText != null ? layersText : String.valueOf(batchSize), needed,
                "smaller --layers or a smaller --batch-size (network " + networkSpec.describeSizes()
                        + ", batch size " + effectiveBatchSize + ")");
    }

    /** Builds the network spec, checking --layers against the data (an option error, exit status 2). */
    private NetworkSpec networkSpec(int[] layers, TrainTestSplit data) {
        int features = data.train().featureCount();
        int classes = Math.max(data.train().classCount(), data.test().classCount());
        int[] sizes = layers;
        if (sizes == null) {
            sizes = new int[TrainingDefaults.HIDDEN_SIZES.length + 2];
            sizes[0] = features;
            System.arraycopy(TrainingDefaults.HIDDEN_SIZES, 0, sizes, 1, TrainingDefaults.HIDDEN_SIZES.length);
            sizes[sizes.length - 1] = Math.max(classes, 2);
        }
        if (sizes[0] != features) {
            throw optionError("--layers", joined(sizes), "the first size must be the data's feature count "
                    + features + " (" + data.train().name() + "), e.g. " + features + "," + tail(sizes));
        }
        if (sizes[sizes.length - 1] < classes) {
            throw optionError("--layers", joined(sizes), "the last size must be at least the data's class count " + classes);
        }
        try {
            return new NetworkSpec(sizes, activation, outputActivation, loss, initializer, biasInitializer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Returns true when the statistics file of a resumed run already has records, which the run then appends to,
     * and false when it is missing or empty.
     *
     * @throws ParameterException if the file's first line is not that of a statistics file in the chosen format
     */
    private boolean statisticsToAppend(Path file) throws IOException {
        String problem = StatisticsFile.checkAppendable(file, diagnostics.format());
        if (problem != null) {
            throw optionError("--stats", file.toString(), problem + "; the resumed run appends to a statistics file"
                    + " of the same format, so give that file or a new name");
        }
        return Files.isRegularFile(file) && Files.size(file) > 0;
    }

    /** Returns the configuration entries of the statistics file that the trainer does not know. */
    private Map<String, Object> statisticsSettings(TrainTestSplit data, Dataset train) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", dataOptions.describeSource(data, seed));
        settings.put("training_samples", train.sampleCount());
        settings.put("test_samples", data.test().sampleCount());
        settings.put("epochs", epochs);
        settings.put("stats_every", diagnostics.statsEvery == null ? "epoch" : diagnostics.statsEvery);
        settings.put("histogram_bins", diagnostics.histogramBins);
        settings.put("blas_threads", threadOption == null ? "1 or " + Blas.threadCount() + ", adaptive" : Blas.threadCount());
        return settings;
    }

    private void printHeader(PrintWriter out, TrainTestSplit data, ValidationSplit validation, Network network,
                             Optimizer optimizer, Blas.BlasInfo blas) {
        NetworkSpec networkSpec = network.spec();
        String source = dataOptions.describeSource(data, seed);
        int classes = data.train().classCount();
        String heldOut = validation == null ? "" : String.format(Locale.ROOT, " (%,d of them held out for validation)",
                validation.validation().sampleCount());
        out.printf(Locale.ROOT, "data      %s: %,d training%s and %,d test samples, %,d features, %d class%s%n",
                source, data.train().sampleCount(), heldOut, data.test().sampleCount(),
                data.train().featureCount(), classes, classes == 1 ? "" : "es");
        String biasInit = networkSpec.biasInitializer().name().equals(TrainingDefaults.BIAS_INITIALIZER)
                ? "" : ", bias init " + networkSpec.biasInitializer().name();
        out.printf(Locale.ROOT, "network   %s, %s hidden, %s output, loss %s, init %s%s, %,d parameters%n",
                networkSpec.describeSizes(), networkSpec.hiddenActivation().cliName(),
                networkSpec.outputActivation().cliName(), networkSpec.loss().cliName(),
                networkSpec.initializer().name(), biasInit, network.parameterCount());
        int blasThreads = Blas.threadCount();
        String capped = blasThreads < threads ? " (this OpenBLAS build allows at most " + blasThreads + ")" : "";
        String schedule = optimizerOptions.describeSchedule(learningRate);
        String extras = (schedule == null ? "" : ", schedule " + schedule)
                + (validation == null ? "" : ", early stopping patience " + optimizerOptions.patience);
        String threadText = threadOption == null && blasThreads > 1
                ? "1 or " + blasThreads + " threads, the faster by measured step time"
                : blasThreads + (blasThreads == 1 ? " thread" : " threads");
        out.printf(Locale.ROOT, "training  %s%s, batch size %d, %d epoch%s, seed %d, OpenBLAS %s%s on %s%n",
                optimizer.describe(), extras, batchSize, epochs, epochs == 1 ? "" : "s", seed, threadText, capped,
                blas.coreName());
        out.flush();
    }

    /** Prints why training stopped and the test results of the restored best weights. */
    private static void printRestored(PrintWriter out, Trainer trainer, TrainTestSplit data, TrainingHistory history,
                                      EarlyStopping stopping) {
        if (history.stoppedEarly()) {
            out.printf(Locale.ROOT, "stopped   after epoch %d: no lower validation loss in %d epochs%n",
                    trainer.epoch(), stopping.epochsWithoutImprovement());
        }
        if (stopping.restored()) {
            Trainer.Evaluation test = trainer.evaluate(data.test());
            out.printf(Locale.ROOT, "restored  epoch %d, the lowest validation loss %s: test loss %s  test acc %.4f%n",
                    stopping.bestEpoch(), EpochLine.loss(stopping.bestLoss()), EpochLine.loss(test.loss()),
                    test.accuracy());
        }
        out.flush();
    }

    /**
     * Stops training with an error once an epoch's test loss is not finite. A non-finite training loss or gradient
     * never gets here, because {@link Trainer} stops at that step.
     */
    private static final class DivergenceCheck implements TrainingListener {

        @Override
        public void epochEnded(EpochRecord record) {
            if (record.hasTest() && !Double.isFinite(record.test().loss())) {
                throw new IllegalStateException("training diverged in epoch " + record.epoch() + ": the test loss is "
                        + record.test().loss() + "; use a smaller --lr or a smaller-scale --init");
            }
        }
    }

    private void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw optionError(option, String.valueOf(value), "it must be >= " + minimum);
        }
    }

    private ParameterException optionError(String option, String value, String reason) {
        return OptionChecks.optionError(spec.commandLine(), option, value, reason);
    }

    private static String joined(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    private static String tail(int[] sizes) {
        List<String> rest = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            rest.add(Integer.toString(sizes[i]));
        }
        return String.join(",", rest);
    }
}
