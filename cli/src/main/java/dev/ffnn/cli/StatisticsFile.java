package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.StatisticsRecord;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Streams the statistics of a training run to a file: first the configuration, then every statistics record and a
 * result record per epoch, each flushed as it is written so a run that crashes or is stopped keeps them.
 */
final class StatisticsFile implements TrainingListener {

    /** The file formats, chosen by {@code --stats-format} or the file name's extension. */
    enum Format {
        /** Long-form CSV, one value per row. */
        CSV,
        /** JSON Lines, one record per line. */
        JSONL;

        /** Returns the format a file name's extension implies, or null when it implies none. */
        static Format fromExtension(Path file) {
            String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv")) {
                return CSV;
            }
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return JSONL;
            }
            return null;
        }
    }

    /** Writes records in one format; each method writes complete records and flushes them. */
    interface RecordWriter {

        void writeConfiguration(Map<String, Object> configuration);

        void writeStatistics(StatisticsRecord record);

        /** Writes one epoch's results; {@code step} is the number of steps taken when the epoch ended. */
        void writeEpoch(EpochRecord record, long step);
    }

    private final OutputFile file;
    private final RecordWriter writer;
    private final Map<String, Object> settings;
    private Trainer trainer;

    /**
     * @param settings configuration entries the trainer does not know (version, data, epochs, statistics interval),
     *                 written after the network and optimizer entries
     */
    StatisticsFile(OutputFile file, Format format, Map<String, Object> settings) {
        this(file, format, settings, false);
    }

    /** @param appending true when the file already has the records of the run this one resumes, and its header */
    StatisticsFile(OutputFile file, Format format, Map<String, Object> settings, boolean appending) {
        this.file = file;
        this.writer = format == Format.CSV ? new StatisticsCsv(file.writer(), !appending)
                : new StatisticsJsonLines(file.writer());
        this.settings = settings;
    }

    /**
     * Returns null when a resumed run can append to {@code file} in {@code format}: the file is missing, empty, or
     * starts as this class writes that format. Otherwise returns why it cannot.
     */
    static String checkAppendable(Path file, Format format) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            return null;
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(4096);
        }
        String text = new String(start, StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        String firstLine = (end < 0 ? text : text.substring(0, end)).strip();
        boolean matches = format == Format.CSV ? firstLine.equals(StatisticsCsv.HEADER)
                : firstLine.startsWith("{\"record\":\"config\"");
        return matches ? null : "it does not start like a " + (format == Format.CSV ? "CSV" : "JSON Lines")
                + " statistics file written by ffnn train --stats";
    }

    /** Returns the configuration record's entries for a run of {@code trainer}, in the order they are written. */
    static Map<String, Object> configuration(Trainer trainer, Map<String, Object> settings) {
        NetworkSpec spec = trainer.network().spec();
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("ffnn_version", FfnnCommand.version());
        configuration.put("layers", spec.layerSizes());
        configuration.put("hidden_activation", spec.hiddenActivation().cliName());
        configuration.put("output_activation", spec.outputActivation().cliName());
        configuration.put("loss", spec.loss().cliName());
        configuration.put("initializer", spec.initializer().name());
        configuration.put("bias_initializer", spec.biasInitializer().name());
        configuration.put("parameters", trainer.network().parameterCount());
        configuration.put("optimizer", trainer.optimizer().describe());
        configuration.put("batch_size", trainer.batchSize());
        configuration.put("seed", trainer.seed());
        configuration.putAll(settings);
        return configuration;
    }

    @Override
    public void trainingStarted(Trainer trainer, int epochsDone) {
        this.trainer = trainer;
        writer.writeConfiguration(configuration(trainer, settings));
        file.checkErrorsUnchecked();
    }

    @Override
    public void statisticsRecorded(StatisticsRecord record) {
        writer.writeStatistics(record);
        file.checkErrorsUnchecked();
    }

    @Override
    public void epochEnded(EpochRecord record) {
        writer.writeEpoch(record, trainer.step());
        file.checkErrorsUnchecked();
    }

    /** Returns the layer sizes joined by {@code -}, as CSV writes them. */
    static String joinSizes(int[] sizes) {
        return String.join("-", Arrays.stream(sizes).mapToObj(Integer::toString).toList());
    }
}
