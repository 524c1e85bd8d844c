package dev.ffnn.engine.benchmark;

import dev.ffnn.engine.Blas;
import dev.ffnn.engine.RowMajorMatrix;
import dev.ffnn.engine.Seeds;
import dev.ffnn.engine.Blas.Transpose;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The matrix products of one training step of a network, each on its own off-heap operands, so they can be
 * timed without the rest of the step: the GEMM floor that {@link dev.ffnn.engine.Network#trainStep} cannot beat.
 *
 * <p>For a network with layers {@code l = 1..L} of {@code fanIn_l x fanOut_l} and a batch of B samples, a
 * step runs these {@code 3L − 1} products, in this order:
 * <ul>
 *   <li>forward, for each layer: {@code Z = A_prev·W}, {@code B x fanOut = (B x fanIn)(fanIn x fanOut)};</li>
 *   <li>backward, from layer L down: {@code ∂W = A_prevᵀ·δ}, {@code fanIn x fanOut = (B x fanIn)ᵀ(B x fanOut)},
 *       and for every layer but the first {@code δ·Wᵀ}, {@code B x fanIn = (B x fanOut)(fanIn x fanOut)ᵀ}.</li>
 * </ul>
 * The operands hold fixed pseudo-random values in {@code [−1, 1)}; their values do not change the time of a
 * GEMM. Every call goes through the checked {@link Blas#gemm} facade, as the engine's own calls do.
 *
 * <p>The instance owns a shared arena that {@link #close()} frees.
 */
public final class StepGemms implements AutoCloseable {

    private final Arena arena;
    private final List<Product> products;

    private StepGemms(int[] layerSizes, int batchSize) {
        if (layerSizes.length < 2) {
            throw new IllegalArgumentException("a network needs at least 2 layer sizes, got " + layerSizes.length);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " is invalid: it must be >= 1");
        }
        this.arena = Arena.ofShared();
        try {
            this.products = List.copyOf(buildProducts(layerSizes, batchSize));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Allocates the operands of every GEMM of a training step of a network with {@code layerSizes} (input to
     * output) at {@code batchSize} samples.
     *
     * @throws IllegalArgumentException if fewer than 2 sizes are given, or a size or the batch size is below 1
     */
    public static StepGemms allocate(int[] layerSizes, int batchSize) {
        return new StepGemms(layerSizes.clone(), batchSize);
    }

    private List<Product> buildProducts(int[] sizes, int batch) {
        int layerCount = sizes.length - 1;
        List<Product> forward = new ArrayList<>();
        List<Product> backward = new ArrayList<>();
        for (int l = 0; l < layerCount; l++) {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            if (fanIn < 1 || fanOut < 1) {
                throw new IllegalArgumentException("layer size " + Math.min(fanIn, fanOut) + " is invalid: it must be >= 1");
            }
            // Z = A_prev·W
            forward.add(new Product("forward  layer " + (l + 1) + "  Z = A·W", Transpose.NO_TRANSPOSE,
                    Transpose.NO_TRANSPOSE, random(batch, fanIn, l), random(fanIn, fanOut, l + 100),
                    RowMajorMatrix.allocate(arena, batch, fanOut)));
        }
        for (int l = layerCount - 1; l >= 0; l--) {
            int fanIn = sizes[l];
            int fanOut = sizes[l + 1];
            // ∂W = A_prevᵀ·δ
            backward.add(new Product("backward layer " + (l + 1) + "  ∂W = Aᵀ·δ", Transpose.TRANSPOSE,
                    Transpose.NO_TRANSPOSE, random(batch, fanIn, l + 200), random(batch, fanOut, l + 300),
                    RowMajorMatrix.allocate(arena, fanIn, fanOut)));
            if (l > 0) {
                // δ_prev = δ·Wᵀ
                backward.add(new Product("backward layer " + (l + 1) + "  δ·Wᵀ", Transpose.NO_TRANSPOSE,
                        Transpose.TRANSPOSE, random(batch, fanOut, l + 400), random(fanIn, fanOut, l + 500),
                        RowMajorMatrix.allocate(arena, batch, fanIn)));
            }
        }
        List<Product> all = new ArrayList<>(forward);
        all.addAll(backward);
        return all;
    }

    private RowMajorMatrix random(int rows, int cols, long stream) {
        RowMajorMatrix matrix = RowMajorMatrix.allocate(arena, rows, cols);
        var generator = Seeds.generator(1, Seeds.WEIGHTS + stream);
        for (long i = 0; i < matrix.elementCount(); i++) {
            matrix.segment().setAtIndex(ValueLayout.JAVA_DOUBLE, i, generator.nextDouble(-1, 1));
        }
        return matrix;
    }

    /** Returns the number of products of one step, {@code 3L − 1} for L layers. */
    public int count() {
        return products.size();
    }

    /** Returns a description of product {@code index}, such as {@code forward  layer 1  Z = A·W  m=128 n=256 k=784}. */
    public String describe(int index) {
        Product product = products.get(index);
        return product.name + "  m=" + product.c.rows() + " n=" + product.c.cols() + " k=" + product.k();
    }

    /** Returns the floating-point operations of product {@code index}: {@code 2·m·n·k}. */
    public double flops(int index) {
        Product product = products.get(index);
        return 2.0 * product.c.rows() * product.c.cols() * product.k();
    }

    /** Returns the floating-point operations of all products of one step. */
    public double totalFlops() {
        double sum = 0;
        for (int i = 0; i < products.size(); i++) {
            sum += flops(i);
        }
        return sum;
    }

    /** Runs product {@code index} once. */
    public void run(int index) {
        Product product = products.get(index);
        Blas.gemm(product.transA, product.transB, 1.0, product.a, product.b, 0.0, product.c);
    }

    /** Runs every product of one step once, in step order. */
    public void runAll() {
        for (int i = 0; i < products.size(); i++) {
            run(i);
        }
    }

    /** Returns element (0, 0) of the output of the last product, so a benchmark can consume a result. */
    public double lastOutputCorner() {
        return products.getLast().c.get(0, 0);
    }

    /** Frees the operands. */
    @Override
    public void close() {
        arena.close();
    }

    /** One {@code C = op(A)·op(B)} with its operands. */
    private record Product(String name, Transpose transA, Transpose transB, RowMajorMatrix a, RowMajorMatrix b,
                           RowMajorMatrix c) {
        int k() {
            return transA == Transpose.NO_TRANSPOSE ? a.cols() : a.rows();
        }
    }
}
