package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;

import java.io.PrintWriter;

/** Writes one CSV row of results per epoch, under the header {@value #HEADER}. */
final class MetricsCsv implements TrainingListener {

    static final String HEADER = "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second";

    private final OutputFile file;
    private final PrintWriter writer;

    MetricsCsv(OutputFile file) {
        this.file = file;
        this.writer = file.writer();
        writer.println(HEADER);
    }

    @Override
    public void epochEnded(EpochRecord record) {
        Trainer.EpochResult train = record.train();
        Trainer.Evaluation test = record.test();
        writer.println(train.epoch() + "," + train.loss() + "," + train.accuracy() + ","
                + (test == null ? "" : test.loss()) + "," + (test == null ? "" : test.accuracy()) + ","
                + train.seconds() + "," + train.samplesPerSecond());
        file.checkErrorsUnchecked();
    }
}
