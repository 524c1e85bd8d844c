package dev.ffnn.engine;

import dev.ffnn.engine.data.BatchOrder;
import dev.ffnn.engine.data.Dataset;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Runs a network forward over a whole data set, in file order, and reports each sample's predicted class and
 * class probabilities. {@link ClassificationReport#evaluate} and {@code ffnn predict} are built on it.
 *
 * <p>The probabilities are the softmax of the logits for {@link Loss#SOFTMAX_CROSS_ENTROPY}, and the output
 * layer's activations as they are for other losses (for MSE they need not sum to 1). The predicted class is the
 * arg max of the outputs, the first on ties, as in {@link Network#countCorrect}.
 */
public final class Inference {

    /** Receives one sample; the {@code outputs} array is reused for the next sample. */
    @FunctionalInterface
    public interface SampleConsumer {

        /**
         * @param sample    the sample's index in the data set
         * @param label     its label in the data set
         * @param predicted the arg max of {@code outputs}
         * @param outputs   the class probabilities (see the class comment), {@code outputSize} values
         */
        void accept(int sample, int label, int predicted, double[] outputs);
    }

    private Inference() {
    }

    /**
     * Runs {@code network} over every sample of {@code data} in batches of {@code batchSize} and passes each
     * sample to {@code consumer}.
     *
     * @return the mean loss over the samples
     * @throws IllegalArgumentException if the data does not fit the network, or {@code batchSize < 1}
     * @throws IllegalStateException    if the network or the data set is closed
     */
    public static double run(Network network, Dataset data, int batchSize, SampleConsumer consumer) {
        network.requireOpen();
        NetworkSpec spec = network.spec();
        if (data.featureCount() != spec.inputSize() || data.classCount() > spec.outputSize()) {
            throw new IllegalArgumentException("data set '" + data.name() + "' has " + count(data.featureCount(), "feature")
                    + " and " + count(data.classCount(), "class") + " but the network " + spec.describeSizes()
                    + " takes " + count(spec.inputSize(), "feature") + " and has " + count(spec.outputSize(), "output"));
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }

        int samples = data.sampleCount();
        int classes = spec.outputSize();
        boolean softmax = spec.loss() == Loss.SOFTMAX_CROSS_ENTROPY;
        int[] order = BatchOrder.identity(samples).indices();
        double[] outputs = new double[classes];
        double lossSum = 0;
        int full = Math.min(batchSize, samples);
        try (Workspace fullBatch = network.newWorkspace(full);
             Workspace lastBatch = network.newWorkspace(samples % full == 0 ? full : samples % full)) {
            for (int from = 0; from < samples; from += full) {
                Workspace workspace = samples - from >= full ? fullBatch : lastBatch;
                int count = workspace.batchSize();
                data.copyBatch(order, from, count, workspace.input(), workspace.labels());
                network.forward(workspace);
                lossSum += network.loss(workspace) * count;
                MemorySegment output = workspace.output().segment();
                for (int i = 0; i < count; i++) {
                    MemorySegment.copy(output, ValueLayout.JAVA_DOUBLE, (long) i * classes * Double.BYTES,
                            outputs, 0, classes);
                    int predicted = argMax(outputs);
                    if (softmax) {
                        softmaxInPlace(outputs);
                    }
                    consumer.accept(from + i, workspace.labels().getAtIndex(ValueLayout.JAVA_INT, i), predicted, outputs);
                }
            }
        }
        return lossSum / samples;
    }

    private static int argMax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Replaces logits by their softmax, subtracting the maximum first so no exponential overflows. */
    private static void softmaxInPlace(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value);
        }
        double sum = 0;
        for (int k = 0; k < values.length; k++) {
            values[k] = Math.exp(values[k] - max);
            sum += values[k];
        }
        for (int k = 0; k < values.length; k++) {
            values[k] /= sum;
        }
    }

    /** Returns {@code "1 feature"} or {@code "3 features"}; {@code "class"} becomes {@code "classes"}. */
    static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s");
    }
}
