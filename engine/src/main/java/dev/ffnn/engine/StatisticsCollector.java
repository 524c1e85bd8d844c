package dev.ffnn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Computes {@link StatisticsRecord}s of a network and the workspace of its last step, and keeps the copy of the
 * parameters before an update that the update-to-weight ratio needs.
 *
 * <p>It owns one off-heap copy of the parameters, allocated in a shared arena when it is created and freed by
 * {@link #close()}. {@link #snapshot} copies without allocating; {@link #collect} allocates the record it returns.
 */
public final class StatisticsCollector implements AutoCloseable {

    /** |tanh| above this is saturated. */
    static final double TANH_SATURATION = 0.99;

    /** A sigmoid output below this or above {@code 1 - SIGMOID_SATURATION} is saturated. */
    static final double SIGMOID_SATURATION = 0.01;

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final Network network;
    private final StatisticsSettings settings;
    private final Arena arena;
    private final MemorySegment before; // θ before the last update, network.parameterCount() doubles
    private boolean snapshotTaken;

    /** Allocates the parameter copy for {@code network}; the caller closes the collector. */
    public StatisticsCollector(Network network, StatisticsSettings settings) {
        this.network = network;
        this.settings = settings;
        this.arena = Arena.ofShared();
        this.before = arena.allocate(DOUBLE, Math.max(1, network.parameterCount()));
    }

    public StatisticsSettings settings() {
        return settings;
    }

    /** Copies the network's parameters, so the next {@link #collect} with an update can measure ΔW. */
    public void snapshot() {
        MemorySegment.copy(network.parameters(), 0, before, 0, network.parameterCount() * Double.BYTES);
        snapshotTaken = true;
    }

    /**
     * Returns the statistics of every layer from the network and the workspace of its last forward and backward
     * pass.
     *
     * @param afterUpdate true when an update followed the pass and {@link #snapshot} ran just before it, so the
     *                    update ratios can be computed; false gives NaN ratios
     */
    public StatisticsRecord collect(Workspace workspace, long step, int epoch, int stepInEpoch, double learningRate,
                                    double loss, boolean afterUpdate) {
        boolean ratios = afterUpdate && snapshotTaken;
        snapshotTaken = false;
        int bins = settings.histogramBins();
        List<LayerStatistics> layers = new ArrayList<>(network.layers().size());
        for (DenseLayer layer : network.layers()) {
            int l = layer.index();
            RowMajorMatrix a = workspace.activations(l);
            Map<LayerStatistics.Tensor, TensorStatistics> tensors = new EnumMap<>(LayerStatistics.Tensor.class);
            long weightCount = layer.weights().elementCount();
            long batchCount = a.elementCount();
            tensors.put(LayerStatistics.Tensor.WEIGHTS, TensorStatistics.of(layer.weights().segment(), weightCount, bins));
            tensors.put(LayerStatistics.Tensor.BIASES, TensorStatistics.of(layer.bias(), layer.fanOut(), bins));
            tensors.put(LayerStatistics.Tensor.PRE_ACTIVATIONS,
                    TensorStatistics.of(workspace.preActivations(l).segment(), batchCount, bins));
            tensors.put(LayerStatistics.Tensor.ACTIVATIONS, TensorStatistics.of(a.segment(), batchCount, bins));
            tensors.put(LayerStatistics.Tensor.ERRORS, TensorStatistics.of(workspace.errors(l).segment(), batchCount, bins));
            tensors.put(LayerStatistics.Tensor.WEIGHT_GRADIENTS,
                    TensorStatistics.of(layer.weightGradient().segment(), weightCount, bins));
            tensors.put(LayerStatistics.Tensor.BIAS_GRADIENTS, TensorStatistics.of(layer.biasGradient(), layer.fanOut(), bins));
            layers.add(new LayerStatistics(l, layer.fanIn(), layer.fanOut(), layer.activation(), tensors,
                    ratios ? updateRatio(layer) : Double.NaN,
                    deadFraction(layer.activation(), a),
                    saturatedFraction(layer.activation(), a),
                    InitializationStudy.effectiveWidth(layer.weights(), layer.bias(),
                            InitializationStudy.SYMMETRY_TOLERANCE)));
        }
        return new StatisticsRecord(step, epoch, stepInEpoch, workspace.batchSize(), learningRate, loss,
                gradientNorm(network), layers);
    }

    /** Returns {@code ‖W_after − W_before‖ / ‖W_before‖} from the snapshot. */
    private double updateRatio(DenseLayer layer) {
        MemorySegment after = layer.weights().segment();
        long offset = layer.parameterOffset();
        long count = layer.weights().elementCount();
        double changeSquares = 0.0;
        double weightSquares = 0.0;
        for (long i = 0; i < count; i++) {
            double old = before.getAtIndex(DOUBLE, offset + i);
            double change = after.getAtIndex(DOUBLE, i) - old;
            changeSquares += change * change;
            weightSquares += old * old;
        }
        return Math.sqrt(changeSquares) / Math.sqrt(weightSquares);
    }

    /**
     * Returns ‖∂L/∂θ‖ over all of the network's gradients: {@code sqrt(ddot(g, g))}, rescaled when the squares
     * overflow or underflow.
     */
    static double gradientNorm(Network network) {
        MemorySegment gradients = network.gradients();
        long count = network.parameterCount();
        double squares = 0.0;
        for (long start = 0; start < count; start += Integer.MAX_VALUE) {
            int chunk = (int) Math.min(Integer.MAX_VALUE, count - start);
            MemorySegment slice = start == 0 ? gradients : gradients.asSlice(start * Double.BYTES);
            squares += Blas.dot(chunk, slice, 1, slice, 1);
        }
        if (squares == 0.0 || (Double.isFinite(squares) && squares >= Double.MIN_NORMAL)) {
            return Math.sqrt(squares);
        }
        // Rare, and allocates: the squares overflowed, underflowed, or a value is NaN or infinite
        return TensorStatistics.of(gradients, count, 0).norm();
    }

    /**
     * Returns the fraction of the layer's units whose activation is exactly 0 for every sample of the batch, or
     * NaN unless the activation is ReLU. A NaN activation is not 0, so it never counts as dead.
     */
    static double deadFraction(Activation activation, RowMajorMatrix a) {
        if (activation != Activation.RELU || a.cols() == 0) {
            return Double.NaN;
        }
        int dead = 0;
        for (int j = 0; j < a.cols(); j++) {
            boolean alwaysZero = true;
            for (int i = 0; i < a.rows() && alwaysZero; i++) {
                alwaysZero = a.segment().getAtIndex(DOUBLE, (long) i * a.leadingDimension() + j) == 0.0;
            }
            if (alwaysZero) {
                dead++;
            }
        }
        return (double) dead / a.cols();
    }

    /**
     * Returns the fraction of the activations in saturation ({@code |a| > 0.99} for tanh, {@code a < 0.01} or
     * {@code a > 0.99} for sigmoid), or NaN for the other activations.
     */
    static double saturatedFraction(Activation activation, RowMajorMatrix a) {
        if ((activation != Activation.TANH && activation != Activation.SIGMOID) || a.elementCount() == 0) {
            return Double.NaN;
        }
        long saturated = 0;
        long count = a.elementCount();
        for (long i = 0; i < count; i++) {
            double value = a.segment().getAtIndex(DOUBLE, i);
            boolean inSaturation = activation == Activation.TANH
                    ? Math.abs(value) > TANH_SATURATION
                    : value < SIGMOID_SATURATION || value > 1.0 - SIGMOID_SATURATION;
            if (inSaturation) {
                saturated++;
            }
        }
        return (double) saturated / count;
    }

    /**
     * Returns where the first NaN or infinity sits, in the order layer by layer and within a layer W, b, Z, A, δ,
     * ∂L/∂W, ∂L/∂b, such as {@code "layer 2 weight_gradient (NaN)"}, or null when every value is finite.
     * Layers are numbered from 1.
     */
    static String locateNonFinite(Network network, Workspace workspace) {
        for (DenseLayer layer : network.layers()) {
            int l = layer.index();
            long weightCount = layer.weights().elementCount();
            long batchCount = workspace.activations(l).elementCount();
            for (LayerStatistics.Tensor tensor : LayerStatistics.Tensor.values()) {
                MemorySegment values = switch (tensor) {
                    case WEIGHTS -> layer.weights().segment();
                    case BIASES -> layer.bias();
                    case PRE_ACTIVATIONS -> workspace.preActivations(l).segment();
                    case ACTIVATIONS -> workspace.activations(l).segment();
                    case ERRORS -> workspace.errors(l).segment();
                    case WEIGHT_GRADIENTS -> layer.weightGradient().segment();
                    case BIAS_GRADIENTS -> layer.biasGradient();
                };
                long count = switch (tensor) {
                    case WEIGHTS, WEIGHT_GRADIENTS -> weightCount;
                    case BIASES, BIAS_GRADIENTS -> layer.fanOut();
                    case PRE_ACTIVATIONS, ACTIVATIONS, ERRORS -> batchCount;
                };
                for (long i = 0; i < count; i++) {
                    double value = values.getAtIndex(DOUBLE, i);
                    if (!Double.isFinite(value)) {
                        return "layer " + (l + 1) + " " + tensor.fileName() + " (" + value + ")";
                    }
                }
            }
        }
        return null;
    }

    /** Frees the parameter copy. */
    @Override
    public void close() {
        arena.close();
    }
}
