package dev.ffnn.cli;

import dev.ffnn.engine.ClassificationReport;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.data.Dataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ffnn eval}: the loss, accuracy, per-class precision and recall, and confusion matrix of a model. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Evaluates a model file on test data: loss, accuracy, precision and recall per class,"
                + " and the confusion matrix.",
                "The data is the t10k files of --data, the --test files, or the test half of a built-in data set."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    InferenceOptions inference;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws IOException {
        return inference.run(dataOptions, (out, network, data) ->
                print(out, network, data, ClassificationReport.evaluate(network, data, inference.batchSize)));
    }

    private void print(PrintWriter out, Network network, Dataset data, ClassificationReport report) {
        int classes = report.classCount();
        long samples = report.sampleCount();
        long correct = Math.round(report.accuracy() * samples);
        out.printf(Locale.ROOT, "model     %s: %s%n", inference.modelFile, InferenceOptions.describe(network));
        out.printf(Locale.ROOT, "data      %s: %,d samples%n", dataOptions.describeTestSource(data, inference.seed), samples);
        out.printf(Locale.ROOT, "loss      %s%n", EpochLine.loss(report.loss()));
        out.printf(Locale.ROOT, "accuracy  %.4f (%,d of %,d)%n", report.accuracy(), correct, samples);
        out.println();
        out.println("class  precision  recall  samples");
        for (int k = 0; k < classes; k++) {
            long actual = 0;
            for (long count : report.confusion()[k]) {
                actual += count;
            }
            out.printf(Locale.ROOT, "%5d  %9s  %6s  %7d%n", k, fraction(report.precision(k)), fraction(report.recall(k)), actual);
        }
        out.println();
        printConfusion(out, report);
        out.flush();
    }

    /** Prints the confusion matrix with right-aligned columns as wide as its largest count. */
    private static void printConfusion(PrintWriter out, ClassificationReport report) {
        int classes = report.classCount();
        out.println("confusion matrix (rows: label, columns: predicted class)");
        long[][] confusion = report.confusion();
        int width = 1;
        for (long[] row : confusion) {
            for (long count : row) {
                width = Math.max(width, Long.toString(count).length());
            }
        }
        width = Math.max(width, Integer.toString(classes - 1).length()) + 2;
        StringBuilder header = new StringBuilder(" ".repeat(5));
        for (int k = 0; k < classes; k++) {
            header.append(String.format(Locale.ROOT, "%" + width + "d", k));
        }
        out.println(header);
        for (int t = 0; t < classes; t++) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%5d", t));
            for (int p = 0; p < classes; p++) {
                line.append(String.format(Locale.ROOT, "%" + width + "d", confusion[t][p]));
            }
            out.println(line);
        }
    }

    /** Formats a fraction with 4 decimals, or {@code -} when it is undefined (no sample in its denominator). */
    private static String fraction(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.4f", value);
    }
}
