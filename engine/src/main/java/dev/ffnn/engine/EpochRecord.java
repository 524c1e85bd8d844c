package dev.ffnn.engine;

/**
 * The results of one epoch of {@link Trainer#fit}.
 *
 * @param epoch        1-based epoch number, counting resumed epochs
 * @param train        loss and accuracy over the epoch's batches, each measured before its update
 * @param test         loss and accuracy of the network after the epoch on the test set, or null when
 *                     {@code fit} was given no test set
 * @param learningRate the learning rate in force during the epoch
 */
public record EpochRecord(int epoch, Trainer.EpochResult train, Trainer.Evaluation test, double learningRate) {

    /** Returns true if {@link #test()} is present. */
    public boolean hasTest() {
        return test != null;
    }
}
