package dev.ffnn.engine;

/**
 * Receives the events of {@link Trainer#fit}: the start and end of training, the end of every step and of every
 * epoch, and each statistics record. The CLI's epoch lines, CSV files, checkpoints and early stopping are all listeners.
 *
 * <p>Every method has an empty default. Listeners run on the training thread, in the order they were given.
 * {@link #stepEnded} runs once per step, so it must be cheap and must not allocate when it has nothing to do.
 * An exception thrown by a listener stops training and propagates out of {@link Trainer#fit}, after
 * {@link #trainingEnded} is skipped.
 */
public interface TrainingListener {

    /**
     * Called once before the first step of {@link Trainer#fit}, with the trainer and the epoch it resumes after
     * (0 for a fresh run).
     */
    default void trainingStarted(Trainer trainer, int epochsDone) {
    }

    /**
     * Called after every optimizer step. The view is reused from step to step, so read it and do not keep it.
     * The workspace still contains the batch's Z, A and δ, and the network's gradient segment contains the
     * gradients of the update. The parameters are already updated.
     */
    default void stepEnded(TrainingStep step) {
    }

    /**
     * Called with each statistics record of a trainer that collects statistics (see
     * {@link Trainer#collectStatistics}): before the first update, after each due step (following
     * {@link #stepEnded} of that step), and at a step that diverged, before {@link Trainer#fit} throws.
     */
    default void statisticsRecorded(StatisticsRecord record) {
    }

    /** Called after each epoch, once its test evaluation (if any) is done. */
    default void epochEnded(EpochRecord record) {
    }

    /** Called once when {@link Trainer#fit} finishes normally, after the last epoch or a stop request. */
    default void trainingEnded(TrainingHistory history) {
    }
}
