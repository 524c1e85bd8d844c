package dev.ffnn.engine;

/**
 * The learning rate of each epoch. {@link Trainer#fit} calls {@link #rate} at the start of every epoch and sets
 * the result on the optimizer. A schedule depends only on the epoch number, so a resumed run gets the same rates.
 */
@FunctionalInterface
public interface LearningRateSchedule {

    /**
     * Returns the learning rate of {@code epoch}.
     *
     * @param baseRate    the rate the run was configured with
     * @param epoch       1-based epoch number
     * @param totalEpochs the planned number of epochs of the run
     */
    double rate(double baseRate, int epoch, int totalEpochs);

    /** Returns the schedule that keeps the base rate. */
    static LearningRateSchedule constant() {
        return (baseRate, epoch, totalEpochs) -> baseRate;
    }
}
