package dev.ffnn.engine;

import dev.ffnn.engine.data.Dataset;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Early stopping on a validation set. After each epoch it evaluates the network on the validation set and keeps a
 * copy of the parameters with the lowest validation loss so far. Once {@code patience} epochs in a row have not
 * lowered that loss, it calls {@link Trainer#requestStop()}. When training ends, it copies the best parameters back
 * into the network.
 *
 * <p>An epoch improves when its validation loss is below the best so far by more than {@code minDelta}; the first
 * epoch always does, and a NaN loss never does. When training ends without an improvement (0 epochs trained),
 * nothing is restored. The network's parameters are restored only in {@link #trainingEnded}, so they are not restored
 * when a listener's exception ends {@link Trainer#fit} early.
 *
 * <p>Lifetime: the copy of the parameters lives in a shared arena that this listener owns, from
 * {@link #trainingStarted} until {@link #close()}. One instance serves one {@link Trainer#fit} call at a time.
 */
public final class EarlyStopping implements TrainingListener, AutoCloseable {

    private final Dataset validation;
    private final int patience;
    private final double minDelta;
    private final Arena arena = Arena.ofShared();
    private MemorySegment bestParameters; // θ of the best epoch, parameterCount doubles
    private Trainer trainer;
    private double bestLoss;
    private int bestEpoch;
    private int epochsWithoutImprovement;
    private Trainer.Evaluation lastEvaluation;
    private boolean restored;

    /**
     * @param validation the held-out samples to evaluate after each epoch, not trained on
     * @param patience   epochs in a row without improvement after which training stops, ≥ 1
     * @param minDelta   how much lower than the best the loss must be to count as an improvement, ≥ 0
     * @throws IllegalArgumentException if {@code patience < 1} or {@code minDelta} is negative or not finite
     */
    public EarlyStopping(Dataset validation, int patience, double minDelta) {
        this.validation = Objects.requireNonNull(validation, "validation");
        if (patience < 1) {
            throw new IllegalArgumentException("patience " + patience + " is invalid: it must be >= 1");
        }
        if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
            throw new IllegalArgumentException("minimum improvement " + minDelta
                    + " is invalid: it must be a finite number >= 0");
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void trainingStarted(Trainer trainer, int epochsDone) {
        this.trainer = trainer;
        long count = trainer.network().parameterCount();
        if (bestParameters == null || bestParameters.byteSize() != count * Double.BYTES) {
            bestParameters = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
        }
        bestLoss = Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        epochsWithoutImprovement = 0;
        lastEvaluation = null;
        restored = false;
    }

    @Override
    public void epochEnded(EpochRecord record) {
        lastEvaluation = trainer.evaluate(validation);
        if (lastEvaluation.loss() < bestLoss - minDelta) {
            bestLoss = lastEvaluation.loss();
            bestEpoch = record.epoch();
            epochsWithoutImprovement = 0;
            bestParameters.copyFrom(trainer.network().parameters());
        } else {
            epochsWithoutImprovement++;
            if (epochsWithoutImprovement >= patience) {
                trainer.requestStop();
            }
        }
    }

    /** Copies the parameters of the best epoch back into the network, if an epoch was trained. */
    @Override
    public void trainingEnded(TrainingHistory history) {
        if (bestEpoch > 0) {
            trainer.network().parameters().copyFrom(bestParameters);
            restored = true;
        }
    }

    /** Returns the validation loss and accuracy of the last epoch, or null before the first epoch ends. */
    public Trainer.Evaluation lastEvaluation() {
        return lastEvaluation;
    }

    /** Returns the lowest validation loss so far, or +∞ before the first epoch ends. */
    public double bestLoss() {
        return bestLoss;
    }

    /** Returns the epoch with the lowest validation loss so far, 0 before the first epoch ends. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Returns the number of epochs in a row, up to the last, that did not improve on the best. */
    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    /** Returns whether training ended with the parameters of {@link #bestEpoch()} copied back into the network. */
    public boolean restored() {
        return restored;
    }

    public int patience() {
        return patience;
    }

    /** Frees the copy of the best parameters; closing twice has no effect. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
