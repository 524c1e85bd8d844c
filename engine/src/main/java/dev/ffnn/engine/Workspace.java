package dev.ffnn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Every buffer one forward and backward pass of a batch of exactly {@link #batchSize()} samples needs,
 * allocated once so a training step allocates nothing.
 *
 * <p>Create one with {@link Network#newWorkspace(int)}; it owns its arena until {@link #close()}. A data set
 * whose size is not a multiple of the batch size needs a second workspace for the last, smaller batch.
 */
public final class Workspace implements AutoCloseable {

    private final Arena arena;
    private final Network network;
    private final int batchSize;
    private final RowMajorMatrix input;                // X [batchSize x inputSize]
    private final MemorySegment labels;                // y [batchSize] int32
    private final MemorySegment ones;                  // 1 [batchSize], for ∂b = δᵀ·1
    private final List<RowMajorMatrix> preActivations; // Z_l [batchSize x fanOut_l]
    private final List<RowMajorMatrix> activations;    // A_l [batchSize x fanOut_l], Z_l itself for identity
    private final List<RowMajorMatrix> errors;         // δ_l = ∂L/∂Z_l [batchSize x fanOut_l]

    Workspace(Network network, int batchSize) {
        NetworkSpec spec = network.spec();
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
        this.network = network;
        this.batchSize = batchSize;
        // Shared, so a workspace made by one thread (a benchmark's setup) can be used by another.
        this.arena = Arena.ofShared();
        this.input = RowMajorMatrix.allocate(arena, batchSize, spec.inputSize());
        this.labels = arena.allocate(ValueLayout.JAVA_INT, batchSize);
        this.ones = arena.allocate(ValueLayout.JAVA_DOUBLE, batchSize);
        ones.elements(ValueLayout.JAVA_DOUBLE).forEach(element -> element.set(ValueLayout.JAVA_DOUBLE, 0, 1.0));
        int[] sizes = spec.layerSizes();
        RowMajorMatrix[] z = new RowMajorMatrix[spec.layerCount()];
        RowMajorMatrix[] a = new RowMajorMatrix[spec.layerCount()];
        RowMajorMatrix[] delta = new RowMajorMatrix[spec.layerCount()];
        for (int l = 0; l < spec.layerCount(); l++) {
            int fanOut = sizes[l + 1];
            z[l] = RowMajorMatrix.allocate(arena, batchSize, fanOut);
            a[l] = spec.activation(l).isIdentity() ? z[l] : RowMajorMatrix.allocate(arena, batchSize, fanOut);
            delta[l] = RowMajorMatrix.allocate(arena, batchSize, fanOut);
        }
        this.preActivations = List.of(z);
        this.activations = List.of(a);
        this.errors = List.of(delta);
    }

    /** Returns the network this workspace was made for. */
    public Network network() {
        return network;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Returns the input batch X, {@code batchSize x inputSize}; fill it (or let a data set fill it) before a pass. */
    public RowMajorMatrix input() {
        return input;
    }

    /** Returns the batch's class labels, {@code batchSize} int32 values. */
    public MemorySegment labels() {
        return labels;
    }

    /** Returns the vector of ones used to sum δ over the batch. */
    MemorySegment ones() {
        return ones;
    }

    /** Returns Z of dense layer {@code layer} after the last forward pass, {@code batchSize x fanOut}. */
    public RowMajorMatrix preActivations(int layer) {
        return preActivations.get(layer);
    }

    /** Returns A = g(Z) of dense layer {@code layer}; for {@code layer == -1}, the input X. */
    public RowMajorMatrix activations(int layer) {
        return layer < 0 ? input : activations.get(layer);
    }

    /** Returns δ = ∂L/∂Z of dense layer {@code layer} after the last backward pass. */
    public RowMajorMatrix errors(int layer) {
        return errors.get(layer);
    }

    /** Returns the network's output for the batch: the last layer's activations (logits for cross-entropy). */
    public RowMajorMatrix output() {
        return activations.getLast();
    }

    /** Throws {@link IllegalStateException} naming this workspace once it is closed. */
    void requireOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException("workspace for batch size " + batchSize + " of network "
                    + network.spec().describeSizes() + " is closed: create a new one with network.newWorkspace(batchSize)");
        }
    }

    /** Frees every buffer; using the workspace afterwards throws {@link IllegalStateException}. */
    @Override
    public void close() {
        arena.close();
    }
}
