package dev.ffnn.cli;

import dev.ffnn.engine.Blas;
import dev.ffnn.engine.Inference;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code ffnn predict}: the predicted class and the class probabilities of every sample, as CSV. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Writes the predicted class and the class probabilities of every test sample as CSV:",
                "sample,label,predicted,p0,p1,... (columns out0,out1,... hold the raw outputs for losses other than"
                        + " cross-entropy). Writes to standard output unless --out is given.",
                "The data is the t10k files of --data, the --test files, or the test half of a built-in data set."})
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws IOException {
        dataOptions.validateTestOnly();
        inference.validate(dataOptions);
        Blas.load();
        Blas.setThreadCount(inference.threads);
        try (Network network = inference.loadModel();
             Dataset data = dataOptions.loadTest(inference.seed)) {
            if (inference.outFile == null) {
                write(spec.commandLine().getOut(), network, data);
            } else {
                try (OutputFile out = OutputFile.open(inference.outFile)) {
                    write(out.writer(), network, data);
                    out.commit();
                }
            }
        }
        return 0;
    }

    private void write(PrintWriter out, Network network, Dataset data) {
        String prefix = network.spec().loss() == Loss.SOFTMAX_CROSS_ENTROPY ? "p" : "out";
        StringBuilder header = new StringBuilder("sample,label,predicted");
        for (int k = 0; k < network.spec().outputSize(); k++) {
            header.append(',').append(prefix).append(k);
        }
        out.println(header);
        StringBuilder line = new StringBuilder();
        Inference.run(network, data, inference.batchSize, (sample, label, predicted, outputs) -> {
            line.setLength(0);
            line.append(sample).append(',').append(label).append(',').append(predicted);
            for (double value : outputs) {
                line.append(',').append(value);
            }
            out.println(line);
        });
        out.flush();
    }
}
