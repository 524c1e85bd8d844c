package dev.ffnn.cli;

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
        description = {"Writes the predicted class and the class probabilities of every test sample as CSV.",
                "Columns: sample,label,predicted,p0,p1,... (columns out0,out1,... hold the raw outputs for losses other"
                        + " than cross-entropy). Writes to standard output unless --out is given.",
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
        return inference.run(dataOptions, this::write);
    }

    /**
     * Writes the CSV. The header goes out with the first row, after every check has passed, so a failed run
     * leaves nothing on standard output. A file without labels ({@code --label-column none}) gets an empty label
     * column.
     */
    private void write(PrintWriter out, Network network, Dataset data) {
        int inputs = network.spec().inputSize();
        if (dataOptions.testCsv != null && !dataOptions.isUnlabeled() && data.featureCount() + 1 == inputs) {
            throw new IllegalArgumentException(dataOptions.testCsv + " has " + data.featureCount() + " feature"
                    + (data.featureCount() == 1 ? "" : "s") + " beside its label column but the network "
                    + network.spec().describeSizes() + " takes " + inputs + "; if the file has no label column,"
                    + " pass --label-column none");
        }
        String prefix = network.spec().loss() == Loss.SOFTMAX_CROSS_ENTROPY ? "p" : "out";
        StringBuilder header = new StringBuilder("sample,label,predicted");
        for (int k = 0; k < network.spec().outputSize(); k++) {
            header.append(',').append(prefix).append(k);
        }
        boolean labelled = !dataOptions.isUnlabeled();
        StringBuilder line = new StringBuilder();
        Inference.run(network, data, inference.batchSize, (sample, label, predicted, outputs) -> {
            if (sample == 0) {
                out.println(header);
            }
            line.setLength(0);
            line.append(sample).append(',').append(labelled ? String.valueOf(label) : "").append(',').append(predicted);
            for (double value : outputs) {
                line.append(',').append(value);
            }
            out.println(line);
        });
        out.flush();
    }
}
