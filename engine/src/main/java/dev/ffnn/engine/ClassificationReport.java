package dev.ffnn.engine;

import dev.ffnn.engine.data.Dataset;

/**
 * The loss, accuracy and confusion matrix of a network on a data set.
 *
 * @param loss      mean loss per sample
 * @param confusion {@code confusion[t][p]} counts the samples with label {@code t} predicted as class {@code p},
 *                  square with one row per network output
 */
public record ClassificationReport(double loss, long[][] confusion) {

    public ClassificationReport {
        long[][] copy = new long[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        confusion = copy;
    }

    /**
     * Evaluates {@code network} on every sample of {@code data}, in batches of {@code batchSize}.
     *
     * @throws IllegalArgumentException if the data does not fit the network
     * @throws IllegalStateException    if the network or the data set is closed
     */
    public static ClassificationReport evaluate(Network network, Dataset data, int batchSize) {
        int classes = network.spec().outputSize();
        long[][] confusion = new long[classes][classes];
        double loss = Inference.run(network, data, batchSize,
                (sample, label, predicted, outputs) -> confusion[label][predicted]++);
        return new ClassificationReport(loss, confusion);
    }

    @Override
    public long[][] confusion() {
        return new ClassificationReport(loss, confusion).confusion;
    }

    public int classCount() {
        return confusion.length;
    }

    /** Returns the number of samples evaluated. */
    public long sampleCount() {
        long total = 0;
        for (long[] row : confusion) {
            for (long count : row) {
                total += count;
            }
        }
        return total;
    }

    /** Returns the fraction of samples predicted as their label. */
    public double accuracy() {
        long correct = 0;
        for (int k = 0; k < confusion.length; k++) {
            correct += confusion[k][k];
        }
        return (double) correct / sampleCount();
    }

    /** Returns the fraction of samples predicted as class {@code k} that have label {@code k}; NaN if none was. */
    public double precision(int k) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[k];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[k][k] / predicted;
    }

    /** Returns the fraction of samples with label {@code k} that were predicted as {@code k}; NaN if none has it. */
    public double recall(int k) {
        long actual = 0;
        for (long count : confusion[k]) {
            actual += count;
        }
        return actual == 0 ? Double.NaN : (double) confusion[k][k] / actual;
    }
}
