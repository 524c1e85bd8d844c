package dev.ffnn.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A network and batch size as a benchmark parameter: {@code 784-256-128-10/128} is layer sizes 784, 256, 128
 * and 10 (input to output) at batch size 128.
 *
 * @param layerSizes input size, then each layer's output size
 * @param batchSize  samples per step
 */
record Shape(int[] layerSizes, int batchSize) {

    /**
     * Parses {@code SIZES/BATCH}, sizes separated by {@code -}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    static Shape parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape '" + text + "' is invalid: write SIZES/BATCH, e.g. 784-256-128-10/128");
        }
        try {
            int[] sizes = Arrays.stream(parts[0].split("-", -1)).mapToInt(Integer::parseInt).toArray();
            return new Shape(sizes, Integer.parseInt(parts[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape '" + text + "' is invalid: write SIZES/BATCH with integers,"
                    + " e.g. 784-256-128-10/128", e);
        }
    }

    @Override
    public String toString() {
        return Arrays.stream(layerSizes).mapToObj(Integer::toString).collect(Collectors.joining("-")) + "/" + batchSize;
    }
}
