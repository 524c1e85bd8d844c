package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;

import java.io.PrintWriter;
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
                "epoch %" + width + "d/%d  train loss %s  train acc %.4f  test loss %s  test acc %.4f  %.3f s  %,.0f samples/s",
                train.epoch(), epochs, loss(train.loss()), train.accuracy(), loss(test.loss()), test.accuracy(),
                train.seconds(), train.samplesPerSecond());
    }

    /** Formats a loss with 4 decimals, or in scientific notation once it reaches 10⁵, so a huge loss stays short. */
    static String loss(double value) {
        return String.format(Locale.ROOT, Math.abs(value) < 1e5 ? "%.4f" : "%.4e", value);
    }

    /** Prints one line per epoch and flushes it, so a pipe gets each epoch as it ends. */
    static final class Printer implements TrainingListener {

        private final PrintWriter out;
        private final int epochs;

        Printer(PrintWriter out, int epochs) {
            this.out = out;
            this.epochs = epochs;
        }

        @Override
        public void epochEnded(EpochRecord record) {
            out.println(format(record.train(), epochs, record.test()));
            out.flush();
        }
    }
}
