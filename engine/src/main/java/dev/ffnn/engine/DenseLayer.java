package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/**
 * One fully connected layer, {@code Z = A_prev·W + b} and {@code A = g(Z)}, whose parameters are slices of
 * its network's parameter and gradient segments.
 *
 * <p>Within the network's flat parameter segment this layer occupies {@code fanIn·fanOut + fanOut} doubles
 * from {@link #parameterOffset()} (in elements): first W row-major, then b. The gradient segment has the same
 * layout.
 */
public final class DenseLayer {

    private final int index;
    private final int fanIn;
    private final int fanOut;
    private final Activation activation;
    private final long parameterOffset;
    private final RowMajorMatrix weights;         // W  [fanIn x fanOut]
    private final MemorySegment bias;             // b  [fanOut]
    private final RowMajorMatrix weightGradient;  // dW [fanIn x fanOut]
    private final MemorySegment biasGradient;     // db [fanOut]

    DenseLayer(int index, int fanIn, int fanOut, Activation activation, long parameterOffset,
               MemorySegment parameters, MemorySegment gradients) {
        this.index = index;
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.activation = activation;
        this.parameterOffset = parameterOffset;
        long weightBytes = (long) fanIn * fanOut * Double.BYTES;
        long biasBytes = (long) fanOut * Double.BYTES;
        long byteOffset = parameterOffset * Double.BYTES;
        this.weights = RowMajorMatrix.of(parameters.asSlice(byteOffset, weightBytes), fanIn, fanOut);
        this.bias = parameters.asSlice(byteOffset + weightBytes, biasBytes);
        this.weightGradient = RowMajorMatrix.of(gradients.asSlice(byteOffset, weightBytes), fanIn, fanOut);
        this.biasGradient = gradients.asSlice(byteOffset + weightBytes, biasBytes);
    }

    /** Returns the number of doubles a {@code fanIn x fanOut} layer stores: {@code fanIn·fanOut + fanOut}. */
    public static long parameterCount(int fanIn, int fanOut) {
        return (long) fanIn * fanOut + fanOut;
    }

    /** Returns the 0-based position of this layer in its network. */
    public int index() {
        return index;
    }

    public int fanIn() {
        return fanIn;
    }

    public int fanOut() {
        return fanOut;
    }

    public Activation activation() {
        return activation;
    }

    /** Returns where this layer's W starts in the flat parameter and gradient segments, in elements. */
    public long parameterOffset() {
        return parameterOffset;
    }

    /** Returns the number of doubles of this layer's W and b. */
    public long parameterCount() {
        return parameterCount(fanIn, fanOut);
    }

    /** Returns W, {@code fanIn x fanOut}, a view into the network's parameter segment. */
    public RowMajorMatrix weights() {
        return weights;
    }

    /** Returns b, {@code fanOut} doubles, a view into the network's parameter segment. */
    public MemorySegment bias() {
        return bias;
    }

    /** Returns ∂L/∂W of the last backward pass, {@code fanIn x fanOut}. */
    public RowMajorMatrix weightGradient() {
        return weightGradient;
    }

    /** Returns ∂L/∂b of the last backward pass, {@code fanOut} doubles. */
    public MemorySegment biasGradient() {
        return biasGradient;
    }

    @Override
    public String toString() {
        return "DenseLayer[" + index + ": " + fanIn + " -> " + fanOut + ", " + activation.cliName() + "]";
    }
}
