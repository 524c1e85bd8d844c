package dev.ffnn.engine.data;

import java.util.Objects;

/**
 * A training set and a test set with the same feature count, closed together.
 *
 * @param train the samples to train on
 * @param test  the held-out samples to evaluate on
 */
public record TrainTestSplit(Dataset train, Dataset test) implements AutoCloseable {

    /**
     * Checks that both sets are present and agree on the feature count.
     *
     * @throws IllegalArgumentException if the feature counts differ
     */
    public TrainTestSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        if (train.featureCount() != test.featureCount()) {
            throw new IllegalArgumentException("training set '" + train.name() + "' has "
                    + Counts.of(train.featureCount(), "feature") + " but test set '" + test.name() + "' has "
                    + Counts.of(test.featureCount(), "feature")
                    + ": pass a test set with the same features");
        }
    }

    /** Closes both sets. The test set is closed even if closing the training set throws. */
    @Override
    public void close() {
        try {
            train.close();
        } finally {
            test.close();
        }
    }
}
