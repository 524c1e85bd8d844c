package dev.ffnn.engine;

/**
 * Thrown by {@link Trainer#fit} when the loss, a parameter, a gradient or another tensor of a step is NaN or
 * infinite. Training stops at that step; the network keeps the non-finite values for inspection.
 */
public final class TrainingDivergedException extends IllegalStateException {

    private final int epoch;
    private final long step;

    TrainingDivergedException(String message, int epoch, long step) {
        super(message);
        this.epoch = epoch;
        this.step = step;
    }

    /** Returns the 1-based epoch of the step that diverged. */
    public int epoch() {
        return epoch;
    }

    /** Returns the number of the step that diverged, counted from the start of training. */
    public long step() {
        return step;
    }
}
