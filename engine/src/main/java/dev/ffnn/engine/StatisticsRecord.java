package dev.ffnn.engine;

import java.util.List;

/**
 * The statistics of every layer at one training step, as {@link TrainingListener#statisticsRecorded} receives them.
 *
 * <p>Weights and biases are those after the step's update; Z, A, δ and the gradients are those of the step's
 * batch, from the forward and backward pass the update used. The record taken before the first update of a run
 * has {@code stepInEpoch == 0} and NaN update ratios.
 *
 * @param step         steps taken when the record was made, counting those of a resumed run (0 before training)
 * @param epoch        1-based epoch of the step, or the epochs done for a record taken before the first update
 * @param stepInEpoch  1-based step within its epoch, 0 before the first update
 * @param batchSize    samples in the step's batch
 * @param learningRate learning rate of the step (for a record before any update, the rate the first step uses)
 * @param loss         mean loss of the batch, measured before the update
 * @param gradientNorm Euclidean norm of all gradients together, ‖∂L/∂θ‖
 * @param layers       statistics of each layer, first layer first
 */
public record StatisticsRecord(long step, int epoch, int stepInEpoch, int batchSize, double learningRate, double loss,
                               double gradientNorm, List<LayerStatistics> layers) {

    public StatisticsRecord {
        layers = List.copyOf(layers);
    }

    /** Returns true when the loss, the gradient norm and the statistics of every tensor are finite. */
    public boolean isFinite() {
        if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
            return false;
        }
        for (LayerStatistics layer : layers) {
            for (TensorStatistics tensor : layer.tensors().values()) {
                if (!tensor.isFinite()) {
                    return false;
                }
            }
        }
        return true;
    }
}
