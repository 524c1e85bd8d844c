package dev.ffnn.engine;

import dev.ffnn.engine.Blas.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully connected feed-forward network whose parameters and gradients live off-heap.
 *
 * <p><b>Parameter layout.</b> All parameters sit in one contiguous segment of doubles and all gradients in
 * another with the same layout: layer 0's W ({@code fanIn x fanOut}, row-major), then layer 0's b
 * ({@code fanOut}), then layer 1's W and b, and so on. {@link DenseLayer#parameterOffset()} gives where each
 * layer starts. The order is stable, so a flat parameter vector, an optimizer pass and a checkpoint are each a
 * single segment.
 *
 * <p><b>Lifetime.</b> The network owns its arena; {@link #close()} frees the parameters and gradients, and any
 * later use throws {@link IllegalStateException}.
 */
public final class Network implements AutoCloseable {

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final NetworkSpec spec;
    private final Arena arena;
    private final MemorySegment parameters; // θ, parameterCount doubles
    private final MemorySegment gradients;  // ∂L/∂θ, same layout as parameters
    private final long parameterCount;
    private final List<DenseLayer> layers;

    private Network(NetworkSpec spec) {
        this.spec = spec;
        int[] sizes = spec.layerSizes();
        long count = spec.parameterCount();
        this.parameterCount = count;
        // Shared, so a network built by one thread can be trained by another (a benchmark harness does this).
        this.arena = Arena.ofShared();
        this.parameters = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
        this.gradients = arena.allocate(ValueLayout.JAVA_DOUBLE, count);
        List<DenseLayer> built = new ArrayList<>(spec.layerCount());
        long offset = 0;
        for (int l = 0; l < spec.layerCount(); l++) {
            built.add(new DenseLayer(l, sizes[l], sizes[l + 1], spec.activation(l), offset, parameters, gradients));
            offset += DenseLayer.parameterCount(sizes[l], sizes[l + 1]);
        }
        this.layers = List.copyOf(built);
    }

    /**
     * Builds a network and initializes it: each layer's W from {@code spec.initializer()} with its own
     * generator ({@link Seeds#generator}{@code (seed, WEIGHTS + l)}), every b at 0.
     */
    public static Network create(NetworkSpec spec, long seed) {
        Network network = new Network(spec);
        network.initialize(seed);
        return network;
    }

    /** Fills W of every layer from the spec's initializer and sets every b to 0; the same seed gives the same bits. */
    public void initialize(long seed) {
        for (DenseLayer layer : layers) {
            spec.initializer().fill(layer.weights(), Seeds.generator(seed, Seeds.WEIGHTS + layer.index()));
            layer.bias().fill((byte) 0);
        }
        gradients.fill((byte) 0);
    }

    public NetworkSpec spec() {
        return spec;
    }

    public List<DenseLayer> layers() {
        return layers;
    }

    /** Returns every parameter, packed per layer as W then b (see the class comment). */
    public MemorySegment parameters() {
        return parameters;
    }

    /** Returns the gradients of the last backward pass, in the layout of {@link #parameters()}. */
    public MemorySegment gradients() {
        return gradients;
    }

    /** Returns the number of parameters (weights and biases), the element count of {@link #parameters()}. */
    public long parameterCount() {
        return parameterCount;
    }

    /** Allocates the buffers for batches of exactly {@code batchSize} samples; the caller closes it. */
    public Workspace newWorkspace(int batchSize) {
        return new Workspace(this, batchSize);
    }

    /**
     * Runs the forward pass on {@code workspace.input()}: {@code Z_l = A_{l-1}·W_l + b_l}, {@code A_l = g(Z_l)}.
     *
     * @throws IllegalArgumentException if the workspace belongs to another network
     */
    public void forward(Workspace workspace) {
        requireOwn(workspace);
        int batch = workspace.batchSize();
        for (int l = 0; l < layers.size(); l++) {
            DenseLayer layer = layers.get(l);
            RowMajorMatrix previous = workspace.activations(layer.index() - 1);
            RowMajorMatrix z = workspace.preActivations(layer.index());
            RowMajorMatrix a = workspace.activations(layer.index());

            // Z = A_prev·W
            Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, previous, layer.weights(), 0.0, z);

            // Z += b; A = g(Z)
            layer.activation().addBiasAndApply(z.segment(), layer.bias(), a.segment(), batch, layer.fanOut());
        }
    }

    /**
     * Computes the loss of the last forward pass against {@code workspace.labels()} and the gradients of every
     * parameter into {@link #gradients()}, overwriting them.
     *
     * @return the mean loss over the batch
     */
    public double backward(Workspace workspace) {
        requireOwn(workspace);
        int batch = workspace.batchSize();
        DenseLayer last = layers.getLast();

        // δ_L = ∂L/∂Z_L
        double loss = spec.loss().lossAndDelta(workspace.preActivations(last.index()).segment(),
                workspace.activations(last.index()).segment(), last.activation(), workspace.labels(), batch,
                last.fanOut(), workspace.errors(last.index()).segment());

        for (int l = layers.size() - 1; l >= 0; l--) {
            DenseLayer layer = layers.get(l);
            RowMajorMatrix delta = workspace.errors(l);
            RowMajorMatrix previous = workspace.activations(l - 1);

            // ∂W = A_prevᵀ·δ
            Blas.gemm(Transpose.TRANSPOSE, Transpose.NO_TRANSPOSE, 1.0, previous, delta, 0.0, layer.weightGradient());

            // ∂b = δᵀ·1
            Blas.gemv(Transpose.TRANSPOSE, 1.0, delta, workspace.ones(), 1, 0.0, layer.biasGradient(), 1);

            if (l > 0) {
                // δ_prev = (δ·Wᵀ) ⊙ g'(Z_prev)
                RowMajorMatrix previousDelta = workspace.errors(l - 1);
                Blas.gemm(Transpose.NO_TRANSPOSE, Transpose.TRANSPOSE, 1.0, delta, layer.weights(), 0.0, previousDelta);
                layers.get(l - 1).activation().multiplyByDerivative(workspace.preActivations(l - 1).segment(),
                        previous.segment(), previousDelta.segment(), previousDelta.elementCount());
            }
        }
        return loss;
    }

    /**
     * Runs one training step on the batch in the workspace: forward, backward, then {@code optimizer.step}.
     *
     * @return the mean loss over the batch before the update
     */
    public double trainStep(Workspace workspace, Optimizer optimizer) {
        forward(workspace);
        double loss = backward(workspace);
        optimizer.step(parameters, gradients, parameterCount);
        return loss;
    }

    /** Returns the mean loss of the last forward pass, without touching the gradients. */
    public double loss(Workspace workspace) {
        requireOwn(workspace);
        int last = layers.size() - 1;
        return spec.loss().loss(workspace.preActivations(last).segment(), workspace.activations(last).segment(),
                workspace.labels(), workspace.batchSize(), spec.outputSize());
    }

    /**
     * Returns how many samples of the last forward pass have their label as the output's arg max (the first
     * maximum on ties).
     */
    public int countCorrect(Workspace workspace) {
        requireOwn(workspace);
        MemorySegment output = workspace.output().segment();
        int classes = spec.outputSize();
        int correct = 0;
        for (int i = 0; i < workspace.batchSize(); i++) {
            long rowStart = (long) i * classes;
            int best = 0;
            double bestValue = output.getAtIndex(DOUBLE, rowStart);
            for (int k = 1; k < classes; k++) {
                double value = output.getAtIndex(DOUBLE, rowStart + k);
                if (value > bestValue) {
                    bestValue = value;
                    best = k;
                }
            }
            if (best == workspace.labels().getAtIndex(INT, i)) {
                correct++;
            }
        }
        return correct;
    }

    /** Frees the parameters and gradients; later use of this network or its layers throws {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }

    /** Returns true until {@link #close()}. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    private void requireOwn(Workspace workspace) {
        if (workspace.network() != this) {
            throw new IllegalArgumentException("the workspace was made for another network ("
                    + workspace.network().spec().describeSizes() + "); create one with network.newWorkspace(batchSize)");
        }
    }

    @Override
    public String toString() {
        return "Network[" + spec + ", " + parameterCount + " parameters]";
    }
}
