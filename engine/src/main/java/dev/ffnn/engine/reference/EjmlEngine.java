package dev.ffnn.engine.reference;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.NetworkSpec;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;

/**
 * An on-heap engine whose matrix products are EJML's ({@code org.ejml:ejml-ddense}): {@code DMatrixRMaj}
 * matrices and {@link CommonOps_DDRM#mult}, {@link CommonOps_DDRM#multTransA} and
 * {@link CommonOps_DDRM#multTransB}, EJML's dense row-major path. It is the benchmark baseline for
 * the best pure-Java matrix multiply.
 *
 * <p>The step is the reference engine's ({@link ReferenceEngine}), with the same elementwise code, so the two
 * differ only in the products. Each layer has its own W, b and gradient matrices; {@link #parameters()} packs
 * them as {@link HeapEngine} describes. The input matrix wraps the caller's array for the length of a call.
 *
 * <p>With more than one thread the products are {@link CommonOps_MT_DDRM}'s, which run on EJML's global
 * {@code ForkJoinPool} ({@link EjmlConcurrency}). Before each step the engine sets that pool to its thread count
 * when the pool has another, which replaces the pool for every EJML user in the JVM. EJML's parallel loops
 * allocate a few objects per product. With one thread (the default) a step allocates nothing.
 */
public final class EjmlEngine implements HeapEngine {

    private final NetworkSpec spec;
    private final EngineShape shape;
    private final Activation[] activations;
    private final int threads;
    private final DMatrixRMaj input;           // X [batchSize x inputSize], its data the caller's array during a call
    private final DMatrixRMaj[] weights;       // W_l [fanIn x fanOut]
    private final DMatrixRMaj[] biases;        // b_l [1 x fanOut]
    private final DMatrixRMaj[] weightGradients; // ∂W_l [fanIn x fanOut]
    private final DMatrixRMaj[] biasGradients;   // ∂b_l [1 x fanOut]
    private final DMatrixRMaj[] preActivations;  // Z_l [batchSize x fanOut]
    private final DMatrixRMaj[] outputs;         // A_l [batchSize x fanOut], Z_l itself for the identity
    private final DMatrixRMaj[] errors;          // δ_l [batchSize x fanOut]

    /**
     * Builds a single-threaded engine from a copy of {@code initialParameters}, packed as {@link HeapEngine}
     * describes.
     *
     * @throws IllegalArgumentException as {@link HeapEngine.Kind#create}
     */
    public EjmlEngine(NetworkSpec spec, double[] initialParameters, int batchSize) {
        this(spec, initialParameters, batchSize, 1);
    }

    /**
     * Builds an engine whose products run on {@code threads} threads (see the class comment).
     *
     * @throws IllegalArgumentException as {@link HeapEngine.Kind#create}
     */
    public EjmlEngine(NetworkSpec spec, double[] initialParameters, int batchSize, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        this.spec = spec;
        this.threads = threads;
        this.shape = new EngineShape(spec, batchSize);
        shape.checkParameters(initialParameters);

        int layers = shape.layerCount();
        this.activations = new Activation[layers];
        this.input = new DMatrixRMaj(batchSize, shape.inputSize());
        this.weights = new DMatrixRMaj[layers];
        this.biases = new DMatrixRMaj[layers];
        this.weightGradients = new DMatrixRMaj[layers];
        this.biasGradients = new DMatrixRMaj[layers];
        this.preActivations = new DMatrixRMaj[layers];
        this.outputs = new DMatrixRMaj[layers];
        this.errors = new DMatrixRMaj[layers];
        for (int l = 0; l < layers; l++) {
            int fanIn = shape.fanIn(l);
            int fanOut = shape.fanOut(l);
            activations[l] = spec.activation(l);
            weights[l] = new DMatrixRMaj(fanIn, fanOut);
            biases[l] = new DMatrixRMaj(1, fanOut);
            weightGradients[l] = new DMatrixRMaj(fanIn, fanOut);
            biasGradients[l] = new DMatrixRMaj(1, fanOut);
            preActivations[l] = new DMatrixRMaj(batchSize, fanOut);
            outputs[l] = activations[l] == Activation.IDENTITY ? preActivations[l] : new DMatrixRMaj(batchSize, fanOut);
            errors[l] = new DMatrixRMaj(batchSize, fanOut);
        }

        setParameters(initialParameters);
    }

    @Override
    public String name() {
        return Kind.EJML.engineName();
    }

    @Override
    public int threads() {
        return threads;
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
    public double[] forward(double[] inputData) {
        shape.checkInput(inputData);
        input.data = inputData;
        try {
            forwardLayers();
        } finally {
            input.data = null;
        }
        return outputs[shape.layerCount() - 1].data;
    }

    @Override
    public double loss(double[] inputData, int[] labels) {
        shape.checkLabels(labels);
        forward(inputData);
        int last = shape.layerCount() - 1;
        return Elementwise.lossAndDelta(spec.loss(), activations[last], preActivations[last].data, outputs[last].data,
                labels, shape.batchSize(), shape.outputSize(), null);
    }

    @Override
    public double computeGradients(double[] inputData, int[] labels) {
        shape.checkInput(inputData);
        shape.checkLabels(labels);
        input.data = inputData;
        try {
            forwardLayers();
            return backwardLayers(labels);
        } finally {
            input.data = null;
        }
    }

    @Override
    public double trainStep(double[] inputData, int[] labels, double learningRate) {
        EngineShape.checkLearningRate(learningRate);
        double loss = computeGradients(inputData, labels);

        // θ = θ − lr·∂θ
        for (int l = 0; l < shape.layerCount(); l++) {
            CommonOps_DDRM.addEquals(weights[l], -learningRate, weightGradients[l]);
            CommonOps_DDRM.addEquals(biases[l], -learningRate, biasGradients[l]);
        }
        return loss;
    }

    private void forwardLayers() {
        if (threads > 1 && EjmlConcurrency.getMaxThreads() != threads) {
            EjmlConcurrency.setMaxThreads(threads);
        }
        int batch = shape.batchSize();
        DMatrixRMaj previous = input;
        for (int l = 0; l < shape.layerCount(); l++) {
            // Z = A_prev·W
            if (threads == 1) {
                CommonOps_DDRM.mult(previous, weights[l], preActivations[l]);
            } else {
                CommonOps_MT_DDRM.mult(previous, weights[l], preActivations[l]);
            }

            // Z += b; A = g(Z)
            Elementwise.addBiasAndActivate(activations[l], preActivations[l].data, biases[l].data, 0, outputs[l].data,
                    batch, shape.fanOut(l));
            previous = outputs[l];
        }
    }

    private double backwardLayers(int[] labels) {
        int batch = shape.batchSize();
        int last = shape.layerCount() - 1;

        // δ_L = ∂L/∂Z_L
        double loss = Elementwise.lossAndDelta(spec.loss(), activations[last], preActivations[last].data,
                outputs[last].data, labels, batch, shape.outputSize(), errors[last].data);

        for (int l = last; l >= 0; l--) {
            DMatrixRMaj previous = l == 0 ? input : outputs[l - 1];

            // ∂W = A_prevᵀ·δ
            if (threads == 1) {
                CommonOps_DDRM.multTransA(previous, errors[l], weightGradients[l]);
            } else {
                CommonOps_MT_DDRM.multTransA(previous, errors[l], weightGradients[l]);
            }

            // ∂b = δᵀ·1
            CommonOps_DDRM.sumCols(errors[l], biasGradients[l]);

            if (l > 0) {
                // δ_prev = (δ·Wᵀ) ⊙ g'(Z_prev)
                if (threads == 1) {
                    CommonOps_DDRM.multTransB(errors[l], weights[l], errors[l - 1]);
                } else {
                    CommonOps_MT_DDRM.multTransB(errors[l], weights[l], errors[l - 1]);
                }
                Elementwise.multiplyByDerivative(activations[l - 1], preActivations[l - 1].data, outputs[l - 1].data,
                        errors[l - 1].data, batch * shape.fanIn(l));
            }
        }
        return loss;
    }

    @Override
    public double[] parameters() {
        double[] packed = new double[shape.parameterCount()];
        for (int l = 0; l < shape.layerCount(); l++) {
            System.arraycopy(weights[l].data, 0, packed, shape.weightOffset(l), weights[l].getNumElements());
            System.arraycopy(biases[l].data, 0, packed, shape.biasOffset(l), biases[l].getNumElements());
        }
        return packed;
    }

    @Override
    public double[] gradients() {
        double[] packed = new double[shape.parameterCount()];
        for (int l = 0; l < shape.layerCount(); l++) {
            System.arraycopy(weightGradients[l].data, 0, packed, shape.weightOffset(l), weightGradients[l].getNumElements());
            System.arraycopy(biasGradients[l].data, 0, packed, shape.biasOffset(l), biasGradients[l].getNumElements());
        }
        return packed;
    }

    @Override
    public void setParameters(double[] parameters) {
        shape.checkParameters(parameters);
        for (int l = 0; l < shape.layerCount(); l++) {
            System.arraycopy(parameters, shape.weightOffset(l), weights[l].data, 0, weights[l].getNumElements());
            System.arraycopy(parameters, shape.biasOffset(l), biases[l].data, 0, biases[l].getNumElements());
        }
    }

    /** Does nothing: the engine starts no threads of its own, and EJML's pool belongs to EJML. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "EjmlEngine[" + spec + ", batch " + shape.batchSize() + ", " + threads + " threads]";
    }
}
