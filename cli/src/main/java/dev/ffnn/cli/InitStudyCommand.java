package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Blas;
import dev.ffnn.engine.InitializationStudy;
import dev.ffnn.engine.Initializer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.TrainingDefaults;
import dev.ffnn.engine.Workspace;
import dev.ffnn.engine.data.BatchOrder;
import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.IdxFiles;
import dev.ffnn.engine.data.TrainTestSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ffnn init-study}: builds a network under one or several initializers, runs one forward and one backward
 * pass on one batch without an update, and prints per layer how the variances of Z, A, δ and ∂W move through depth.
 */
@Command(name = "init-study", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Shows how weight initialization moves the variance of activations and errors through depth.",
                "Builds the network once per initializer with the same seed, runs one forward and one backward pass"
                        + " on one batch without updating, and prints one row per layer."})
final class InitStudyCommand implements Callable<Integer> {

    /** Header of the {@code --csv} file, followed by one row per initializer and layer. */
    static final String CSV_HEADER = "init,layer,fan_in,fan_out,activation,std,std_sampled,bound,bound_sampled,"
            + "var_z,var_a,var_delta,var_grad,saturated,dead,effective_width";

    @Spec
    CommandSpec spec;

    @Option(names = "--layers", paramLabel = "SIZES",
            description = "Layer sizes from input to output, comma-separated, e.g. 784,256,128,10. "
                    + "Replaces --depth, --width, --inputs and --classes.")
    String layersText;

    @Option(names = "--depth", paramLabel = "N", description = "Hidden layers, each --width neurons wide.")
    int depth = 10;

    @Option(names = "--width", paramLabel = "N", description = "Neurons per hidden layer.")
    int width = 256;

    @Option(names = "--inputs", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
            description = "Input size for standard-normal inputs. Default: --width.")
    Integer inputs;

    @Option(names = "--classes", paramLabel = "N",
            description = "Outputs (softmax classes) for standard-normal inputs, whose labels are drawn uniformly.")
    int classes = 10;

    @Option(names = "--activation", paramLabel = "NAME", converter = Converters.ActivationConverter.class,
            description = "Activation of the hidden layers: identity, sigmoid, tanh, relu or leaky-relu.")
    Activation activation = TrainingDefaults.HIDDEN_ACTIVATION;

    @Option(names = "--init", paramLabel = "NAMES", split = ",", converter = Converters.InitializerConverter.class,
            description = "Weight initializers to compare, comma-separated: " + Initializers.ALLOWED_NAMES + ".")
    List<Initializer> initializers = new ArrayList<>(List.of(Initializers.parse(TrainingDefaults.INITIALIZER)));

    @Option(names = "--bias-init", paramLabel = "NAME", converter = Converters.BiasInitializerConverter.class,
            description = "Bias initializer: an element-wise name of --init.")
    Initializer biasInitializer = Initializers.parse(TrainingDefaults.BIAS_INITIALIZER);

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples in the batch.")
    int batchSize = 1000;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights, the inputs and the labels.")
    long seed = TrainingDefaults.SEED;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Use the first --batch-size training samples of the MNIST-format IDX files in DIR"
                    + " (as ffnn train --data) instead of standard-normal inputs.")
    Path dataDirectory;

    @Option(names = "--threads", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
            description = "OpenBLAS threads. Default: the number of available processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write the table as CSV to FILE, one row per initializer and layer (columns: " + CSV_HEADER + ").")
    Path csvFile;

    @Override
    public Integer call() throws IOException {
        validateOptions();
        Blas.BlasInfo blas = Blas.load();
        Blas.setThreadCount(threads);
        PrintWriter out = spec.commandLine().getOut();

        try (TrainTestSplit data = dataDirectory == null ? null : IdxFiles.loadDirectory(dataDirectory);
             OutputFile csv = csvFile == null ? null : OutputFile.open(csvFile)) {
            int[] sizes = layerSizes(data == null ? null : data.train());
            int batch = data == null ? batchSize : Math.min(batchSize, data.train().sampleCount());
            NetworkSpec base = networkSpec(sizes, initializers.getFirst());
            requireMemory(data == null ? null : data.train(), sizes, batch);
            printHeader(out, base, batch, blas);
            if (csv != null) {
                csv.writer().println(CSV_HEADER);
            }

            for (Initializer initializer : initializers) {
                NetworkSpec networkSpec = networkSpec(sizes, initializer);
                try (Network network = Network.create(networkSpec, seed);
                     Workspace workspace = network.newWorkspace(batch)) {
                    fillBatch(workspace, data == null ? null : data.train());
                    List<InitializationStudy.Layer> layers = InitializationStudy.measure(network, workspace);
                    printTable(out, initializer, layers);
                    if (csv != null) {
                        writeCsv(csv.writer(), initializer, layers);
                        csv.checkErrors();
                    }
                }
            }
            if (csv != null) {
                csv.commit();
            }
        }
        return 0;
    }

    private void validateOptions() {
        requireAtLeast("--batch-size", batchSize, 1);
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--depth", depth, 1);
        requireAtLeast("--width", width, 1);
        requireAtLeast("--classes", classes, 2);
        if (inputs != null) {
            requireAtLeast("--inputs", inputs, 1);
        }
        if (initializers.isEmpty()) {
            throw optionError("--init", "''", "give at least one initializer name");
        }
        if (layersText != null) {
            for (String shape : new String[]{"--depth", "--width", "--inputs", "--classes"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(shape)) {
                    throw new ParameterException(spec.commandLine(),
                            "--layers gives every size already: drop " + shape + ", or drop --layers");
                }
            }
        }
        if (dataDirectory != null) {
            for (String shape : new String[]{"--inputs", "--classes"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(shape)) {
                    throw new ParameterException(spec.commandLine(),
                            "--data fixes the input size and the class count: drop " + shape);
                }
            }
            if (dataDirectory.toString().isEmpty()) {
                throw optionError("--data", "''", "give the directory of the IDX files");
            }
        }
        if (csvFile != null) {
            String problem = OutputFile.checkWritable(csvFile);
            if (problem != null) {
                throw optionError("--csv", csvFile.toString(), problem);
            }
        }
    }

    /** Returns the layer sizes from --layers, or from --depth and --width with the inputs and classes of the data or the options. */
    private int[] layerSizes(Dataset data) {
        int[] sizes = layerSizes(data, layersText, depth, width, inputs, classes);
        if (data != null && sizes[0] != data.featureCount()) {
            throw optionError("--layers", layersText, "the first size must be the data's feature count " + data.featureCount());
        }
        if (data != null && sizes[sizes.length - 1] < data.classCount()) {
            throw optionError("--layers", layersText, "the last size must be at least the data's class count " + data.classCount());
        }
        return sizes;
    }

    /** Returns the layer sizes that the given values of --layers, --depth, --width, --inputs and --classes give. */
    private int[] layerSizes(Dataset data, String layers, int hiddenLayers, int hiddenWidth, Integer inputSize,
                             int classCount) {
        if (layers != null) {
            return parseLayers(layers);
        }
        int[] sizes = new int[hiddenLayers + 2];
        java.util.Arrays.fill(sizes, hiddenWidth);
        if (data != null) {
            sizes[0] = data.featureCount();
        } else if (inputSize != null) {
            sizes[0] = inputSize;
        }
        sizes[hiddenLayers + 1] = data != null ? Math.max(2, data.classCount()) : classCount;
        return sizes;
    }

    private int[] parseLayers(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 2) {
            throw optionError("--layers", text, "give the input size and at least one more size, e.g. 256,256,10");
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String digits = parts[i].strip();
            if (!digits.matches("[0-9]{1,9}") || Integer.parseInt(digits) < 1) {
                throw optionError("--layers", text, "'" + parts[i] + "' is not a layer size; give positive integers such as 256,256,10");
            }
            sizes[i] = Integer.parseInt(digits);
        }
        return sizes;
    }

    private NetworkSpec networkSpec(int[] sizes, Initializer initializer) {
        try {
            return new NetworkSpec(sizes, activation, Activation.IDENTITY, Loss.SOFTMAX_CROSS_ENTROPY, initializer,
                    biasInitializer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /**
     * Rejects a network and batch that would not fit in the machine's physical memory. The error names the option
     * that, set back to its default, lowers the need the most, so a huge --depth, --width or --batch-size is named
     * as the cause. It gives the memory of the parameters and of the batch's activations apart.
     */
    private void requireMemory(Dataset data, int[] sizes, int batch) {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        NetworkSpec networkSpec = networkSpec(sizes, initializers.getFirst());
        long parameterBytes = saturatedBytes(networkSpec, 0);
        long batchBytes = saturatedBytes(networkSpec, batch) - parameterBytes;
        long needed = saturatedBytes(networkSpec, batch);
        if (needed <= physical) {
            return;
        }
        InitStudyCommand defaults = new InitStudyCommand();
        String blamed = layersText != null ? "--layers" : "--width";
        long best = Long.MAX_VALUE;
        for (String option : new String[]{"--layers", "--depth", "--width", "--inputs", "--classes", "--batch-size"}) {
            if (!spec.commandLine().getParseResult().hasMatchedOption(option)) {
                continue;
            }
            int[] otherSizes = layerSizes(data, option.equals("--layers") ? null : layersText,
                    option.equals("--depth") ? defaults.depth : depth, option.equals("--width") ? defaults.width : width,
                    option.equals("--inputs") ? defaults.inputs : inputs,
                    option.equals("--classes") ? defaults.classes : classes);
            int otherBatch = option.equals("--batch-size") ? Math.min(batch, defaults.batchSize) : batch;
            long need = saturatedBytes(networkSpec(otherSizes, initializers.getFirst()), otherBatch);
            if (need < best) {
                best = need;
                blamed = option;
            }
        }
        String value = switch (blamed) {
            case "--layers" -> layersText;
            case "--depth" -> String.valueOf(depth);
            case "--inputs" -> String.valueOf(inputs);
            case "--classes" -> String.valueOf(classes);
            case "--batch-size" -> String.valueOf(batchSize);
            default -> String.valueOf(width);
        };
        throw optionError(blamed, value, String.format(Locale.ROOT, "this needs about %.1f GB of memory (%.1f GB for"
                        + " the parameters of %,d layers, %.1f GB for the activations of a batch of %,d) but the machine"
                        + " has %.1f GB; use a smaller %s", needed / 1e9, parameterBytes / 1e9, sizes.length - 1,
                batchBytes / 1e9, batch, physical / 1e9, blamed));
    }

    /** Returns the bytes of the network and a workspace for {@code batch} samples (none for 0), or Long.MAX_VALUE on overflow. */
    private static long saturatedBytes(NetworkSpec networkSpec, int batch) {
        try {
            return Math.addExact(networkSpec.networkByteSize(), batch == 0 ? 0 : networkSpec.workspaceByteSize(batch));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private void fillBatch(Workspace workspace, Dataset data) {
        if (data == null) {
            InitializationStudy.fillStandardNormal(workspace, seed);
            return;
        }
        int count = workspace.batchSize();
        data.copyBatch(BatchOrder.identity(count).indices(), 0, count, workspace.input(), workspace.labels());
    }

    private void printHeader(PrintWriter out, NetworkSpec networkSpec, int batch, Blas.BlasInfo blas) {
        int layerCount = networkSpec.layerCount();
        out.printf(Locale.ROOT, "network   %s, %d layer%s, %s hidden, identity output, loss cross-entropy, bias init %s%n",
                networkSpec.describeSizes(), layerCount, layerCount == 1 ? "" : "s", activation.cliName(),
                biasInitializer.name());
        String source = dataDirectory != null ? "the first samples of " + dataDirectory
                : "standard-normal inputs and uniform random labels";
        out.printf(Locale.ROOT, "batch     %,d samples: %s, seed %d, one forward and backward pass, no update,"
                + " OpenBLAS on %s%n", batch, source, seed, blas.coreName());
        out.flush();
    }

    private static void printTable(PrintWriter out, Initializer initializer, List<InitializationStudy.Layer> layers) {
        out.println();
        out.println("init " + initializer.name());
        out.printf(Locale.ROOT, "%5s %6s %7s %10s %11s %10s %13s %10s %10s %10s %10s %9s %6s %5s%n",
                "layer", "fan_in", "fan_out", "std", "std_sampled", "bound", "bound_sampled",
                "var_z", "var_a", "var_delta", "var_grad", "saturated", "dead", "width");
        for (InitializationStudy.Layer layer : layers) {
            out.printf(Locale.ROOT, "%5d %6d %7d %10s %11s %10s %13s %10s %10s %10s %10s %9s %6s %5d%n",
                    layer.layer() + 1, layer.fanIn(), layer.fanOut(),
                    number(layer.exactStd()), measured(layer.sampledStd()),
                    number(layer.exactBound()), measured(layer.sampledBound()),
                    measured(layer.preActivationVariance()), measured(layer.activationVariance()),
                    measured(layer.errorVariance()), measured(layer.weightGradientVariance()),
                    fraction(layer.saturatedFraction()), fraction(layer.deadFraction()), layer.effectiveWidth());
        }
        // Hidden layers only: the output layer has another width and activation
        int lastHidden = layers.size() - 2;
        if (lastHidden >= 1) {
            InitializationStudy.Layer first = layers.getFirst();
            InitializationStudy.Layer last = layers.get(lastHidden);
            out.printf(Locale.ROOT, "var_z layer %d / layer 1: %s   var_delta layer 1 / layer %d: %s%n",
                    lastHidden + 1, measured(last.preActivationVariance() / first.preActivationVariance()),
                    lastHidden + 1, measured(first.errorVariance() / last.errorVariance()));
        }
        out.flush();
    }

    private static void writeCsv(PrintWriter writer, Initializer initializer, List<InitializationStudy.Layer> layers) {
        for (InitializationStudy.Layer layer : layers) {
            writer.println(String.join(",", csvText(initializer.name()), String.valueOf(layer.layer() + 1),
                    String.valueOf(layer.fanIn()), String.valueOf(layer.fanOut()), layer.activation().cliName(),
                    csvNumber(layer.exactStd()), String.valueOf(layer.sampledStd()),
                    csvNumber(layer.exactBound()), String.valueOf(layer.sampledBound()),
                    String.valueOf(layer.preActivationVariance()), String.valueOf(layer.activationVariance()),
                    String.valueOf(layer.errorVariance()), String.valueOf(layer.weightGradientVariance()),
                    csvNumber(layer.saturatedFraction()), csvNumber(layer.deadFraction()),
                    String.valueOf(layer.effectiveWidth())));
        }
    }

    /** Quotes a name that contains a comma or a quote, as RFC 4180 does. */
    private static String csvText(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** Returns the full-precision value, or an empty field for a value that does not apply (NaN). */
    private static String csvNumber(double value) {
        return Double.isNaN(value) ? "" : String.valueOf(value);
    }

    /** Formats a column that may not apply to the layer: NaN, which marks that, prints as {@code -}. */
    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4g", value);
    }

    /**
     * Formats a measured value, which always applies: an overflow prints as {@code inf} or {@code -inf} and an
     * undefined result (such as inf − inf) as {@code nan}, never as the {@code -} of a column that does not apply.
     */
    static String measured(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static String fraction(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw optionError(option, String.valueOf(value), "it must be >= " + minimum);
        }
    }

    private ParameterException optionError(String option, String value, String reason) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + value + ": " + reason);
    }
}
