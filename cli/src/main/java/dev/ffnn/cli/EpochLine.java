package dev.ffnn.cli;

import dev.ffnn.engine.Trainer;

import java.util.Locale;

/** Formats the progress line printed after each epoch. */
final class EpochLine {

    private EpochLine() {
    }

    /**
     * Returns a line such as
     * {@code epoch  3/10  train loss 0.4121  train acc 0.8712  test loss 0.4410  test acc 0.8421  1.93 s  31,088 samples/s}.
     */
    static String format(Trainer.EpochResult train, int epochs, Trainer.Evaluation test) {
        int width = Integer.toString(epochs).length();
        return String.format(Locale.ROOT,
                "epoch %" + width + "d/%d  train loss %.4f  train acc %.4f  test loss %.4f  test acc %.4f  %.3f s  %,.0f samples/s",
                train.epoch(), epochs, train.loss(), train.accuracy(), test.loss(), test.accuracy(), train.seconds(),
                train.samplesPerSecond());
    }
}
