package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.LayerStatistics;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.data.Dataset;

import java.io.PrintWriter;
import java.util.List;

/**
 * Writes per-layer statistics of a fixed probe batch as CSV, one row per epoch and layer, under the header
 * {@value #HEADER}.
 *
 * <p>Epoch 0 is the network before training. Layers are numbered from 1, the first hidden layer.
 */
final class StatsCsv implements TrainingListener {

    static final String HEADER = "epoch,layer,fan_in,fan_out,weight_mean,weight_std,bias_mean,"
            + "z_mean,z_var,a_mean,a_var,delta_var,grad_w_norm,grad_b_norm";

    private final OutputFile file;
    private final PrintWriter writer;
    private final Dataset probeData;
    private Trainer trainer;

    /** @param probeData the data set whose first batch is the probe */
    StatsCsv(OutputFile file, Dataset probeData) {
        this.file = file;
        this.writer = file.writer();
        this.probeData = probeData;
        writer.println(HEADER);
    }

    @Override
    public void trainingStarted(Trainer trainer, int epochsDone) {
        this.trainer = trainer;
        write(epochsDone, trainer.probeStatistics(probeData));
    }

    @Override
    public void epochEnded(EpochRecord record) {
        write(record.epoch(), trainer.probeStatistics(probeData));
    }

    void write(int epoch, List<LayerStatistics> layers) {
        for (LayerStatistics s : layers) {
            writer.println(epoch + "," + (s.layer() + 1) + "," + s.fanIn() + "," + s.fanOut() + ","
                    + s.weightMean() + "," + s.weightStd() + "," + s.biasMean() + ","
                    + s.preActivationMean() + "," + s.preActivationVariance() + ","
                    + s.activationMean() + "," + s.activationVariance() + "," + s.errorVariance() + ","
                    + s.weightGradientNorm() + "," + s.biasGradientNorm());
        }
        file.checkErrorsUnchecked();
    }
}
