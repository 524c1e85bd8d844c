package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Summary statistics of one layer after a forward and a backward pass of one batch.
 *
 * <p>Means and variances are over every element of the tensor (population variance, divided by the count),
 * computed in two passes for accuracy. Norms are Euclidean (Frobenius for matrices).
 *
 * @param layer              0-based layer index
 * @param fanIn              rows of W
 * @param fanOut             columns of W
 * @param weightMean         mean of W
 * @param weightStd          standard deviation of W
 * @param biasMean           mean of b
 * @param preActivationMean  mean of Z over the batch
 * @param preActivationVariance variance of Z over the batch
 * @param activationMean     mean of A = g(Z) over the batch
 * @param activationVariance variance of A over the batch
 * @param errorVariance      variance of δ = ∂L/∂Z over the batch
 * @param weightGradientNorm ‖∂L/∂W‖
 * @param biasGradientNorm   ‖∂L/∂b‖
 */
public record LayerStatistics(int layer, int fanIn, int fanOut, double weightMean, double weightStd, double biasMean,
                              double preActivationMean, double preActivationVariance, double activationMean,
                              double activationVariance, double errorVariance, double weightGradientNorm,
                              double biasGradientNorm) {

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    /**
     * Collects the statistics of every layer from a network and the workspace of its last forward and backward
     * pass.
     */
    public static List<LayerStatistics> collect(Network network, Workspace workspace) {
        List<LayerStatistics> result = new ArrayList<>(network.layers().size());
        for (DenseLayer layer : network.layers()) {
            int l = layer.index();
            MemorySegment weights = layer.weights().segment();
            long weightCount = layer.weights().elementCount();
            MemorySegment z = workspace.preActivations(l).segment();
            MemorySegment a = workspace.activations(l).segment();
            MemorySegment delta = workspace.errors(l).segment();
            long batchCount = workspace.preActivations(l).elementCount();
            double weightMean = mean(weights, weightCount);
            double zMean = mean(z, batchCount);
            double aMean = mean(a, batchCount);
            result.add(new LayerStatistics(l, layer.fanIn(), layer.fanOut(),
                    weightMean, Math.sqrt(variance(weights, weightCount, weightMean)),
                    mean(layer.bias(), layer.fanOut()),
                    zMean, variance(z, batchCount, zMean),
                    aMean, variance(a, batchCount, aMean),
                    variance(delta, batchCount, mean(delta, batchCount)),
                    norm(layer.weightGradient().segment(), weightCount),
                    norm(layer.biasGradient(), layer.fanOut())));
        }
        return result;
    }

    /** Returns the mean of the first {@code count} doubles of {@code values}, or NaN when count is 0. */
    static double mean(MemorySegment values, long count) {
        double sum = 0.0;
        for (long i = 0; i < count; i++) {
            sum += values.getAtIndex(DOUBLE, i);
        }
        return sum / count;
    }

    /**
     * Returns the population variance around a given mean, with the compensation term of the corrected two-pass
     * algorithm (Chan, Golub and LeVeque, 1983) so rounding in the mean does not bias the result.
     */
    static double variance(MemorySegment values, long count, double mean) {
        double squares = 0.0;
        double compensation = 0.0;
        for (long i = 0; i < count; i++) {
            double deviation = values.getAtIndex(DOUBLE, i) - mean;
            squares += deviation * deviation;
            compensation += deviation;
        }
        if (Double.isInfinite(squares)) {
            // The correction would be ∞ − ∞ = NaN; the variance itself overflows
            return squares;
        }
        return (squares - compensation * compensation / count) / count;
    }

    /** Returns the Euclidean norm of the first {@code count} doubles, scaled to avoid overflow. */
    static double norm(MemorySegment values, long count) {
        double scale = 0.0;
        for (long i = 0; i < count; i++) {
            scale = Math.max(scale, Math.abs(values.getAtIndex(DOUBLE, i)));
        }
        if (scale == 0.0 || !Double.isFinite(scale)) {
            return scale;
        }
        double sum = 0.0;
        for (long i = 0; i < count; i++) {
            double scaled = values.getAtIndex(DOUBLE, i) / scale;
            sum += scaled * scaled;
        }
        return scale * Math.sqrt(sum);
    }
}
