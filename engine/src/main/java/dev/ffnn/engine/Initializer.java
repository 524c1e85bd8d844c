package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Fills a weight matrix, and where the scheme allows a bias vector, in place in its off-heap segment.
 *
 * <p><b>Fan convention.</b> Weights are stored as {@code W[fanIn x fanOut]}, row-major, because a layer
 * computes {@code Z = A·W}: fan-in is {@code weights.rows()} and fan-out is {@code weights.cols()}.
 * PyTorch stores the transpose ({@code [out, in]}), so its {@code size(1)} is our {@code rows()}.
 *
 * <p>Implementations draw from the generator or seed they are given and nothing else, so the same seed gives
 * the same matrix. No implementation copies the matrix to the Java heap.
 */
public interface Initializer {

    /**
     * Fills every element of {@code weights} (modified) with values drawn from {@code random}, in row-major
     * order on the calling thread.
     *
     * @throws IllegalArgumentException if a scheme that scales by fan-in or fan-out gets a matrix with
     *                                  no rows or no columns
     */
    void fill(RowMajorMatrix weights, RandomGenerator random);

    /**
     * Fills every element of {@code weights} (modified) from {@code seed}, using up to {@code threads} threads.
     * The result depends on the seed and the shape only, never on the thread count.
     *
     * <p>The built-in schemes draw fixed blocks of elements, block k from {@link Seeds#generator}{@code (seed, k)},
     * so their result differs from {@link #fill(RowMajorMatrix, RandomGenerator)}. This default fills on the
     * calling thread from {@code Seeds.generator(seed, 0)}.
     *
     * @throws IllegalArgumentException as {@link #fill(RowMajorMatrix, RandomGenerator)}, or if {@code threads < 1}
     */
    default void fill(RowMajorMatrix weights, long seed, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count " + threads + " is invalid: it must be >= 1");
        }
        fill(weights, Seeds.generator(seed, 0));
    }

    /** Returns true when {@link #fillBias} works, false for matrix-only schemes such as orthogonal. */
    default boolean fillsBiases() {
        return false;
    }

    /**
     * Fills the {@code fanOut} biases of a {@code fanIn x fanOut} layer (modified), each drawn from the law this
     * scheme gives that layer's weights, except Nguyen-Widrow, which has its own bias law.
     *
     * @throws IllegalArgumentException if the scheme fills matrices only ({@link #fillsBiases()} is false), a fan
     *                                  it scales by is 0, or {@code bias} is smaller than {@code fanOut} doubles
     */
    default void fillBias(MemorySegment bias, int fanIn, int fanOut, RandomGenerator random) {
        throw new IllegalArgumentException("initializer " + name() + " fills weight matrices only, not bias vectors;"
                + " use an element-wise one such as zeros, constant:VALUE, uniform or normal for biases");
    }

    /**
     * Returns the exact law of one element of a {@code fanIn x fanOut} weight matrix, or empty when it is not known.
     * For orthogonal and Nguyen-Widrow the elements are not independent, and the law is the marginal of one element.
     *
     * @throws IllegalArgumentException if a fan the scheme scales by is 0
     */
    default Optional<Distribution> distribution(int fanIn, int fanOut) {
        return Optional.empty();
    }

    /** Returns the name with its arguments as the command line spells it, such as {@code uniform:-0.1:0.1}. */
    String name();
}
