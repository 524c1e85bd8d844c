package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.LayerStatistics;
import dev.ffnn.engine.StatisticsRecord;
import dev.ffnn.engine.TensorStatistics;

import java.io.PrintWriter;
import java.util.Map;

/**
 * Writes statistics as long-form CSV under the header {@value #HEADER}: one value per row.
 *
 * <p>Configuration rows come first, with only {@code statistic} ({@code config.KEY}) and {@code value} set. Rows
 * of a whole step or epoch leave {@code layer} and {@code tensor} empty; layer-level rows leave {@code tensor}
 * empty. Layers are numbered from 1. Numbers are written with Java's shortest round-trip form, such as
 * {@code 0.0123} or {@code 1.0E-5}, and non-finite values as {@code NaN}, {@code Infinity} and {@code -Infinity}.
 */
final class StatisticsCsv implements StatisticsFile.RecordWriter {

    static final String HEADER = "step,epoch,layer,tensor,statistic,value";

    private final PrintWriter out;
    private final StringBuilder row = new StringBuilder(64);

    /** @param header false when appending to a file that has the header already */
    StatisticsCsv(PrintWriter out, boolean header) {
        this.out = out;
        if (header) {
            out.println(HEADER);
        }
    }

    @Override
    public void writeConfiguration(Map<String, Object> configuration) {
        for (Map.Entry<String, Object> entry : configuration.entrySet()) {
            Object value = entry.getValue();
            String text = value instanceof int[] sizes ? StatisticsFile.joinSizes(sizes) : String.valueOf(value);
            out.println(",,,,config." + entry.getKey() + "," + quote(text));
        }
        out.flush();
    }

    @Override
    public void writeStatistics(StatisticsRecord record) {
        String prefix = record.step() + "," + record.epoch() + ",";
        write(prefix, "", "", "loss", record.loss());
        write(prefix, "", "", "gradient_norm", record.gradientNorm());
        write(prefix, "", "", "learning_rate", record.learningRate());
        write(prefix, "", "", "batch_size", record.batchSize());
        for (LayerStatistics layer : record.layers()) {
            String number = Integer.toString(layer.layer() + 1);
            for (Map.Entry<LayerStatistics.Tensor, TensorStatistics> entry : layer.tensors().entrySet()) {
                String tensor = entry.getKey().fileName();
                TensorStatistics s = entry.getValue();
                write(prefix, number, tensor, "count", s.count());
                write(prefix, number, tensor, "mean", s.mean());
                write(prefix, number, tensor, "variance", s.variance());
                write(prefix, number, tensor, "std", s.std());
                write(prefix, number, tensor, "min", s.min());
                write(prefix, number, tensor, "max", s.max());
                write(prefix, number, tensor, "norm", s.norm());
                if (s.histogram() != null) {
                    long[] bins = s.histogram();
                    for (int b = 0; b < bins.length; b++) {
                        write(prefix, number, tensor, "bin_" + b, bins[b]);
                    }
                }
            }
            writeIfDefined(prefix, number, "update_ratio", layer.updateRatio());
            writeIfDefined(prefix, number, "dead_fraction", layer.deadFraction());
            writeIfDefined(prefix, number, "saturated_fraction", layer.saturatedFraction());
            write(prefix, number, "", "effective_width", layer.effectiveWidth());
        }
        out.flush();
    }

    @Override
    public void writeEpoch(EpochRecord record, long step) {
        String prefix = step + "," + record.epoch() + ",";
        write(prefix, "", "", "train_loss", record.train().loss());
        write(prefix, "", "", "train_accuracy", record.train().accuracy());
        if (record.hasTest()) {
            write(prefix, "", "", "test_loss", record.test().loss());
            write(prefix, "", "", "test_accuracy", record.test().accuracy());
        }
        write(prefix, "", "", "epoch_learning_rate", record.learningRate());
        write(prefix, "", "", "seconds", record.train().seconds());
        out.flush();
    }

    private void writeIfDefined(String prefix, String layer, String statistic, double value) {
        if (!Double.isNaN(value)) {
            write(prefix, layer, "", statistic, value);
        }
    }

    private void write(String prefix, String layer, String tensor, String statistic, double value) {
        row.setLength(0);
        row.append(prefix).append(layer).append(',').append(tensor).append(',').append(statistic).append(',').append(value);
        out.println(row);
    }

    private void write(String prefix, String layer, String tensor, String statistic, long value) {
        row.setLength(0);
        row.append(prefix).append(layer).append(',').append(tensor).append(',').append(statistic).append(',').append(value);
        out.println(row);
    }

    /** Quotes a field as RFC 4180 requires when it contains a comma, a quote or a line break. */
    static String quote(String field) {
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
