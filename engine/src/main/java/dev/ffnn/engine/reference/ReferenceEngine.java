package dev.ffnn.engine.reference;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.NetworkSpec;

/**
 * The on-heap reference engine: the whole training step in plain Java loops over {@code double[]} arrays, with
 * the three matrix products cache-blocked ({@link BlockedMatrices}) and no code shared with the off-heap
 * engine's numerics (no BLAS, no {@link Activation} or {@link dev.ffnn.engine.Loss} methods).
 *
 * <p>It is the oracle of the off-heap engine's tests and the plain-Java baseline of its benchmarks. The
 * parameters and gradients are one flat array each, packed as {@link HeapEngine} describes. One step:
 * <pre>
 *   Z_l = A_{l−1}·W_l + b_l,  A_l = g(Z_l)        for l = 0 .. L−1, with A_{−1} = X
 *   δ_{L−1} = ∂L/∂Z_{L−1}
 *   ∂W_l = A_{l−1}ᵀ·δ_l,  ∂b_l = δ_lᵀ·1,  δ_{l−1} = (δ_l·W_lᵀ) ⊙ g'(Z_{l−1})   for l = L−1 .. 0
 *   θ ← θ − lr·∂θ
 * </pre>
 *
 * <p>With one thread (the default) the engine runs on the calling thread and a step allocates nothing. With
 * more, each matrix product splits its output rows among that many threads: the caller and {@code threads − 1}
 * workers that the engine owns until {@link #close()}, and allocates a task and a lambda per extra thread. Every
 * output element is computed exactly as with one thread, so the results do not depend on the thread count. The
 * elementwise steps stay on the calling thread.
 */
public final class ReferenceEngine implements HeapEngine {

    private final NetworkSpec spec;
    private final EngineShape shape;
    private final Activation[] activations;
    private final double[] parameters;        // θ [parameterCount], per layer W [fanIn x fanOut] then b [fanOut]
    private final double[] gradients;         // ∂L/∂θ, same layout
    private final double[][] preActivations;  // Z_l [batchSize x fanOut_l]
    private final double[][] outputs;         // A_l [batchSize x fanOut_l], Z_l itself for the identity
    private final double[][] errors;          // δ_l = ∂L/∂Z_l [batchSize x fanOut_l]
    private final double[] transposedWeights; // W_lᵀ [fanOut x fanIn] for δ_l·W_lᵀ, sized for the largest layer l >= 1
    private final ParallelRanges ranges;      // splits the products' rows among the threads

    /**
     * Builds a single-threaded engine from a copy of {@code initialParameters}, packed as {@link HeapEngine}
     * describes.
     *
     * @throws IllegalArgumentException as {@link HeapEngine.Kind#create}
     */
    public ReferenceEngine(NetworkSpec spec, double[] initialParameters, int batchSize) {
        this(spec, initialParameters, batchSize, 1);
    }

    /**
     * Builds an engine whose matrix products run on {@code threads} threads (see the class comment).
     *
     * @throws IllegalArgumentException as {@link HeapEngine.Kind#create}
     */
    public ReferenceEngine(NetworkSpec spec, double[] initialParameters, int batchSize, int threads) {
        this.spec = spec;
        this.shape = new EngineShape(spec, batchSize);
        shape.checkParameters(initialParameters);

        int layers = shape.layerCount();
        this.activations = new Activation[layers];
        this.parameters = initialParameters.clone();
        this.gradients = new double[shape.parameterCount()];
        this.preActivations = new double[layers][];
        this.outputs = new double[layers][];
        this.errors = new double[layers][];
        int largestTransposed = 0;
        for (int l = 0; l < layers; l++) {
            activations[l] = spec.activation(l);
            int elementCount = batchSize * shape.fanOut(l);
            preActivations[l] = new double[elementCount];
            outputs[l] = activations[l] == Activation.IDENTITY ? preActivations[l] : new double[elementCount];
            errors[l] = new double[elementCount];
            if (l > 0) {
                largestTransposed = Math.max(largestTransposed, shape.fanIn(l) * shape.fanOut(l));
            }
        }
        this.transposedWeights = new double[largestTransposed];

        this.ranges = new ParallelRanges(threads);
    }

    @Override
    public String name() {
        return Kind.JAVA.engineName();
    }

    @Override
    public int threads() {
        return ranges.threads();
    }

    @Override
    public NetworkSpec spec() {
        return spec;
    }

    @Override
    public int batchSize() {
        return shape.batchSize();
    }

    @Override
    public double[] forward(double[] input) {
        shape.checkInput(input);
        int batch = shape.batchSize();
        double[] previous = input;
        for (int l = 0; l < shape.layerCount(); l++) {
            int fanIn = shape.fanIn(l);
            int fanOut = shape.fanOut(l);

            // Z = A_prev·W
            multiply(previous, parameters, shape.weightOffset(l), preActivations[l], batch, fanOut, fanIn);

            // Z += b; A = g(Z)
            Elementwise.addBiasAndActivate(activations[l], preActivations[l], parameters, shape.biasOffset(l),
                    outputs[l], batch, fanOut);
            previous = outputs[l];
        }
        return outputs[shape.layerCount() - 1];
    }

    @Override
    public double loss(double[] input, int[] labels) {
        shape.checkLabels(labels);
        forward(input);
        int last = shape.layerCount() - 1;
        return Elementwise.lossAndDelta(spec.loss(), activations[last], preActivations[last], outputs[last], labels,
                shape.batchSize(), shape.outputSize(), null);
    }

    @Override
    public double computeGradients(double[] input, int[] labels) {
        shape.checkLabels(labels);
        forward(input);
        int batch = shape.batchSize();
        int last = shape.layerCount() - 1;

        // δ_L = ∂L/∂Z_L
        double loss = Elementwise.lossAndDelta(spec.loss(), activations[last], preActivations[last], outputs[last],
                labels, batch, shape.outputSize(), errors[last]);

        for (int l = last; l >= 0; l--) {
            int fanIn = shape.fanIn(l);
            int fanOut = shape.fanOut(l);
            double[] previous = l == 0 ? input : outputs[l - 1];

            // ∂W = A_prevᵀ·δ
            multiplyTransposeA(previous, errors[l], shape.weightOffset(l), fanIn, fanOut, batch);

            // ∂b = δᵀ·1
            Elementwise.columnSums(errors[l], batch, fanOut, gradients, shape.biasOffset(l));

            if (l > 0) {
                // δ_prev = (δ·Wᵀ) ⊙ g'(Z_prev), with Wᵀ packed first so the product's inner loop has unit stride
                BlockedMatrices.transpose(parameters, shape.weightOffset(l), fanIn, fanOut, transposedWeights);
                multiply(errors[l], transposedWeights, 0, errors[l - 1], batch, fanIn, fanOut);
                Elementwise.multiplyByDerivative(activations[l - 1], preActivations[l - 1], outputs[l - 1],
                        errors[l - 1], batch * fanIn);
            }
        }
        return loss;
    }

    @Override
    public double trainStep(double[] input, int[] labels, double learningRate) {
        EngineShape.checkLearningRate(learningRate);
        double loss = computeGradients(input, labels);

        // θ = θ − lr·∂θ
        Elementwise.sgdStep(learningRate, gradients, parameters, 0, parameters.length);
        return loss;
    }

    /** Computes {@code C = A·B} for A {@code rows x k} and B {@code k x n} at {@code b[bOffset]}, rows split among the threads. */
    private void multiply(double[] a, double[] b, int bOffset, double[] c, int rows, int n, int k) {
        if (ranges.threads() == 1) {
            BlockedMatrices.multiply(a, 0, b, bOffset, c, 0, rows, n, k);
            return;
        }
        ranges.run(rows, (from, to) -> BlockedMatrices.multiply(a, from * k, b, bOffset, c, from * n, to - from, n, k));
    }

    /** Computes {@code ∂W = Aᵀ·δ} into the gradients at {@code weightOffset}, rows of ∂W split among the threads. */
    private void multiplyTransposeA(double[] a, double[] delta, int weightOffset, int fanIn, int fanOut, int batch) {
        if (ranges.threads() == 1) {
            BlockedMatrices.multiplyTransposeA(a, 0, delta, 0, gradients, weightOffset, fanIn, fanOut, batch);
            return;
        }
        ranges.run(fanIn, (from, to) -> BlockedMatrices.multiplyTransposeA(a, 0, delta, 0, gradients, weightOffset,
                fanIn, fanOut, batch, from, to));
    }

    @Override
    public double[] parameters() {
        return parameters.clone();
    }

    @Override
    public double[] gradients() {
        return gradients.clone();
    }

    @Override
    public void setParameters(double[] newParameters) {
        shape.checkParameters(newParameters);
        System.arraycopy(newParameters, 0, parameters, 0, parameters.length);
    }

    /** Stops the worker threads of a multi-threaded engine; the engine must not be used afterwards. */
    @Override
    public void close() {
        ranges.close();
    }

    @Override
    public String toString() {
        return "ReferenceEngine[" + spec + ", batch " + shape.batchSize() + ", " + ranges.threads() + " threads]";
    }
}
