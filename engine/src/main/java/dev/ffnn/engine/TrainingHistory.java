package dev.ffnn.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The per-epoch results of a {@link Trainer#fit} call, in epoch order, for library users to read after
 * training. It grows as {@code fit} runs; the list views it returns are read-only.
 */
public final class TrainingHistory {

    private final List<EpochRecord> epochs = new ArrayList<>();
    private final List<StatisticsRecord> statistics = new ArrayList<>();
    private boolean stoppedEarly;

    void add(EpochRecord record) {
        epochs.add(record);
    }

    void addStatistics(StatisticsRecord record) {
        statistics.add(record);
    }

    /**
     * Returns the statistics records of the run, oldest first; empty unless the trainer collected statistics.
     * Every record stays in memory until the history is dropped.
     */
    public List<StatisticsRecord> statistics() {
        return Collections.unmodifiableList(statistics);
    }

    void markStoppedEarly() {
        stoppedEarly = true;
    }

    /** Returns every epoch's record, oldest first. */
    public List<EpochRecord> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Returns the last epoch's record. @throws IllegalStateException if no epoch has run */
    public EpochRecord last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has run yet");
        }
        return epochs.getLast();
    }

    /** Returns true if a listener asked {@link Trainer#requestStop()} before the planned last epoch. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** Returns the training loss of each epoch, oldest first. */
    public double[] trainLoss() {
        return epochs.stream().mapToDouble(r -> r.train().loss()).toArray();
    }

    /** Returns the training accuracy of each epoch, oldest first. */
    public double[] trainAccuracy() {
        return epochs.stream().mapToDouble(r -> r.train().accuracy()).toArray();
    }

    /** Returns the test loss of each epoch, NaN where there was no test set. */
    public double[] testLoss() {
        return epochs.stream().mapToDouble(r -> r.hasTest() ? r.test().loss() : Double.NaN).toArray();
    }

    /** Returns the test accuracy of each epoch, NaN where there was no test set. */
    public double[] testAccuracy() {
        return epochs.stream().mapToDouble(r -> r.hasTest() ? r.test().accuracy() : Double.NaN).toArray();
    }
}
