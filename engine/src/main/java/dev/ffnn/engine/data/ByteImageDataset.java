package dev.ffnn.engine.data;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A data set of images with one unsigned byte per pixel, such as MNIST, kept compact off-heap.
 *
 * <p>Pixel {@code j} of sample {@code s} is the byte at offset {@code s * featureCount + j}. {@link #copyBatch}
 * scales each pixel value {@code v} in {@code [0, 255]} to the double {@code v / 255.0} in {@code [0, 1]} as it
 * copies, so the data set needs one eighth of the memory of the same images as doubles.
 * {@link IdxFiles} creates instances.
 */
public final class ByteImageDataset extends OffHeapDataset {

    private static final double MAX_PIXEL_VALUE = 255.0;

    /** {@code v / 255.0} for every pixel value v: a lookup costs less than the division and gives the same bits. */
    private static final double[] SCALED = new double[256];

    static {
        for (int v = 0; v < SCALED.length; v++) {
            SCALED[v] = v / MAX_PIXEL_VALUE;
        }
    }

    private final MemorySegment pixels; // uint8[sampleCount x featureCount], packed row-major

    /**
     * Takes ownership of {@code arena}, which must contain {@code pixels} and {@code labels}. The caller
     * has checked the counts and that every label is in {@code [0, classCount)}.
     */
    ByteImageDataset(String name, Arena arena, MemorySegment pixels, MemorySegment labels,
                     int sampleCount, int featureCount, int classCount) {
        super(name, arena, labels, sampleCount, featureCount, classCount);
        this.pixels = pixels;
    }

    @Override
    MemorySegment copyFeaturesOf(int[] samples, Arena arena) {
        long rowByteSize = featureCount();
        MemorySegment copy = arena.allocate(rowByteSize * samples.length, 1);
        for (int k = 0; k < samples.length; k++) {
            MemorySegment.copy(pixels, samples[k] * rowByteSize, copy, k * rowByteSize, rowByteSize);
        }
        return copy;
    }

    @Override
    OffHeapDataset create(String name, Arena arena, MemorySegment features, MemorySegment labels, int sampleCount) {
        return new ByteImageDataset(name, arena, features, labels, sampleCount, featureCount(), classCount());
    }

    @Override
    void copyFeatures(int sample, MemorySegment destination, long destinationByteOffset) {
        int featureCount = featureCount();
        long pixelOffset = (long) sample * featureCount;
        for (int j = 0; j < featureCount; j++) {
            int value = pixels.get(ValueLayout.JAVA_BYTE, pixelOffset + j) & 0xFF;
            destination.set(ValueLayout.JAVA_DOUBLE, destinationByteOffset + (long) j * Double.BYTES, SCALED[value]);
        }
    }
}
