package dev.ffnn.engine.benchmark;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Seeds;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Workspace;
import dev.ffnn.engine.reference.HeapEngine;

import java.lang.foreign.ValueLayout;
import java.util.random.RandomGenerator;

/**
 * Builds the engines the benchmarks compare, all on the same task: a ReLU classifier with softmax
 * cross-entropy, He-normal weights, SGD at {@link #LEARNING_RATE}, and one fixed batch of inputs uniform in
 * {@code [0, 1)} (like scaled pixels) with uniform random labels.
 */
public final class BenchmarkEngines {

    /**
     * The SGD learning rate of every benchmark engine. It is smaller than the training default (0.1), so a
     * benchmark that repeats thousands of steps on one batch stays far from overflow and subnormal numbers.
     */
    public static final double LEARNING_RATE = 0.01;

    private BenchmarkEngines() {
    }

    /**
     * Builds engine {@code kind} for a network with {@code layerSizes} (input to output, at least 2 outputs) and
     * a fixed batch of {@code batchSize} samples; {@code seed} seeds the weights and the batch.
     *
     * <p>{@code threads} is the thread count of an on-heap engine's products. ffnn ignores it: its products run
     * on the OpenBLAS thread count that {@link dev.ffnn.engine.Blas#setThreadCount} sets.
     *
     * @throws IllegalArgumentException if the sizes, the batch size or the thread count are invalid
     */
    public static BenchmarkEngine create(EngineKind kind, int[] layerSizes, int batchSize, long seed, int threads) {
        NetworkSpec spec = NetworkSpec.classifier(layerSizes, Activation.RELU, Initializers.heNormal());
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        return switch (kind) {
            case FFNN -> new OffHeapEngine(spec, batchSize, seed);
            case JAVA -> new OnHeapEngine(kind, HeapEngine.Kind.JAVA, spec, batchSize, seed, threads);
            case EJML -> new OnHeapEngine(kind, HeapEngine.Kind.EJML, spec, batchSize, seed, threads);
        };
    }

    /** Returns the generator of the fixed batch: the same seed gives every engine the same batch. */
    static RandomGenerator batchGenerator(long seed) {
        return Seeds.generator(seed, Seeds.BATCH_ORDER + 1);
    }

    /** ffnn's {@link Network} on one {@link Workspace}. */
    private static final class OffHeapEngine implements BenchmarkEngine {

        private final Network network;
        private final Workspace workspace;
        private final Sgd optimizer = new Sgd(LEARNING_RATE);

        OffHeapEngine(NetworkSpec spec, int batchSize, long seed) {
            this.network = Network.create(spec, seed);
            try {
                this.workspace = network.newWorkspace(batchSize);
            } catch (RuntimeException e) {
                network.close();
                throw e;
            }
            RandomGenerator generator = batchGenerator(seed);
            var input = workspace.input().segment();
            for (long i = 0; i < workspace.input().elementCount(); i++) {
                input.setAtIndex(ValueLayout.JAVA_DOUBLE, i, generator.nextDouble());
            }
            for (int i = 0; i < batchSize; i++) {
                workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, generator.nextInt(spec.outputSize()));
            }
        }

        @Override
        public EngineKind kind() {
            return EngineKind.FFNN;
        }

        @Override
        public double trainStep() {
            return network.trainStep(workspace, optimizer);
        }

        @Override
        public double forward() {
            network.forward(workspace);
            return workspace.output().segment().getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
        }

        @Override
        public void close() {
            workspace.close();
            network.close();
        }
    }

    /** An on-heap engine with the same start parameters and the same batch as {@link OffHeapEngine}. */
    private static final class OnHeapEngine implements BenchmarkEngine {

        private final EngineKind kind;
        private final HeapEngine engine;
        private final double[] input;   // X [batchSize x inputSize], row-major
        private final int[] labels;     // y [batchSize]

        OnHeapEngine(EngineKind kind, HeapEngine.Kind heapKind, NetworkSpec spec, int batchSize, long seed,
                     int threads) {
            this.kind = kind;
            this.engine = heapKind.create(spec, HeapEngine.initialParameters(spec, seed), batchSize, threads);
            this.input = new double[Math.multiplyExact(batchSize, spec.inputSize())];
            this.labels = new int[batchSize];
            RandomGenerator generator = batchGenerator(seed);
            for (int i = 0; i < input.length; i++) {
                input[i] = generator.nextDouble();
            }
            for (int i = 0; i < batchSize; i++) {
                labels[i] = generator.nextInt(spec.outputSize());
            }
        }

        @Override
        public EngineKind kind() {
            return kind;
        }

        @Override
        public double trainStep() {
            return engine.trainStep(input, labels, LEARNING_RATE);
        }

        @Override
        public double forward() {
            return engine.forward(input)[0];
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
