package dev.ffnn.cli;

import dev.ffnn.engine.LayerStatistics;

import java.io.PrintWriter;
import java.util.List;

/**
 * Writes per-layer statistics as CSV, one row per epoch and layer, under the header {@value #HEADER}.
 *
 * <p>Epoch 0 is the network before training. Layers are numbered from 1, the first hidden layer.
 */
final class StatsCsv {

    static final String HEADER = "epoch,layer,fan_in,fan_out,weight_mean,weight_std,bias_mean,"
            + "z_mean,z_var,a_mean,a_var,delta_var,grad_w_norm,grad_b_norm";

    private final PrintWriter writer;

    StatsCsv(PrintWriter writer) {
        this.writer = writer;
        writer.println(HEADER);
    }

    void write(int epoch, List<LayerStatistics> layers) {
        for (LayerStatistics s : layers) {
            writer.println(epoch + "," + (s.layer() + 1) + "," + s.fanIn() + "," + s.fanOut() + ","
                    + s.weightMean() + "," + s.weightStd() + "," + s.biasMean() + ","
                    + s.preActivationMean() + "," + s.preActivationVariance() + ","
                    + s.activationMean() + "," + s.activationVariance() + "," + s.errorVariance() + ","
                    + s.weightGradientNorm() + "," + s.biasGradientNorm());
        }
    }
}
