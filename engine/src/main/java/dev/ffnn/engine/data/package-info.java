/**
 * Labelled classification data sets held off the Java heap, and the order in which training visits them.
 *
 * <ul>
 *   <li>{@link dev.ffnn.engine.data.Dataset}: the interface a training step reads batches from.</li>
 *   <li>{@link dev.ffnn.engine.data.IdxFiles}: loads MNIST-style IDX files, raw or gzip, into a
 *       {@link dev.ffnn.engine.data.ByteImageDataset} of one byte per pixel.</li>
 *   <li>{@link dev.ffnn.engine.data.CsvFiles}: loads labelled samples from a CSV file ({@link
 *       dev.ffnn.engine.data.CsvFormat}) into a {@link dev.ffnn.engine.data.DenseDataset}.</li>
 *   <li>{@link dev.ffnn.engine.data.ValidationSplit}: holds out a seeded fraction of a training set, for early
 *       stopping.</li>
 *   <li>{@link dev.ffnn.engine.data.SyntheticDatasets}: seeded {@code xor}, {@code spirals} and {@code blobs}
 *       sets as {@link dev.ffnn.engine.data.DenseDataset}s of doubles.</li>
 *   <li>{@link dev.ffnn.engine.data.BatchOrder}: a seeded per-epoch shuffle, or the identity order for
 *       evaluation.</li>
 * </ul>
 *
 * <p>A typical epoch:
 * <pre>{@code
 * try (TrainTestSplit data = IdxFiles.loadDirectory(dir); Arena arena = Arena.ofShared()) {
 *     BatchOrder order = BatchOrder.shuffled(data.train().sampleCount(), seed);
 *     RowMajorMatrix x = RowMajorMatrix.allocate(arena, batchSize, data.train().featureCount());
 *     MemorySegment y = arena.allocate(ValueLayout.JAVA_INT, batchSize);
 *     order.shuffle();
 *     for (int batch = 0; batch < order.batchCount(batchSize); batch++) {
 *         int count = order.copyBatch(data.train(), batch, batchSize, x, y);
 *         // train on rows 0 .. count - 1 of x and the first count labels of y
 *     }
 * }
 * }</pre>
 */
package dev.ffnn.engine.data;
