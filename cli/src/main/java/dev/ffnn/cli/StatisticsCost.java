package dev.ffnn.cli;

import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.StatisticsRecord;
import dev.ffnn.engine.StatisticsSettings;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.data.TrainTestSplit;

import java.io.PrintWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code ffnn train --measure-stats-cost}: measures the time statistics add to an epoch.
 *
 * <p>Three copies of the network, built from the same seed, train side by side: without statistics, with
 * statistics once per epoch, and with statistics after every step. Each round trains one epoch of each, in an
 * order that rotates from round to round, so drifts of a shared machine's speed hit all three alike. Records are
 * formatted as CSV into a writer that discards them, so formatting counts and the disk does not. The first round
 * warms the JIT up and is left out; the medians of the other rounds' epoch times are compared.
 *
 * <p>Two times are taken per epoch: the wall-clock time of its steps, and the CPU time of the training thread
 * over the whole epoch. With {@code --threads 1} OpenBLAS computes on the training thread, so the CPU time
 * covers all the work and is much less disturbed than the wall-clock time by other processes on a busy machine.
 */
final class StatisticsCost {

    /** Minimum rounds: the warm-up round and one measured round. */
    static final int MIN_ROUNDS = 2;

    private static final String[] NAMES = {"no statistics", "statistics once per epoch", "statistics every step"};

    private final NetworkSpec spec;
    private final double learningRate;
    private final int batchSize;
    private final long seed;

    StatisticsCost(NetworkSpec spec, double learningRate, int batchSize, long seed) {
        this.spec = spec;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Trains {@code rounds} rounds and prints one line per epoch trained, then the medians and overheads.
     *
     * @throws IllegalArgumentException if {@code rounds < MIN_ROUNDS}, which leaves no round after the warm-up
     */
    void measure(TrainTestSplit data, int rounds, PrintWriter out) {
        if (rounds < MIN_ROUNDS) {
            throw new IllegalArgumentException("--measure-stats-cost with --epochs " + rounds
                    + " leaves no epoch after the warm-up round: use --epochs 2 or more (5 or more for stable medians)");
        }
        StatisticsSettings[] settings = {null, StatisticsSettings.perEpoch(), new StatisticsSettings(1, 0)};
        double[][] seconds = new double[settings.length][rounds - 1];
        double[][] cpuSeconds = new double[settings.length][rounds - 1];
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] records = new long[settings.length];
        List<Network> networks = new ArrayList<>();
        List<Trainer> trainers = new ArrayList<>();
        try {
            for (StatisticsSettings setting : settings) {
                Network network = Network.create(spec, seed);
                networks.add(network);
                Trainer trainer = new Trainer(network, new Sgd(learningRate), batchSize, seed);
                trainers.add(trainer);
                trainer.collectStatistics(setting);
            }
            for (int round = 0; round < rounds; round++) {
                for (int k = 0; k < settings.length; k++) {
                    int configuration = (round + k) % settings.length;
                    Trainer trainer = trainers.get(configuration);
                    Sink sink = new Sink();
                    long cpuStart = threads.getCurrentThreadCpuTime();
                    EpochRecord record = trainer.fit(data.train(), null, trainer.epoch() + 1, List.of(sink)).last();
                    double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                    out.printf(Locale.ROOT, "round %d  %-26s  %.3f s  CPU %.3f s  %d statistics records%n", round + 1,
                            NAMES[configuration], record.train().seconds(), cpu, sink.records);
                    out.flush();
                    if (round > 0) {
                        seconds[configuration][round - 1] = record.train().seconds();
                        cpuSeconds[configuration][round - 1] = cpu;
                        records[configuration] += sink.records;
                    }
                }
            }
        } finally {
            trainers.forEach(Trainer::close);
            networks.forEach(Network::close);
        }

        double baseline = median(seconds[0]);
        double cpuBaseline = median(cpuSeconds[0]);
        out.printf(Locale.ROOT, "median epoch time over rounds 2-%d (%d steps per epoch), wall clock and CPU of the"
                + " training thread:%n", rounds, (data.train().sampleCount() + batchSize - 1) / batchSize);
        for (int configuration = 0; configuration < settings.length; configuration++) {
            double median = median(seconds[configuration]);
            double cpu = median(cpuSeconds[configuration]);
            out.printf(Locale.ROOT, "%-26s  %.3f s  %+.1f %%  CPU %.3f s  %+.1f %%  (%d records)%n",
                    NAMES[configuration], median, 100 * (median / baseline - 1), cpu, 100 * (cpu / cpuBaseline - 1),
                    records[configuration]);
        }
        out.flush();
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Formats every record as CSV into a discarding writer and counts them. */
    private static final class Sink implements TrainingListener {

        private final StatisticsCsv csv = new StatisticsCsv(new PrintWriter(Writer.nullWriter()), true);
        private long records;

        @Override
        public void statisticsRecorded(StatisticsRecord record) {
            csv.writeStatistics(record);
            records++;
        }
    }
}
