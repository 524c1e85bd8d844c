package dev.ffnn.engine;

import java.util.random.RandomGenerator;

/**
 * Fills a weight matrix in place, in its off-heap segment.
 *
 * <p><b>Fan convention.</b> Weights are stored as {@code W[fanIn x fanOut]}, row-major, because a layer
 * computes {@code Z = A·W}: fan-in is {@code weights.rows()} and fan-out is {@code weights.cols()}.
 * PyTorch stores the transpose ({@code [out, in]}), so its {@code size(1)} is our {@code rows()}.
 *
 * <p>Implementations draw from the generator they are given and nothing else, so the same seed gives the
 * same matrix.
 */
public interface Initializer {

    /**
     * Fills every element of {@code weights} (modified) with values drawn from {@code random}.
     *
     * @throws IllegalArgumentException if a scheme that scales by fan-in or fan-out gets a matrix with
     *                                  no rows or no columns
     */
    void fill(RowMajorMatrix weights, RandomGenerator random);

    /** Returns the name with its arguments as the command line spells it, such as {@code uniform:-0.1:0.1}. */
    String name();
}
