package dev.ffnn.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.LayerStatistics;
import dev.ffnn.engine.StatisticsRecord;
import dev.ffnn.engine.TensorStatistics;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes statistics as JSON Lines: one JSON object per line, whose {@code "record"} field is {@code "config"},
 * {@code "statistics"} or {@code "epoch"}.
 *
 * <p>JSON has no NaN or infinity, so those values are written as the strings {@code "NaN"}, {@code "Infinity"}
 * and {@code "-Infinity"}. Layer-level measures that do not apply (a NaN update ratio, dead fraction or saturated
 * fraction) are left out. Layers are numbered from 1.
 */
final class StatisticsJsonLines implements StatisticsFile.RecordWriter {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private final PrintWriter out;

    StatisticsJsonLines(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void writeConfiguration(Map<String, Object> configuration) {
        writeLine(json -> {
            json.writeStringField("record", "config");
            for (Map.Entry<String, Object> entry : configuration.entrySet()) {
                json.writeFieldName(entry.getKey());
                switch (entry.getValue()) {
                    case int[] sizes -> json.writeArray(sizes, 0, sizes.length);
                    case Integer number -> json.writeNumber(number);
                    case Long number -> json.writeNumber(number);
                    case Double number -> json.writeNumber(number);
                    case Object other -> json.writeString(String.valueOf(other));
                }
            }
        });
    }

    @Override
    public void writeStatistics(StatisticsRecord record) {
        writeLine(json -> {
            json.writeStringField("record", "statistics");
            json.writeNumberField("step", record.step());
            json.writeNumberField("epoch", record.epoch());
            json.writeNumberField("step_in_epoch", record.stepInEpoch());
            json.writeNumberField("batch_size", record.batchSize());
            json.writeNumberField("learning_rate", record.learningRate());
            json.writeNumberField("loss", record.loss());
            json.writeNumberField("gradient_norm", record.gradientNorm());
            json.writeArrayFieldStart("layers");
            for (LayerStatistics layer : record.layers()) {
                writeLayer(json, layer);
            }
            json.writeEndArray();
        });
    }

    private static void writeLayer(JsonGenerator json, LayerStatistics layer) throws IOException {
        json.writeStartObject();
        json.writeNumberField("layer", layer.layer() + 1);
        json.writeNumberField("fan_in", layer.fanIn());
        json.writeNumberField("fan_out", layer.fanOut());
        json.writeStringField("activation", layer.activation().cliName());
        writeIfDefined(json, "update_ratio", layer.updateRatio());
        writeIfDefined(json, "dead_fraction", layer.deadFraction());
        writeIfDefined(json, "saturated_fraction", layer.saturatedFraction());
        json.writeNumberField("effective_width", layer.effectiveWidth());
        json.writeObjectFieldStart("tensors");
        for (Map.Entry<LayerStatistics.Tensor, TensorStatistics> entry : layer.tensors().entrySet()) {
            TensorStatistics s = entry.getValue();
            json.writeObjectFieldStart(entry.getKey().fileName());
            json.writeNumberField("count", s.count());
            json.writeNumberField("mean", s.mean());
            json.writeNumberField("variance", s.variance());
            json.writeNumberField("std", s.std());
            json.writeNumberField("min", s.min());
            json.writeNumberField("max", s.max());
            json.writeNumberField("norm", s.norm());
            if (s.histogram() != null) {
                json.writeFieldName("histogram");
                json.writeArray(s.histogram(), 0, s.histogram().length);
            }
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    @Override
    public void writeEpoch(EpochRecord record, long step) {
        writeLine(json -> {
            json.writeStringField("record", "epoch");
            json.writeNumberField("epoch", record.epoch());
            json.writeNumberField("step", step);
            json.writeNumberField("train_loss", record.train().loss());
            json.writeNumberField("train_accuracy", record.train().accuracy());
            if (record.hasTest()) {
                json.writeNumberField("test_loss", record.test().loss());
                json.writeNumberField("test_accuracy", record.test().accuracy());
            }
            json.writeNumberField("learning_rate", record.learningRate());
            json.writeNumberField("seconds", record.train().seconds());
        });
    }

    private static void writeIfDefined(JsonGenerator json, String name, double value) throws IOException {
        if (!Double.isNaN(value)) {
            json.writeNumberField(name, value);
        }
    }

    /** The fields of one record, written between the braces of its object. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    /**
     * Builds one object's whole line, then writes and flushes it, so every record finished before a crash is kept
     * whole. A crash during the write itself can leave a partial last line, which readers skip.
     */
    private void writeLine(Fields fields) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = FACTORY.createGenerator(line)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail; the generator declares IOException for other targets
            throw new UncheckedIOException(e);
        }
        out.println(line);
        out.flush();
    }
}
