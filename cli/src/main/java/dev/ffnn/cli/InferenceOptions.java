package dev.ffnn.cli;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Blas;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.TrainingDefaults;
import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.io.ModelFile;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** The options {@code eval} and {@code predict} share (a picocli mixin): the model file, batch size, threads, seed and output. */
final class InferenceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL",
            description = "Model file (safetensors) from ffnn train --save or --checkpoint-dir, or from another tool"
                    + " with tensors layers.N.weight [fanIn, fanOut] and layers.N.bias [fanOut] in F64.")
    Path modelFile;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per forward pass.")
    int batchSize = 256;

    @Option(names = "--threads", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
            description = "OpenBLAS threads. Default: the number of available processors.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--seed", paramLabel = "N", showDefaultValue = Help.Visibility.NEVER,
            description = "Seed of the built-in data set, as given to ffnn train. Default: the seed in the model file,"
                    + " else " + TrainingDefaults.SEED + ".")
    long seed = TrainingDefaults.SEED;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the output to FILE instead of standard output.")
    Path outFile;

    /** Checks the options before any file is read. */
    void validate(DataOptions data) {
        if (batchSize < 1) {
            throw OptionChecks.optionError(spec.commandLine(), "--batch-size", String.valueOf(batchSize), "it must be >= 1");
        }
        if (threads < 1) {
            throw OptionChecks.optionError(spec.commandLine(), "--threads", String.valueOf(threads), "it must be >= 1");
        }
        if (modelFile.toString().isEmpty()) {
            throw OptionChecks.optionError(spec.commandLine(), "MODEL", "''", "give a model file");
        }
        CommandFiles files = new CommandFiles(spec.commandLine()).input("MODEL", modelFile).output("--out", outFile);
        data.addInputs(files);
        files.check();
    }

    /**
     * Loads the model. A file without ffnn's metadata gets the default activations, loss and initializer of
     * {@code ffnn train}. Without data options, {@code data} takes the built-in data set the model records
     * (see {@link DataOptions#useModelData}).
     *
     * @throws IOException if the file cannot be read or is not a model
     */
    Network loadModel(DataOptions data) throws IOException {
        NetworkSpec defaults = new NetworkSpec(new int[]{1, 2}, TrainingDefaults.HIDDEN_ACTIVATION,
                TrainingDefaults.OUTPUT_ACTIVATION, TrainingDefaults.LOSS, Initializers.parse(TrainingDefaults.INITIALIZER));
        ModelFile model = ModelFile.read(modelFile);
        boolean seedGiven = spec.commandLine().getParseResult().hasMatchedOption("--seed");
        if (!seedGiven && model.metadata().containsKey(ModelFile.SEED)) {
            seed = model.metadataLong(ModelFile.SEED, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        seed = data.useModelData(modelFile, model.metadata(), seed, seedGiven);
        return model.load(defaults);
    }

    /** The part of {@code eval} or {@code predict} that writes its output for a loaded model and test set. */
    @FunctionalInterface
    interface Output {
        void write(PrintWriter out, Network network, Dataset data) throws IOException;
    }

    /**
     * Runs {@code eval} or {@code predict}: checks the options, loads OpenBLAS, the model and the test data, then
     * writes {@code output} to standard output, or to {@code --out} through a temporary file renamed into place.
     *
     * @return the exit status, 0
     */
    int run(DataOptions data, Output output) throws IOException {
        data.validateTestOnly();
        validate(data);
        Blas.load();
        Blas.setThreadCount(threads);
        try (Network network = loadModel(data);
             Dataset test = data.loadTest(seed, network.spec())) {
            if (outFile == null) {
                output.write(spec.commandLine().getOut(), network, test);
            } else {
                try (OutputFile out = OutputFile.open(outFile)) {
                    output.write(out.writer(), network, test);
                    out.commit();
                }
            }
        }
        return 0;
    }

    /** Describes the network for the header line of {@code eval}. */
    static String describe(Network network) {
        NetworkSpec spec = network.spec();
        Activation hidden = spec.hiddenActivation();
        return spec.describeSizes() + ", " + hidden.cliName() + " hidden, " + spec.outputActivation().cliName()
                + " output, loss " + spec.loss().cliName() + ", " + String.format("%,d", network.parameterCount())
                + " parameters";
    }
}
