package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Blas;
import dev.ffnn.engine.Initializer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.LayerStatistics;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingDefaults;
import dev.ffnn.engine.data.IdxFiles;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code ffnn train}: trains a network with SGD and prints one line per epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Trains a fully connected network with mini-batch SGD and prints one line per epoch.",
                "Without --data or --train/--test it trains on a built-in synthetic data set (--dataset)."})
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with the four MNIST-format IDX files: train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                    + "t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte, each raw or gzip (.gz).")
    Path dataDirectory;

    @Option(names = "--train", paramLabel = "IMAGES,LABELS", split = ",",
            description = "Training IDX files: images and labels, comma-separated. Needs --test.")
    List<Path> trainFiles;

    @Option(names = "--test", paramLabel = "IMAGES,LABELS", split = ",",
            description = "Test IDX files: images and labels, comma-separated. Needs --train.")
    List<Path> testFiles;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Built-in synthetic data set used when no data files are given: xor, spirals or blobs.")
    String dataset = "spirals";

    @Option(names = "--samples", paramLabel = "N",
            description = "Training samples of the synthetic data set; its test set has half as many.")
    int samples = 10_000;

    @Option(names = "--layers", paramLabel = "SIZES", split = ",",
            description = "Layer sizes from input to output, comma-separated, e.g. 784,256,128,10. "
                    + "Default: the data's feature count, 64, 64, its class count.")
    int[] layers;

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
            description = "Weight initializer: " + Initializers.ALLOWED_NAMES + ". Biases start at 0.")
    Initializer initializer = Initializers.parse(TrainingDefaults.INITIALIZER);

    @Option(names = "--lr", paramLabel = "RATE", description = "SGD learning rate.")
    double learningRate = TrainingDefaults.LEARNING_RATE;

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set.")
    int epochs = TrainingDefaults.EPOCHS;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per SGD step.")
    int batchSize = TrainingDefaults.BATCH_SIZE;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the weights, the batch order and synthetic data; the same seed gives the same run.")
    long seed = TrainingDefaults.SEED;

    @Option(names = "--threads", paramLabel = "N",
            description = "OpenBLAS threads. Default: the number of available processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "Write the per-epoch results as CSV to FILE (columns: " + MetricsCsv.HEADER + ").")
    Path metricsFile;

    @Option(names = "--stats", paramLabel = "FILE",
            description = "Write per-layer statistics of a fixed probe batch as CSV to FILE, "
                    + "before training (epoch 0) and after each epoch; the README lists the columns.")
    Path statsFile;

    @Override
    public Integer call() throws IOException {
        validateOptions();
        Blas.BlasInfo blas = Blas.load();
        Blas.setThreadCount(threads);
        PrintWriter out = spec.commandLine().getOut();

        try (TrainTestSplit data = loadData()) {
            NetworkSpec networkSpec = networkSpec(data);
            try (Network network = Network.create(networkSpec, seed);
                 Trainer trainer = new Trainer(network, new Sgd(learningRate), batchSize, seed);
                 OutputFile metrics = metricsFile == null ? null : OutputFile.open(metricsFile);
                 OutputFile stats = statsFile == null ? null : OutputFile.open(statsFile)) {
                printHeader(out, data, network, blas);
                MetricsCsv metricsCsv = metrics == null ? null : new MetricsCsv(metrics.writer());
                StatsCsv statsCsv = stats == null ? null : new StatsCsv(stats.writer());
                if (statsCsv != null) {
                    statsCsv.write(0, trainer.probeStatistics(data.train()));
                }

                for (int epoch = 1; epoch <= epochs; epoch++) {
                    Trainer.EpochResult result = trainer.trainEpoch(data.train());
                    requireFinite(result);
                    Trainer.Evaluation test = trainer.evaluate(data.test());
                    out.println(EpochLine.format(result, epochs, test));
                    out.flush();
                    if (metricsCsv != null) {
                        metricsCsv.write(result, test);
                    }
                    if (statsCsv != null) {
                        statsCsv.write(epoch, trainer.probeStatistics(data.train()));
                    }
                }

                if (metrics != null) {
                    metrics.commit();
                }
                if (stats != null) {
                    stats.commit();
                }
            }
        }
        return 0;
    }

    private void validateOptions() {
        requireAtLeast("--epochs", epochs, 1);
        requireAtLeast("--batch-size", batchSize, 1);
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--samples", samples, 1);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw optionError("--lr", String.valueOf(learningRate), "it must be a finite number > 0, e.g. 0.1");
        }

        if (layers != null) {
            if (layers.length < 2) {
                throw optionError("--layers", joined(layers), "give the input size and at least one more size, e.g. 784,128,10");
            }
            for (int size : layers) {
                if (size < 1) {
                    throw optionError("--layers", joined(layers), "every size must be >= 1");
                }
            }
        }

        boolean files = trainFiles != null || testFiles != null;
        if (dataDirectory != null && files) {
            throw new ParameterException(spec.commandLine(), "--data and --train/--test both give data: use one of them");
        }
        if (files && (trainFiles == null || testFiles == null)) {
            throw new ParameterException(spec.commandLine(), (trainFiles == null ? "--test" : "--train")
                    + " needs " + (trainFiles == null ? "--train" : "--test") + " too: give both IMAGES,LABELS pairs");
        }
        requirePair("--train", trainFiles);
        requirePair("--test", testFiles);
        if (!SyntheticDatasets.NAMES.contains(dataset)) {
            throw optionError("--dataset", dataset, "allowed: " + String.join(", ", SyntheticDatasets.NAMES));
        }

        requireWritable("--metrics", metricsFile);
        requireWritable("--stats", statsFile);
        if (metricsFile != null && statsFile != null
                && metricsFile.toAbsolutePath().normalize().equals(statsFile.toAbsolutePath().normalize())) {
            throw optionError("--stats", statsFile.toString(), "it is the same file as --metrics; give two file names");
        }
    }

    private TrainTestSplit loadData() throws IOException {
        if (dataDirectory != null) {
            return IdxFiles.loadDirectory(dataDirectory);
        }
        if (trainFiles != null) {
            var train = IdxFiles.load(trainFiles.get(0), trainFiles.get(1));
            try {
                return new TrainTestSplit(train, IdxFiles.load(testFiles.get(0), testFiles.get(1)));
            } catch (IOException | RuntimeException e) {
                train.close();
                throw e;
            }
        }
        return SyntheticDatasets.trainTest(dataset, samples, Math.max(1, samples / 2), seed);
    }

    /** Builds the network spec, checking --layers against the data (an option error, exit status 2). */
    private NetworkSpec networkSpec(TrainTestSplit data) {
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
            return new NetworkSpec(sizes, activation, outputActivation, loss, initializer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private void printHeader(PrintWriter out, TrainTestSplit data, Network network, Blas.BlasInfo blas) {
        NetworkSpec networkSpec = network.spec();
        out.printf(Locale.ROOT, "data      %s: %,d training and %,d test samples, %d features, %d classes%n",
                data.train().name(), data.train().sampleCount(), data.test().sampleCount(),
                data.train().featureCount(), data.train().classCount());
        out.printf(Locale.ROOT, "network   %s, %s hidden, %s output, loss %s, init %s, %,d parameters%n",
                networkSpec.describeSizes(), networkSpec.hiddenActivation().cliName(),
                networkSpec.outputActivation().cliName(), networkSpec.loss().cliName(),
                networkSpec.initializer().name(), network.parameterCount());
        out.printf(Locale.ROOT, "training  sgd lr %s, batch size %d, %d epochs, seed %d, OpenBLAS %d thread(s) on %s%n",
                learningRate, batchSize, epochs, seed, threads, blas.coreName());
        out.flush();
    }

    private static void requireFinite(Trainer.EpochResult result) {
        if (!Double.isFinite(result.loss())) {
            throw new IllegalStateException("training diverged in epoch " + result.epoch() + ": the training loss is "
                    + result.loss() + "; use a smaller --lr or a smaller-scale --init");
        }
    }

    private void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw optionError(option, String.valueOf(value), "it must be >= " + minimum);
        }
    }

    private void requirePair(String option, List<Path> files) {
        if (files != null && files.size() != 2) {
            throw optionError(option, files.stream().map(Path::toString).collect(Collectors.joining(",")),
                    "give exactly two files, IMAGES,LABELS");
        }
    }

    private void requireWritable(String option, Path file) {
        if (file != null) {
            String problem = OutputFile.checkWritable(file);
            if (problem != null) {
                throw optionError(option, file.toString(), problem);
            }
        }
    }

    private ParameterException optionError(String option, String value, String reason) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + value + ": " + reason);
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
