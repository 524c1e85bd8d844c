package dev.ffnn.engine;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Statistics of one dense layer at one training step: summary statistics of each of its tensors, and the
 * layer-level measures of how it trains.
 *
 * @param layer             0-based layer index
 * @param fanIn             rows of W
 * @param fanOut            columns of W
 * @param activation        the layer's activation g
 * @param tensors           statistics of each tensor; every {@link Tensor} is present
 * @param updateRatio       {@code ‖ΔW‖ / ‖W‖} of the step, with W before the update and ΔW the change the update
 *                          made (Frobenius norms); NaN when the statistics were taken without an update
 * @param deadFraction      fraction of the layer's units whose activation is 0 for every sample of the batch;
 *                          NaN unless the activation is ReLU
 * @param saturatedFraction fraction of the batch's activations (one per sample and unit) in saturation:
 *                          {@code |a| > 0.99} for tanh, {@code a < 0.01} or {@code a > 0.99} for sigmoid; NaN for
 *                          the other activations
 * @param effectiveWidth    number of distinct units, where two units are the same when every incoming weight and
 *                          the bias differ by at most {@link InitializationStudy#SYMMETRY_TOLERANCE}, as
 *                          {@link InitializationStudy#effectiveWidth} counts them
 */
public record LayerStatistics(int layer, int fanIn, int fanOut, Activation activation,
                              Map<Tensor, TensorStatistics> tensors, double updateRatio, double deadFraction,
                              double saturatedFraction, int effectiveWidth) {

    /**
     * Copies the tensor map into a read-only one.
     *
     * @throws IllegalArgumentException if a tensor is missing
     */
    public LayerStatistics {
        EnumMap<Tensor, TensorStatistics> copy = new EnumMap<>(Tensor.class);
        copy.putAll(tensors);
        if (copy.size() != Tensor.values().length) {
            throw new IllegalArgumentException("statistics of layer " + layer + " cover " + copy.keySet()
                    + " but need every tensor of " + java.util.Arrays.toString(Tensor.values()));
        }
        tensors = Collections.unmodifiableMap(copy);
    }

    /** Returns the statistics of one tensor. */
    public TensorStatistics tensor(Tensor tensor) {
        return tensors.get(tensor);
    }

    /** The tensors of a layer that statistics cover, with the names the statistics files use. */
    public enum Tensor {
        /** W, {@code fanIn x fanOut}, after the step's update. */
        WEIGHTS("weights"),
        /** b, {@code fanOut}, after the step's update. */
        BIASES("biases"),
        /** Z = A_prev·W + b over the batch, {@code batchSize x fanOut}, from the step's forward pass. */
        PRE_ACTIVATIONS("z"),
        /** A = g(Z) over the batch. */
        ACTIVATIONS("a"),
        /** δ = ∂L/∂Z over the batch, from the step's backward pass. */
        ERRORS("delta"),
        /** ∂L/∂W, the gradient the update used. */
        WEIGHT_GRADIENTS("weight_gradient"),
        /** ∂L/∂b, the gradient the update used. */
        BIAS_GRADIENTS("bias_gradient");

        private final String fileName;

        Tensor(String fileName) {
            this.fileName = fileName;
        }

        /** Returns the name in statistics files, such as {@code weight_gradient}. */
        public String fileName() {
            return fileName;
        }
    }
}
