package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingHistory;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.TrainingStep;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the progress of each epoch on stderr while it runs: batches done, samples per second, the running mean
 * loss of the epoch and the time left.
 *
 * <p>On a terminal this is a progress bar from {@code me.tongfei:progressbar}, redrawn in place. Elsewhere (a file,
 * a pipe, a test) it prints a plain line, without control characters, once per interval. A step only adds to
 * counters and reads the clock, so it allocates nothing until a line or the bar's message is due.
 */
final class Progress implements TrainingListener {

    /** How often the bar's message with the running loss changes, in nanoseconds. */
    private static final long BAR_MESSAGE_INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter err;
    private final PrintStream terminal; // null: plain lines
    private final int epochs;
    private final int sampleCount;
    private final long lineIntervalNanos;
    private int batchesPerEpoch;
    private ProgressBar bar;
    private long epochStartNanos;
    private long lastOutputNanos;
    private long samplesDone;
    private double lossSum;

    /**
     * @param err           the writer for plain lines
     * @param terminal      the terminal stream for a progress bar, or null for plain lines
     * @param sampleCount   training samples per epoch
     * @param lineSeconds   seconds between plain lines
     */
    Progress(PrintWriter err, PrintStream terminal, int epochs, int sampleCount, double lineSeconds) {
        this.err = err;
        this.terminal = terminal;
        this.epochs = epochs;
        this.sampleCount = sampleCount;
        this.lineIntervalNanos = (long) (lineSeconds * 1e9);
    }

    /**
     * Returns true when a progress bar can be drawn: the JVM has a console attached to a terminal.
     *
     * <p>NOTE: {@link java.io.Console#isTerminal()} looks at standard input and output, so a run with only stderr
     * redirected ({@code 2>log}) still gets the bar's carriage returns in its log; {@code --quiet} avoids them.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void trainingStarted(Trainer trainer, int epochsDone) {
        batchesPerEpoch = (sampleCount + trainer.batchSize() - 1) / trainer.batchSize();
        startEpoch();
    }

    @Override
    public void stepEnded(TrainingStep step) {
        samplesDone += step.batchSize();
        lossSum += step.loss() * step.batchSize();
        long now = System.nanoTime();
        if (terminal != null) {
            if (bar == null) {
                bar = newBar(step.epoch());
            }
            bar.stepTo(samplesDone);
            if (now - lastOutputNanos >= BAR_MESSAGE_INTERVAL_NANOS) {
                bar.setExtraMessage(String.format(Locale.ROOT, " batch %d/%d  loss %s", step.stepInEpoch(),
                        batchesPerEpoch, EpochLine.loss(lossSum / samplesDone)));
                lastOutputNanos = now;
            }
        } else if (now - lastOutputNanos >= lineIntervalNanos) {
            err.println(line(step.epoch(), step.stepInEpoch(), now));
            err.flush();
            lastOutputNanos = now;
        }
    }

    @Override
    public void epochEnded(EpochRecord record) {
        close();
        startEpoch();
    }

    @Override
    public void trainingEnded(TrainingHistory history) {
        close();
    }

    /** Closes the progress bar of an unfinished epoch, if any; training calls this whether it ends or fails. */
    void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /**
     * Returns a plain progress line such as
     * {@code epoch 2/10  batch 120/469  15,360/60,000 samples  64,210 samples/s  loss 0.4321  2.9 s left}.
     */
    String line(int epoch, int stepInEpoch, long nowNanos) {
        double seconds = (nowNanos - epochStartNanos) / 1e9;
        double samplesPerSecond = samplesDone / seconds;
        double secondsLeft = (sampleCount - samplesDone) / samplesPerSecond;
        int width = Integer.toString(epochs).length();
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d  batch %d/%d  %,d/%,d samples  %,.0f samples/s"
                        + "  loss %s  %.1f s left", epoch, epochs, stepInEpoch, batchesPerEpoch, samplesDone,
                sampleCount, samplesPerSecond, EpochLine.loss(lossSum / samplesDone), secondsLeft);
    }

    private void startEpoch() {
        epochStartNanos = System.nanoTime();
        lastOutputNanos = epochStartNanos;
        samplesDone = 0;
        lossSum = 0;
    }

    private ProgressBar newBar(int epoch) {
        return new ProgressBarBuilder()
                .setTaskName("epoch " + epoch + "/" + epochs)
                .setInitialMax(sampleCount)
                .setUnit(" samples", 1)
                .showSpeed()
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                .setConsumer(new ConsoleProgressBarConsumer(terminal))
                .clearDisplayOnFinish()
                .build();
    }
}
