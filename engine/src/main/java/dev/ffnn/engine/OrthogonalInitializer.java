package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Orthogonal initialization (Saxe, McClelland and Ganguli, "Exact solutions to the nonlinear dynamics of learning
 * in deep linear neural networks", ICLR 2014): {@code W = gain·Q} with Q a Haar-random matrix with orthonormal
 * columns or rows.
 *
 * <p>For {@code W[fanIn x fanOut]}: a tall or square W ({@code fanIn ≥ fanOut}) has orthonormal columns,
 * {@code Wᵀ·W = gain²·I_fanOut}; a wide W ({@code fanIn < fanOut}) has orthonormal rows,
 * {@code W·Wᵀ = gain²·I_fanIn}. Either way each of the {@code min(fanIn, fanOut)} orthonormal vectors is uniform on
 * the unit sphere of dimension {@code n = max(fanIn, fanOut)}, so an element has mean 0, variance {@code gain²/n}
 * and fourth moment {@code 3·gain⁴/(n(n + 2))}.
 *
 * <p>The matrix is filled with N(0, 1) draws and then factorized in place by Householder QR (of W when tall, of
 * Wᵀ when wide, by reading the row-major storage as column-major); the reflectors are accumulated into Q in
 * the same storage (LAPACK's {@code dgeqr2} and {@code dorg2r} steps), and each column of Q is multiplied by the
 * sign of R's diagonal element, which makes Q Haar-distributed (Mezzadri, "How to generate random matrices from
 * the classical compact groups", Notices of the AMS, 2007). Only two vectors of {@code min(fanIn, fanOut)}
 * doubles live on the heap, never a copy of the matrix. The factorization costs {@code O(m·n²)} on the calling
 * thread; the normal draws use the threads given.
 */
final class OrthogonalInitializer implements Initializer {

    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final double gain;
    private final String name;

    OrthogonalInitializer(double gain, String name) {
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("orthogonal gain " + gain + " is invalid: it must be a finite number > 0");
        }
        this.gain = gain;
        this.name = name;
    }

    @Override
    public void fill(RowMajorMatrix weights, RandomGenerator random) {
        requireFans(weights);
        for (int i = 0; i < weights.rows(); i++) {
            for (int j = 0; j < weights.cols(); j++) {
                weights.set(i, j, random.nextGaussian());
            }
        }
        orthogonalize(weights);
    }

    @Override
    public void fill(RowMajorMatrix weights, long seed, int threads) {
        requireFans(weights);
        BlockFill.fill(weights, seed, threads, RandomGenerator::nextGaussian);
        orthogonalize(weights);
    }

    @Override
    public Optional<Distribution> distribution(int fanIn, int fanOut) {
        Initializers.requireFanIn(fanIn, fanOut);
        Initializers.requireFanOut(fanIn, fanOut);
        double n = Math.max(fanIn, fanOut);
        double gain2 = gain * gain;
        return Optional.of(new Distribution(0, gain2 / n, 3 * gain2 * gain2 / (n * (n + 2)), -gain, gain));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    private static void requireFans(RowMajorMatrix weights) {
        Initializers.requireFanIn(weights.rows(), weights.cols());
        Initializers.requireFanOut(weights.rows(), weights.cols());
    }

    /** Replaces the Gaussian matrix in {@code weights} by {@code gain·Q·diag(sign(diag R))}. */
    private void orthogonalize(RowMajorMatrix weights) {
        boolean tall = weights.rows() >= weights.cols();
        // A is m x n with m ≥ n: W itself when tall, Wᵀ when wide (element (i, j) of A is W[j][i])
        View a = new View(weights.segment(), weights.leadingDimension(), !tall);
        int m = Math.max(weights.rows(), weights.cols());
        int n = Math.min(weights.rows(), weights.cols());
        double[] tau = new double[n];   // Householder scalars, n doubles
        double[] signs = new double[n]; // sign of R's diagonal, n doubles

        // A = H_0·H_1·…·H_{n−1}·R, reflectors below the diagonal, R on and above it
        for (int k = 0; k < n; k++) {
            tau[k] = reflect(a, m, n, k);
            signs[k] = a.get(k, k) < 0 ? -1 : 1;
        }

        // Q = H_0·…·H_{n−1}·I[m x n], built from the last reflector to the first, overwriting them
        for (int k = n - 1; k >= 0; k--) {
            if (k < n - 1) {
                a.set(k, k, 1.0);
                applyReflector(a, m, n, k, tau[k]);
            }
            for (int i = k + 1; i < m; i++) {
                a.set(i, k, -tau[k] * a.get(i, k));
            }
            a.set(k, k, 1.0 - tau[k]);
            for (int i = 0; i < k; i++) {
                a.set(i, k, 0.0);
            }
        }

        // W = gain·Q·diag(signs)
        for (int k = 0; k < n; k++) {
            double scale = gain * signs[k];
            for (int i = 0; i < m; i++) {
                a.set(i, k, scale * a.get(i, k));
            }
        }
    }

    /**
     * Computes the reflector {@code H = I − τ·v·vᵀ} with {@code v_k = 1} that maps column k of A (rows k..m−1) to
     * {@code β·e_k}, stores β in {@code A(k, k)} and v below it, applies H to the columns right of k, and returns τ.
     */
    private static double reflect(View a, int m, int n, int k) {
        double alpha = a.get(k, k);
        double scale = Math.abs(alpha);
        for (int i = k + 1; i < m; i++) {
            scale = Math.max(scale, Math.abs(a.get(i, k)));
        }
        if (scale == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = k; i < m; i++) {
            double x = a.get(i, k) / scale;
            sum += x * x;
        }
        double norm = scale * Math.sqrt(sum);
        double beta = alpha >= 0 ? -norm : norm;
        double tau = (beta - alpha) / beta;
        double inverse = 1 / (alpha - beta);
        for (int i = k + 1; i < m; i++) {
            a.set(i, k, a.get(i, k) * inverse);
        }
        a.set(k, k, 1.0);
        applyReflector(a, m, n, k, tau);
        a.set(k, k, beta);
        return tau;
    }

    /** Applies {@code I − τ·v·vᵀ}, v stored in column k from row k (with {@code A(k, k) = 1}), to columns k+1..n−1. */
    private static void applyReflector(View a, int m, int n, int k, double tau) {
        for (int j = k + 1; j < n; j++) {
            double dot = 0;
            for (int i = k; i < m; i++) {
                dot += a.get(i, k) * a.get(i, j);
            }
            double s = tau * dot;
            for (int i = k; i < m; i++) {
                a.set(i, j, a.get(i, j) - s * a.get(i, k));
            }
        }
    }

    /** An m x n matrix A over row-major storage: A(i, j) is W[i][j], or W[j][i] when transposed. */
    private record View(MemorySegment segment, int leadingDimension, boolean transposed) {

        double get(int i, int j) {
            return segment.getAtIndex(DOUBLE, index(i, j));
        }

        void set(int i, int j, double value) {
            segment.setAtIndex(DOUBLE, index(i, j), value);
        }

        private long index(int i, int j) {
            return transposed ? (long) j * leadingDimension + i : (long) i * leadingDimension + j;
        }
    }
}
