package dev.ffnn.engine.reference;

import dev.ffnn.engine.NetworkSpec;

/**
 * The shapes an on-heap engine works with, and the argument checks of {@link HeapEngine}'s methods.
 *
 * <p>Layer l has W at {@code weightOffset(l)} and b at {@code biasOffset(l)} in the packed parameters. Every
 * count fits an {@code int}, because Java arrays are indexed by {@code int}; the constructor rejects networks
 * and batch sizes that would need larger arrays.
 */
final class EngineShape {

    private final int[] sizes;         // input size, then each layer's fanOut
    private final int[] weightOffsets; // where W_l starts in the packed parameters
    private final int[] biasOffsets;   // where b_l starts
    private final int parameterCount;
    private final int batchSize;

    /**
     * @throws IllegalArgumentException if the batch size is below 1, or a parameter array or a
     *                                  {@code batchSize x size} buffer would exceed {@link Integer#MAX_VALUE} elements
     */
    EngineShape(NetworkSpec spec, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
        this.sizes = spec.layerSizes();
        this.batchSize = batchSize;
        int layers = sizes.length - 1;
        this.weightOffsets = new int[layers];
        this.biasOffsets = new int[layers];
        long offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffsets[l] = (int) Math.min(offset, Integer.MAX_VALUE);
            offset += (long) sizes[l] * sizes[l + 1];
            biasOffsets[l] = (int) Math.min(offset, Integer.MAX_VALUE);
            offset += sizes[l + 1];
        }
        if (offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("network " + spec.describeSizes() + " has " + offset
                    + " parameters, more than a Java array can index (" + Integer.MAX_VALUE + "): use the off-heap engine");
        }
        this.parameterCount = (int) offset;
        for (int size : sizes) {
            if ((long) batchSize * size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("batch size " + batchSize + " is too large for layer size " + size
                        + ": a batch buffer would exceed " + Integer.MAX_VALUE + " elements");
            }
        }
    }

    int layerCount() {
        return sizes.length - 1;
    }

    int fanIn(int layer) {
        return sizes[layer];
    }

    int fanOut(int layer) {
        return sizes[layer + 1];
    }

    int inputSize() {
        return sizes[0];
    }

    int outputSize() {
        return sizes[sizes.length - 1];
    }

    int weightOffset(int layer) {
        return weightOffsets[layer];
    }

    int biasOffset(int layer) {
        return biasOffsets[layer];
    }

    int parameterCount() {
        return parameterCount;
    }

    int batchSize() {
        return batchSize;
    }

    /** @throws IllegalArgumentException unless the input contains exactly {@code batchSize x inputSize} doubles */
    void checkInput(double[] input) {
        long expected = (long) batchSize * inputSize();
        if (input.length != expected) {
            throw new IllegalArgumentException("input of " + input.length + " doubles is invalid: it must contain batch size "
                    + batchSize + " x input size " + inputSize() + " = " + expected);
        }
    }

    /** @throws IllegalArgumentException unless there are exactly {@code batchSize} labels (their range is checked by the loss) */
    void checkLabels(int[] labels) {
        if (labels.length != batchSize) {
            throw new IllegalArgumentException(labels.length + " labels are invalid: the batch has " + batchSize
                    + " samples, so give " + batchSize + " labels");
        }
    }

    /** @throws IllegalArgumentException unless the array contains exactly {@link #parameterCount()} doubles */
    void checkParameters(double[] parameters) {
        if (parameters.length != parameterCount) {
            throw new IllegalArgumentException(parameters.length + " parameters are invalid for network "
                    + describeSizes() + ": it has " + parameterCount + " (W then b per layer)");
        }
    }

    /** @throws IllegalArgumentException unless the learning rate is a finite number > 0 */
    static void checkLearningRate(double learningRate) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate " + learningRate + " is invalid: it must be a finite number > 0");
        }
    }

    private String describeSizes() {
        StringBuilder text = new StringBuilder();
        for (int size : sizes) {
            text.append(text.isEmpty() ? "" : "-").append(size);
        }
        return text.toString();
    }
}
