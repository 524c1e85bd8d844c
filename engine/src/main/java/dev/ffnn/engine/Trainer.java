package dev.ffnn.engine;

import dev.ffnn.engine.data.BatchOrder;
import dev.ffnn.engine.data.Dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Trains a network with mini-batches and evaluates it, reusing one workspace per batch size so a training
 * step allocates nothing.
 *
 * <p>Each epoch visits every training sample once, in an order shuffled by a generator seeded from the run
 * seed ({@link Seeds#BATCH_ORDER}). The last batch of an epoch contains the remaining samples when the data set
 * size is not a multiple of the batch size. The trainer owns its workspaces and frees them on {@link #close()};
 * it does not own the network, the optimizer or the data sets.
 */
public final class Trainer implements AutoCloseable {

    private final Network network;
    private final Optimizer optimizer;
    private final int batchSize;
    private final long seed;
    private final List<Workspace> workspaces = new ArrayList<>();
    private BatchOrder trainingOrder;
    private int epoch;

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
    }

    public int batchSize() {
        return batchSize;
    }

    /** Returns the number of epochs trained so far. */
    public int epoch() {
        return epoch;
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
        if (trainingOrder == null || trainingOrder.sampleCount() != data.sampleCount()) {
            trainingOrder = BatchOrder.shuffled(data.sampleCount(), Seeds.derive(seed, Seeds.BATCH_ORDER));
        }
        trainingOrder.shuffle();
        int[] order = trainingOrder.indices();
        int samples = data.sampleCount();
        // Workspaces are made before the first step, so the loop below allocates nothing.
        Workspace full = workspace(Math.min(batchSize, samples));
        Workspace last = workspace(samples % batchSize == 0 ? full.batchSize() : samples % batchSize);

        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < samples; from += batchSize) {
            Workspace workspace = samples - from >= full.batchSize() ? full : last;
            data.copyBatch(order, from, workspace.batchSize(), workspace.input(), workspace.labels());
            lossSum += network.trainStep(workspace, optimizer) * workspace.batchSize();
            correct += network.countCorrect(workspace);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        epoch++;
        return new EpochResult(epoch, lossSum / samples, (double) correct / samples, samples, seconds);
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
        network.backward(workspace);
        return LayerStatistics.collect(network, workspace);
    }

    /** Frees the workspaces; the network stays open. */
    @Override
    public void close() {
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
            throw new IllegalArgumentException("data set '" + data.name() + "' has " + data.featureCount()
                    + " features but the network's input size is " + spec.inputSize()
                    + ": make the first layer size " + data.featureCount());
        }
        if (data.classCount() > spec.outputSize()) {
            throw new IllegalArgumentException("data set '" + data.name() + "' has " + data.classCount()
                    + " classes but the network has " + spec.outputSize()
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
