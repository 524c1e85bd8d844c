package dev.ffnn.engine;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The architecture of a fully connected network: layer sizes, activations, loss, and weight and bias initializers.
 *
 * @param layerSizes       the input size, then each layer's output size: {@code {784, 256, 128, 10}} is three
 *                         dense layers
 * @param hiddenActivation the activation of every layer but the last
 * @param outputActivation the activation of the last layer; {@link Activation#IDENTITY} for
 *                         {@link Loss#SOFTMAX_CROSS_ENTROPY}, which applies the softmax itself
 * @param loss             the loss to minimise
 * @param initializer      fills every weight matrix
 * @param biasInitializer  fills every bias vector, drawing as it would for that layer's weights; it must fill biases
 *                         ({@link Initializer#fillsBiases()}), and {@link Initializers#zeros()} is the usual choice
 */
public record NetworkSpec(int[] layerSizes, Activation hiddenActivation, Activation outputActivation, Loss loss,
                          Initializer initializer, Initializer biasInitializer) {

    /**
     * Checks the architecture.
     *
     * @throws IllegalArgumentException if there are fewer than two sizes, a size is below 1, the loss does not fit
     *                                  the output layer, or the bias initializer fills matrices only
     */
    public NetworkSpec {
        layerSizes = layerSizes.clone();
        Objects.requireNonNull(hiddenActivation, "hiddenActivation");
        Objects.requireNonNull(outputActivation, "outputActivation");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(initializer, "initializer");
        Objects.requireNonNull(biasInitializer, "biasInitializer");
        if (!biasInitializer.fillsBiases()) {
            throw new IllegalArgumentException("bias initializer " + biasInitializer.name() + " fills weight matrices"
                    + " only; use an element-wise one such as zeros, constant:VALUE, uniform, normal or nguyen-widrow");
        }
        if (layerSizes.length < 2) {
            throw new IllegalArgumentException("layer sizes " + Arrays.toString(layerSizes)
                    + " are invalid: give the input size and at least one layer size, e.g. 784,128,10");
        }
        for (int i = 0; i < layerSizes.length; i++) {
            if (layerSizes[i] < 1) {
                throw new IllegalArgumentException("layer size " + layerSizes[i] + " at position " + (i + 1)
                        + " of " + describeSizes(layerSizes) + " is invalid: every size must be >= 1");
            }
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && outputActivation != Activation.IDENTITY) {
            throw new IllegalArgumentException("output activation " + outputActivation.cliName()
                    + " does not fit loss cross-entropy, which applies the softmax to the logits itself: use identity");
        }
        if (loss == Loss.SOFTMAX_CROSS_ENTROPY && layerSizes[layerSizes.length - 1] < 2) {
            throw new IllegalArgumentException("output size " + layerSizes[layerSizes.length - 1]
                    + " is invalid for cross-entropy: a softmax needs at least 2 classes");
        }
    }

    /** Builds a spec whose biases start at 0. */
    public NetworkSpec(int[] layerSizes, Activation hiddenActivation, Activation outputActivation, Loss loss,
                       Initializer initializer) {
        this(layerSizes, hiddenActivation, outputActivation, loss, initializer, Initializers.zeros());
    }

    /** Returns this spec with {@code biasInitializer} in place of the current one. */
    public NetworkSpec withBiasInitializer(Initializer biasInitializer) {
        return new NetworkSpec(layerSizes, hiddenActivation, outputActivation, loss, initializer, biasInitializer);
    }

    /** Returns a classifier spec: the given hidden activation, identity output, softmax cross-entropy, biases at 0. */
    public static NetworkSpec classifier(int[] layerSizes, Activation hiddenActivation, Initializer initializer) {
        return new NetworkSpec(layerSizes, hiddenActivation, Activation.IDENTITY, Loss.SOFTMAX_CROSS_ENTROPY, initializer);
    }

    @Override
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    /** Returns the number of dense layers (one less than the number of sizes). */
    public int layerCount() {
        return layerSizes.length - 1;
    }

    public int inputSize() {
        return layerSizes[0];
    }

    public int outputSize() {
        return layerSizes[layerSizes.length - 1];
    }

    /** Returns the activation of dense layer {@code layer} (0-based). */
    public Activation activation(int layer) {
        Objects.checkIndex(layer, layerCount());
        return layer == layerCount() - 1 ? outputActivation : hiddenActivation;
    }

    /** Returns the number of weights and biases: {@code Σ (fanIn·fanOut + fanOut)} over the layers. */
    public long parameterCount() {
        long count = 0;
        for (int l = 0; l < layerCount(); l++) {
            count = Math.addExact(count, DenseLayer.parameterCount(layerSizes[l], layerSizes[l + 1]));
        }
        return count;
    }

    /**
     * Returns the off-heap bytes a {@link Network} of this spec allocates: its parameters and its gradients.
     *
     * @throws ArithmeticException if the count overflows a long
     */
    public long networkByteSize() {
        return Math.multiplyExact(parameterCount(), 2L * Double.BYTES);
    }

    /**
     * Returns the off-heap bytes of one {@link Workspace} for batches of {@code batchSize}: the input batch, the
     * labels, a vector of ones, and Z, A (unless the activation is the identity) and δ for each layer.
     *
     * @throws ArithmeticException if the count overflows a long
     */
    public long workspaceByteSize(int batchSize) {
        long doubles = Math.addExact((long) batchSize * inputSize(), batchSize);
        for (int l = 0; l < layerCount(); l++) {
            int buffers = activation(l).isIdentity() ? 2 : 3;
            doubles = Math.addExact(doubles, Math.multiplyExact((long) batchSize * layerSizes[l + 1], buffers));
        }
        return Math.addExact(Math.multiplyExact(doubles, (long) Double.BYTES), (long) batchSize * Integer.BYTES);
    }

    /** Returns the sizes joined by {@code -}, such as {@code 784-256-128-10}. */
    public String describeSizes() {
        return describeSizes(layerSizes);
    }

    private static String describeSizes(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkSpec spec && Arrays.equals(layerSizes, spec.layerSizes)
                && hiddenActivation == spec.hiddenActivation && outputActivation == spec.outputActivation
                && loss == spec.loss && initializer.name().equals(spec.initializer.name())
                && biasInitializer.name().equals(spec.biasInitializer.name());
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(layerSizes), hiddenActivation, outputActivation, loss, initializer.name(),
                biasInitializer.name());
    }

    @Override
    public String toString() {
        return describeSizes() + " " + hiddenActivation.cliName() + "/" + outputActivation.cliName() + " "
                + loss.cliName() + " " + initializer.name() + " bias " + biasInitializer.name();
    }
}
