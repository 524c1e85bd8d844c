package dev.ffnn.engine;

import dev.ffnn.engine.data.BatchOrder;
import dev.ffnn.engine.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Trains a network with mini-batches and evaluates it, reusing one workspace per batch size so a training
 * step allocates nothing.
 *
 * <p>Each epoch visits every training sample once, in an order shuffled by a generator seeded from the run
 * seed ({@link Seeds#BATCH_ORDER}) and the epoch number alone, so a resumed run gets the same orders. The last batch of an epoch contains the remaining samples when the data set
 * size is not a multiple of the batch size. The trainer owns its workspaces and frees them on {@link #close()};
 * it does not own the network, the optimizer or the data sets.
 *
 * <p>{@link #fit} runs whole trainings and reports to {@link TrainingListener}s; {@link #trainEpoch} and
 * {@link #evaluate} are the single steps it is made of, for callers that drive the loop themselves.
 */
public final class Trainer implements AutoCloseable {

    private final Network network;
    private final Optimizer optimizer;
    private final int batchSize;
    private final long seed;
    private final double baseLearningRate;
    private final List<Workspace> workspaces = new ArrayList<>();
    private final TrainingStep stepView;
    private LearningRateSchedule schedule = LearningRateSchedule.constant();
    private StatisticsCollector statistics; // null: no statistics
    private int epoch;
    private long step;
    private volatile boolean stopRequested;

    /**
     * @param seed seeds the batch order; the same seed, network and data give the same steps, bit for bit,
     *             at the same OpenBLAS thread count
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public Trainer(Network network, Optimizer optimizer, int batchSize, long seed) {
        this.network = Objects.requireNonNull(network, "network");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.baseLearningRate = optimizer.learningRate();
        this.stepView = new TrainingStep(network);
    }

    public int batchSize() {
        return batchSize;
    }

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public long seed() {
        return seed;
    }

    /** Returns the number of epochs trained so far, counting the epochs a resumed run starts after. */
    public int epoch() {
        return epoch;
    }

    /** Returns the number of optimizer steps taken so far, counting those of a resumed run. */
    public long step() {
        return step;
    }

    /** Sets the learning-rate schedule {@link #fit} applies at the start of each epoch; the default is constant. */
    public void setSchedule(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Makes {@link #fit} collect statistics with the given settings, or stops collecting them when
     * {@code settings} is null. {@link #fit} reports each record to {@link TrainingListener#statisticsRecorded}
     * and keeps it in its {@link TrainingHistory}. The record before the first update is taken only by a fit that
     * starts at step 0; {@link #trainEpoch} collects no statistics.
     *
     * <p>Collection allocates a copy of the parameters, so that the update-to-weight ratio can compare them before
     * and after an update; it is freed on {@link #close()}. A step for which no statistics are due does no extra
     * work and allocates nothing.
     */
    public void collectStatistics(StatisticsSettings settings) {
        if (statistics != null) {
            statistics.close();
            statistics = null;
        }
        if (settings != null) {
            statistics = new StatisticsCollector(network, settings);
        }
    }

    /**
     * Continues a run after {@code epochsDone} epochs and {@code stepsDone} steps, as a checkpoint recorded them.
     * The batch order of an epoch depends only on the seed and the epoch number, so the next epoch visits the
     * samples in the same order as it would have in one uninterrupted run.
     *
     * @throws IllegalArgumentException if either count is negative
     */
    public void resumeAfter(int epochsDone, long stepsDone) {
        if (epochsDone < 0 || stepsDone < 0) {
            throw new IllegalArgumentException("cannot resume after " + epochsDone + " epochs and " + stepsDone
                    + " steps: both must be >= 0");
        }
        this.epoch = epochsDone;
        this.step = stepsDone;
    }

    /**
     * Asks {@link #fit} to stop after the current epoch; listeners call this (early stopping does). Safe to call
     * from another thread.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains until {@code epochs} epochs are done in all (so a run resumed after epoch 4 with {@code epochs = 8}
     * trains 4 more), evaluating on {@code test} after each epoch, and reports to the listeners.
     *
     * <p>At the start of each epoch the optimizer's learning rate is set from the schedule. Training ends early
     * when a listener calls {@link #requestStop()}.
     *
     * <p>Before every update the loss and the norm of all gradients are checked. When either is NaN or infinite
     * and a tensor of the network contains a NaN or an infinity, training stops at that step without updating: with
     * statistics on (see
     * {@link #collectStatistics}), a record of that step is reported first, then a
     * {@link TrainingDivergedException} names the epoch, the step, and the first layer and tensor with a
     * non-finite value. The same happens when a statistics record shows a non-finite tensor.
     *
     * @param test may be null, for no evaluation
     * @throws IllegalArgumentException   if a data set does not fit the network, or {@code epochs < 0}
     * @throws TrainingDivergedException if a step produced a NaN or an infinity
     */
    public TrainingHistory fit(Dataset train, Dataset test, int epochs, List<? extends TrainingListener> listeners) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs " + epochs + " is invalid: it must be >= 0");
        }
        requireCompatible(train);
        if (test != null) {
            requireCompatible(test);
        }
        stopRequested = false;
        TrainingHistory history = new TrainingHistory();
        for (TrainingListener listener : listeners) {
            listener.trainingStarted(this, epoch);
        }
        boolean initialRecordDue = statistics != null && step == 0;
        while (epoch < epochs && !stopRequested) {
            double rate = schedule.rate(baseLearningRate, epoch + 1, epochs);
            optimizer.setLearningRate(rate);
            EpochResult result = runEpoch(train, listeners, history, initialRecordDue);
            initialRecordDue = false;
            Evaluation evaluation = test == null ? null : evaluate(test);
            EpochRecord record = new EpochRecord(result.epoch(), result, evaluation, rate);
            history.add(record);
            for (TrainingListener listener : listeners) {
                listener.epochEnded(record);
            }
        }
        if (stopRequested && epoch < epochs) {
            history.markStoppedEarly();
        }
        for (TrainingListener listener : listeners) {
            listener.trainingEnded(history);
        }
        return history;
    }

    /**
     * Trains one epoch on {@code data}: shuffles the sample order, then runs one step per batch.
     *
     * <p>The loss and accuracy it returns are means over the epoch's batches, each measured on the forward pass
     * before that batch's update, weighted by batch size.
     *
     * @throws IllegalArgumentException if the data's feature count differs from the network's input size, or a
     *                                  label does not fit the output layer
     */
    public EpochResult trainEpoch(Dataset data) {
        requireCompatible(data);
        return runEpoch(data, List.of(), null, false);
    }

    /**
     * Runs one epoch. For {@link #fit}, which passes a history, it collects statistics on due steps if they are on,
     * and before the first update when {@code initialRecordDue}; {@link #trainEpoch} passes null and collects none.
     */
    private EpochResult runEpoch(Dataset data, List<? extends TrainingListener> listeners, TrainingHistory history,
                                 boolean initialRecordDue) {
        StatisticsCollector collector = history == null ? null : statistics;
        int samples = data.sampleCount();
        int nextEpoch = epoch + 1;
        // One order per epoch from (seed, epoch) alone, so a resumed run repeats the uninterrupted one
        BatchOrder order = BatchOrder.shuffled(samples, Seeds.derive(Seeds.derive(seed, Seeds.BATCH_ORDER), nextEpoch));
        order.shuffle();
        int[] indices = order.indices();
        // Workspaces are made before the first step, so the loop below allocates nothing.
        Workspace full = workspace(Math.min(batchSize, samples));
        Workspace last = workspace(samples % batchSize == 0 ? full.batchSize() : samples % batchSize);
        int listenerCount = listeners.size();

        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        int stepInEpoch = 0;
        for (int from = 0; from < samples; from += batchSize) {
            Workspace workspace = samples - from >= full.batchSize() ? full : last;
            data.copyBatch(indices, from, workspace.batchSize(), workspace.input(), workspace.labels());
            double rate = optimizer.learningRate();
            if (initialRecordDue && from == 0) {
                recordBeforeFirstUpdate(collector, workspace, rate, listeners, history);
            }
            boolean statisticsDue = collector != null
                    && collector.settings().isDue(step + 1, from + workspace.batchSize() >= samples);
            if (statisticsDue) {
                collector.snapshot();
            }

            // Forward and backward, then the cheap check of every step before the update: a NaN or an infinity
            // anywhere reaches the loss or the gradient norm, and the parameters stay as they were
            network.forward(workspace);
            double loss = network.backward(workspace);
            stepInEpoch++;
            double gradientNorm = StatisticsCollector.gradientNorm(network);
            if (!Double.isFinite(loss) || !Double.isFinite(gradientNorm)) {
                stopIfDiverged(collector, workspace, nextEpoch, stepInEpoch, rate, loss, false, true, listeners,
                        history);
            }

            optimizer.step(network.parameters(), network.gradients(), network.parameterCount());
            lossSum += loss * workspace.batchSize();
            correct += network.countCorrect(workspace);
            step++;

            if (listenerCount > 0) {
                stepView.update(workspace, nextEpoch, stepInEpoch, step, loss, rate, gradientNorm);
                for (int i = 0; i < listenerCount; i++) {
                    listeners.get(i).stepEnded(stepView);
                }
            }
            if (statisticsDue) {
                StatisticsRecord record = collector.collect(workspace, step, nextEpoch, stepInEpoch, rate, loss, true);
                report(record, listeners, history);
                if (!record.isFinite()) {
                    stopIfDiverged(collector, workspace, nextEpoch, stepInEpoch, rate, loss, true, false, listeners,
                            history);
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        epoch = nextEpoch;
        return new EpochResult(epoch, lossSum / samples, (double) correct / samples, samples, seconds);
    }

    /** Reports the statistics of the network before its first update, from a forward and backward pass of the batch. */
    private void recordBeforeFirstUpdate(StatisticsCollector collector, Workspace workspace, double rate,
                                         List<? extends TrainingListener> listeners, TrainingHistory history) {
        network.forward(workspace);
        double loss = network.backward(workspace);
        report(collector.collect(workspace, step, epoch, 0, rate, loss, false), listeners, history);
    }

    private static void report(StatisticsRecord record, List<? extends TrainingListener> listeners,
                               TrainingHistory history) {
        if (history != null) {
            history.addStatistics(record);
        }
        for (TrainingListener listener : listeners) {
            listener.statisticsRecorded(record);
        }
    }

    /**
     * Throws {@link TrainingDivergedException} when a value of the step is not finite, after reporting the step's
     * statistics if a collector is given; returns when every value is finite and only a sum of squares overflowed.
     *
     * @param snapshotTaken    true after the step's update, with the parameters copied before it, so the record
     *                         has update ratios; false before the update
     * @param reportStatistics false when the step's statistics were reported already
     */
    private void stopIfDiverged(StatisticsCollector collector, Workspace workspace, int epochOfStep, int stepInEpoch,
                                double rate, double loss, boolean snapshotTaken, boolean reportStatistics,
                                List<? extends TrainingListener> listeners, TrainingHistory history) {
        String location = StatisticsCollector.locateNonFinite(network, workspace);
        if (location == null && Double.isFinite(loss)) {
            return;
        }
        // A step stopped before its update is not counted in step(), but it is the next step's number
        long failedStep = snapshotTaken ? step : step + 1;
        if (collector != null && reportStatistics) {
            report(collector.collect(workspace, failedStep, epochOfStep, stepInEpoch, rate, loss, snapshotTaken),
                    listeners, history);
        }
        String cause = location == null
                ? "the loss is " + loss + " while every weight, activation and gradient is finite"
                : "the first NaN or infinity is in " + location
                        + (Double.isFinite(loss) ? "" : ", and the loss is " + loss);
        String message = String.format(Locale.ROOT, "training diverged in epoch %d at step %,d (step %d of the epoch):"
                        + " %s; try a smaller learning rate than %s, or an initializer of smaller scale",
                epochOfStep, failedStep, stepInEpoch, cause, rate);
        throw new TrainingDivergedException(message, epochOfStep, failedStep);
    }

    /** Returns the mean loss and the accuracy of the network on every sample of {@code data}, without updating it. */
    public Evaluation evaluate(Dataset data) {
        requireCompatible(data);
        int samples = data.sampleCount();
        int[] order = BatchOrder.identity(samples).indices();
        Workspace full = workspace(Math.min(batchSize, samples));
        Workspace last = workspace(samples % batchSize == 0 ? full.batchSize() : samples % batchSize);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < samples; from += batchSize) {
            Workspace workspace = samples - from >= full.batchSize() ? full : last;
            data.copyBatch(order, from, workspace.batchSize(), workspace.input(), workspace.labels());
            network.forward(workspace);
            lossSum += network.loss(workspace) * workspace.batchSize();
            correct += network.countCorrect(workspace);
        }
        return new Evaluation(lossSum / samples, (double) correct / samples, samples);
    }

    /**
     * Runs a forward and a backward pass, without an update, on the first {@code min(batchSize, sampleCount)}
     * samples of {@code data} in file order, and returns each layer's statistics.
     *
     * <p>Using the same probe batch every time makes the statistics of successive epochs comparable. The pass
     * overwrites the network's gradients.
     */
    public List<LayerStatistics> probeStatistics(Dataset data) {
        requireCompatible(data);
        Workspace workspace = workspace(Math.min(batchSize, data.sampleCount()));
        data.copyBatch(BatchOrder.identity(workspace.batchSize()).indices(), 0, workspace.batchSize(), workspace.input(),
                workspace.labels());
        network.forward(workspace);
        double loss = network.backward(workspace);
        StatisticsSettings settings = statistics != null ? statistics.settings() : StatisticsSettings.perEpoch();
        try (StatisticsCollector probe = new StatisticsCollector(network, settings)) {
            return probe.collect(workspace, step, epoch, 0, optimizer.learningRate(), loss, false).layers();
        }
    }

    /** Frees the workspaces and the statistics' parameter copy; the network stays open. */
    @Override
    public void close() {
        if (statistics != null) {
            statistics.close();
            statistics = null;
        }
        workspaces.forEach(Workspace::close);
        workspaces.clear();
    }

    private Workspace workspace(int size) {
        for (Workspace workspace : workspaces) {
            if (workspace.batchSize() == size) {
                return workspace;
            }
        }
        Workspace created = network.newWorkspace(size);
        workspaces.add(created);
        return created;
    }

    private void requireCompatible(Dataset data) {
        NetworkSpec spec = network.spec();
        if (data.featureCount() != spec.inputSize()) {
            throw new IllegalArgumentException("data set '" + data.name() + "' has "
                    + Inference.count(data.featureCount(), "feature") + " but the network's input size is " + spec.inputSize()
                    + ": make the first layer size " + data.featureCount());
        }
        if (data.classCount() > spec.outputSize()) {
            throw new IllegalArgumentException("data set '" + data.name() + "' has "
                    + Inference.count(data.classCount(), "class") + " but the network has " + spec.outputSize()
                    + " outputs: make the last layer size at least " + data.classCount());
        }
    }

    /**
     * The result of one training epoch.
     *
     * @param epoch       1-based epoch number
     * @param loss        mean loss over the epoch's samples, each measured before its batch's update
     * @param accuracy    fraction of samples whose arg max output was their label, measured likewise
     * @param sampleCount samples trained on
     * @param seconds     wall-clock time of the epoch's steps, copying batches included
     */
    public record EpochResult(int epoch, double loss, double accuracy, int sampleCount, double seconds) {

        /** Returns {@code sampleCount / seconds}. */
        public double samplesPerSecond() {
            return sampleCount / seconds;
        }
    }

    /**
     * The loss and accuracy of a network on a data set.
     *
     * @param loss        mean loss per sample
     * @param accuracy    fraction of samples whose arg max output was their label
     * @param sampleCount samples evaluated
     */
    public record Evaluation(double loss, double accuracy, int sampleCount) {
    }
}
