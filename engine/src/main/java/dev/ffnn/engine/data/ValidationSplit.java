package dev.ffnn.engine.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A training set split into the part to train on and a held-out validation part, for early stopping. Both parts
 * are copies in the storage format of the original and keep its class count. Closing the split closes both parts
 * but not the original.
 *
 * @param train      the samples to train on
 * @param validation the held-out samples
 */
public record ValidationSplit(Dataset train, Dataset validation) implements AutoCloseable {

    /** Checks that both parts are present. */
    public ValidationSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
    }

    /**
     * Holds out {@code round(fraction · sampleCount)} samples of {@code data}, chosen by a generator seeded with
     * {@code seed}. Each part keeps the samples in the order of {@code data}.
     *
     * @param data a data set made by ffnn's loaders ({@link IdxFiles}, {@link CsvFiles}, {@link DenseDataset},
     *             {@link SyntheticDatasets}); not modified, and still open after the call
     * @throws IllegalArgumentException if {@code fraction} is not in (0, 1), either part would be empty, or
     *                                  {@code data} was made elsewhere
     * @throws IllegalStateException    if {@code data} is closed
     */
    public static ValidationSplit of(Dataset data, double fraction, long seed) {
        Objects.requireNonNull(data, "data");
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction " + fraction + " is invalid: it must be in (0, 1)");
        }
        if (!(data instanceof OffHeapDataset source)) {
            throw new IllegalArgumentException("data set '" + data.name() + "' is a " + data.getClass().getName()
                    + ", which cannot be split: load it with IdxFiles, CsvFiles or DenseDataset");
        }
        int samples = data.sampleCount();
        if (samples < 2) {
            throw new IllegalArgumentException("data set '" + data.name() + "' has " + Counts.of(samples, "sample")
                    + ", too few to hold out validation samples and keep training samples: give at least 2 training"
                    + " samples, or no validation fraction");
        }
        long validationCount = Math.round(fraction * samples);
        if (validationCount < 1 || validationCount >= samples) {
            throw new IllegalArgumentException("validation fraction " + fraction + " of " + Counts.of(samples, "sample")
                    + " in '" + data.name() + "' leaves " + (validationCount < 1 ? "no validation" : "no training")
                    + " samples: use a fraction between " + 1.0 / samples + " and " + (samples - 1.0) / samples);
        }

        // A seeded permutation picks the validation samples; sorting keeps the file order within each part.
        BatchOrder order = BatchOrder.shuffled(samples, seed);
        order.shuffle();
        int[] permutation = order.indices();
        int[] validationSamples = Arrays.copyOfRange(permutation, 0, (int) validationCount);
        int[] trainSamples = Arrays.copyOfRange(permutation, (int) validationCount, samples);
        Arrays.sort(validationSamples);
        Arrays.sort(trainSamples);

        OffHeapDataset validation = source.select(data.name() + " (validation part)", validationSamples);
        try {
            return new ValidationSplit(source.select(data.name() + " (training part)", trainSamples), validation);
        } catch (RuntimeException | Error e) {
            validation.close();
            throw e;
        }
    }

    /** Closes both parts. The validation part is closed even if closing the training part throws. */
    @Override
    public void close() {
        try {
            train.close();
        } finally {
            validation.close();
        }
    }
}
