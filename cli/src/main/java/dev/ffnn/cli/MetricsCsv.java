package dev.ffnn.cli;

import dev.ffnn.engine.Trainer;

import java.io.PrintWriter;

/** Writes one CSV row of results per epoch, under the header {@value #HEADER}. */
final class MetricsCsv {

    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second";

    private final PrintWriter writer;

    MetricsCsv(PrintWriter writer) {
        this.writer = writer;
        writer.println(HEADER);
    }

    void write(Trainer.EpochResult train, Trainer.Evaluation test) {
        writer.println(train.epoch() + "," + train.loss() + "," + train.accuracy() + "," + test.loss() + ","
                + test.accuracy() + "," + train.seconds() + "," + train.samplesPerSecond());
    }
}
