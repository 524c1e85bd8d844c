package dev.ffnn.cli;

import dev.ffnn.engine.StatisticsSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of {@code ffnn train} for statistics files, progress output and the statistics cost measurement. */
final class DiagnosticsOptions {

    /** Default seconds between plain progress lines when stderr is not a terminal. */
    static final double DEFAULT_PROGRESS_SECONDS = 10;

    @Option(names = "--stats", paramLabel = "FILE",
            description = "Stream per-layer statistics to FILE: before the first update, then once per epoch or every"
                    + " --stats-every steps. The format follows the extension (.csv or .jsonl) or --stats-format;"
                    + " the README lists every column and field.")
    Path statsFile;

    @Option(names = "--stats-format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "Format of --stats: csv (long form: step,epoch,layer,tensor,statistic,value) or jsonl"
                    + " (one JSON record per line). Default: from the file extension, else csv.")
    StatisticsFile.Format statsFormat;

    @Option(names = "--stats-every", paramLabel = "N",
            description = "Collect statistics after every N-th step instead of once per epoch.")
    Integer statsEvery;

    @Option(names = "--histogram-bins", paramLabel = "N",
            description = "Add a histogram of N equal-width bins from min to max for every tensor to --stats.")
    int histogramBins;

    @Option(names = "--quiet", description = "Print only the epoch result lines: no header and no progress.")
    boolean quiet;

    @Option(names = "--progress-interval", paramLabel = "SECONDS",
            description = "Seconds between plain progress lines on stderr when it is not a terminal.")
    double progressSeconds = DEFAULT_PROGRESS_SECONDS;

    @Option(names = "--measure-stats-cost",
            description = "Measure what statistics cost instead of training once: train three copies of the network"
                    + " side by side, alternating epoch by epoch, without statistics, with statistics once per epoch"
                    + " and with statistics every step, and print the median epoch times.")
    boolean measureStatsCost;

    /**
     * Checks the options' values and combinations, with {@code epochs} the value of {@code --epochs}; throws an
     * option error (exit status 2) naming the value.
     */
    void validate(CommandLine commandLine, int epochs) {
        if (statsEvery != null && statsEvery < 1) {
            throw error(commandLine, "--stats-every", statsEvery.toString(), "it must be >= 1");
        }
        if (histogramBins < 0 || histogramBins > StatisticsSettings.MAX_HISTOGRAM_BINS) {
            throw error(commandLine, "--histogram-bins", Integer.toString(histogramBins),
                    "it must be from 0 to " + StatisticsSettings.MAX_HISTOGRAM_BINS);
        }
        if (!(progressSeconds > 0) || !Double.isFinite(progressSeconds)) {
            throw error(commandLine, "--progress-interval", Double.toString(progressSeconds),
                    "it must be a finite number of seconds > 0, e.g. 10");
        }
        if (statsFile == null) {
            for (String option : new String[]{"--stats-format", "--stats-every", "--histogram-bins"}) {
                if (commandLine.getParseResult().hasMatchedOption(option)) {
                    throw new CommandLine.ParameterException(commandLine, option + " needs --stats FILE: add it");
                }
            }
        }
        if (measureStatsCost) {
            validateMeasurement(commandLine, epochs);
        }
    }

    /**
     * Rejects the options that {@code --measure-stats-cost} would ignore: it writes no file, trains plain SGD at a
     * constant rate on the whole training set, and starts from new weights.
     */
    private void validateMeasurement(CommandLine commandLine, int epochs) {
        CommandLine.ParseResult parsed = commandLine.getParseResult();
        for (String option : new String[]{"--stats", "--metrics", "--save", "--checkpoint-dir"}) {
            if (parsed.hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(commandLine,
                        "--measure-stats-cost writes no files: drop " + option);
            }
        }
        for (String option : new String[]{"--resume", "--validation-fraction", "--l2", "--progress-interval"}) {
            if (parsed.hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(commandLine, "--measure-stats-cost trains new networks"
                        + " with plain SGD on the whole training set and shows no progress, so it ignores " + option
                        + ": drop it");
            }
        }
        String optimizer = parsed.matchedOptionValue("--optimizer", "sgd");
        if (!optimizer.equalsIgnoreCase("sgd")) {
            throw error(commandLine, "--optimizer", optimizer, "--measure-stats-cost measures plain SGD only;"
                    + " drop --optimizer");
        }
        String schedule = parsed.matchedOptionValue("--schedule", "constant");
        if (!schedule.equalsIgnoreCase("constant")) {
            throw error(commandLine, "--schedule", schedule, "--measure-stats-cost trains at a constant learning rate;"
                    + " drop --schedule");
        }
        if (epochs < StatisticsCost.MIN_ROUNDS) {
            throw error(commandLine, "--epochs", Integer.toString(epochs), "--measure-stats-cost needs at least "
                    + StatisticsCost.MIN_ROUNDS + " epochs because it does not count the first, which warms up the JIT;"
                    + " give --epochs " + StatisticsCost.MIN_ROUNDS + " or more (5 or more for stable medians)");
        }
    }

    /** Returns the statistics format: --stats-format, else the extension of --stats, else CSV. */
    StatisticsFile.Format format() {
        if (statsFormat != null) {
            return statsFormat;
        }
        StatisticsFile.Format implied = StatisticsFile.Format.fromExtension(statsFile);
        return implied != null ? implied : StatisticsFile.Format.CSV;
    }

    StatisticsSettings statisticsSettings() {
        return new StatisticsSettings(statsEvery == null ? 0 : statsEvery, histogramBins);
    }

    private static CommandLine.ParameterException error(CommandLine commandLine, String option, String value,
                                                        String reason) {
        return new CommandLine.ParameterException(commandLine,
                "Invalid value for option '" + option + "': " + value + ": " + reason);
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<StatisticsFile.Format> {
        @Override
        public StatisticsFile.Format convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "csv" -> StatisticsFile.Format.CSV;
                case "jsonl" -> StatisticsFile.Format.JSONL;
                default -> throw new CommandLine.TypeConversionException("unknown statistics format '" + value
                        + "'; allowed: csv, jsonl");
            };
        }
    }
}
