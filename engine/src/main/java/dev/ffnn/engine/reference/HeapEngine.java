package dev.ffnn.engine.reference;

import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;

import java.lang.foreign.ValueLayout;

/**
 * A training engine whose parameters and buffers live on the Java heap in {@code double[]} arrays: the test
 * oracle and the benchmark baselines for the off-heap {@link Network}.
 *
 * <p>An engine is built for one {@link NetworkSpec}, one set of initial parameters and one batch size, and
 * allocates every buffer of a step then. On one thread {@link #forward}, {@link #loss}, {@link #computeGradients}
 * and {@link #trainStep} allocate nothing. A data set whose size is not a multiple of the batch size needs a
 * second engine for its last batch.
 *
 * <p><b>Parameters</b> are packed as in {@link Network#parameters()}: for each layer W ({@code fanIn x fanOut},
 * row-major, {@code Z = A·W + b}) and then b ({@code fanOut}). {@code network.parameters().toArray(JAVA_DOUBLE)}
 * is therefore a valid start, and {@link #parameters()} can be compared with the off-heap network element by
 * element.
 *
 * <p><b>Inputs</b> are packed row-major: {@code input} contains {@code batchSize x inputSize} doubles, sample i's
 * features from index {@code i·inputSize}, and {@code labels} contains {@code batchSize} class indices in
 * {@code [0, outputSize)}. Both losses take class labels: mean squared error compares the outputs with one-hot
 * targets. The engine reads the caller's arrays during the call and keeps no reference to them.
 *
 * <p><b>Threads.</b> An engine built with one thread, the default, runs on the calling thread. Built with more,
 * its matrix products run on that many threads, and each engine's class comment describes how, and what that
 * allocates. The elementwise steps always run on the calling thread. No engine is safe for concurrent calls.
 *
 * <p><b>Lifecycle.</b> An engine is ready when built. {@link #close()} stops any threads it started; with one
 * thread it has none, and closing is optional.
 */
public interface HeapEngine extends AutoCloseable {

    /** Returns the short name for tables and messages, such as {@code java} or {@code ejml}. */
    String name();

    /** Returns the architecture the engine was built for. */
    NetworkSpec spec();

    /** Returns the number of samples every call takes. */
    int batchSize();

    /** Returns the number of threads the matrix products run on, at least 1. */
    int threads();

    /**
     * Runs the forward pass: {@code Z_l = A_{l−1}·W_l + b_l} and {@code A_l = g(Z_l)}, with {@code A_{−1}} the
     * input.
     *
     * @return the output {@code batchSize x outputSize}, row-major (logits for cross-entropy). The array belongs
     *         to the engine and is overwritten by the next call, so read it before then and do not modify it.
     * @throws IllegalArgumentException if {@code input.length != batchSize·inputSize}
     */
    double[] forward(double[] input);

    /**
     * Runs the forward pass and returns the mean loss of the batch, leaving the gradients unchanged.
     *
     * @throws IllegalArgumentException if an array has the wrong length or a label is outside
     *                                  {@code [0, outputSize)}
     */
    double loss(double[] input, int[] labels);

    /**
     * Runs the forward and backward passes and overwrites the gradients ({@link #gradients()}) with
     * {@code ∂L/∂θ} at the current parameters.
     *
     * @return the mean loss of the batch
     * @throws IllegalArgumentException as {@link #loss}
     */
    double computeGradients(double[] input, int[] labels);

    /**
     * Runs one SGD step: {@link #computeGradients}, then {@code θ ← θ − learningRate·∂L/∂θ}.
     *
     * @return the mean loss of the batch before the update
     * @throws IllegalArgumentException as {@link #loss}, or if the learning rate is not a finite number > 0
     */
    double trainStep(double[] input, int[] labels, double learningRate);

    /** Returns a copy of the parameters, packed as the class comment describes. */
    double[] parameters();

    /** Returns a copy of the gradients of the last {@link #computeGradients} or {@link #trainStep}, packed like the parameters. */
    double[] gradients();

    /**
     * Replaces the parameters with a copy of {@code parameters}.
     *
     * @throws IllegalArgumentException if the length is not {@code spec().parameterCount()}
     */
    void setParameters(double[] parameters);

    /** Stops the threads the engine started, if any; later calls on a multi-threaded engine fail. */
    @Override
    void close();

    /** The on-heap engines, so a benchmark or a test can build each of them the same way. */
    enum Kind {
        /** {@link ReferenceEngine}: plain Java loops with cache-blocked matrix products. */
        JAVA("java"),
        /** {@link EjmlEngine}: EJML's {@code DMatrixRMaj} and {@code CommonOps_DDRM} products. */
        EJML("ejml");

        private final String engineName;

        Kind(String engineName) {
            this.engineName = engineName;
        }

        /** Returns the name the engine reports from {@link HeapEngine#name()}. */
        public String engineName() {
            return engineName;
        }

        /**
         * Builds a single-threaded engine of this kind from a copy of {@code parameters}, for batches of
         * {@code batchSize}.
         *
         * @throws IllegalArgumentException if the batch size is below 1, the parameter count is wrong, or a buffer
         *                                  would exceed {@link Integer#MAX_VALUE} elements
         */
        public HeapEngine create(NetworkSpec spec, double[] parameters, int batchSize) {
            return create(spec, parameters, batchSize, 1);
        }

        /**
         * Builds an engine of this kind whose matrix products run on {@code threads} threads.
         *
         * @throws IllegalArgumentException as {@link #create(NetworkSpec, double[], int)}, or if {@code threads < 1}
         */
        public HeapEngine create(NetworkSpec spec, double[] parameters, int batchSize, int threads) {
            return switch (this) {
                case JAVA -> new ReferenceEngine(spec, parameters, batchSize, threads);
                case EJML -> new EjmlEngine(spec, parameters, batchSize, threads);
            };
        }
    }

    /**
     * Returns the initial parameters the off-heap engine gives {@code spec} with {@code seed}
     * ({@link Network#create}), packed for {@link Kind#create}, so all engines start from the same bits.
     */
    static double[] initialParameters(NetworkSpec spec, long seed) {
        try (Network network = Network.create(spec, seed)) {
            return network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
        }
    }
}
