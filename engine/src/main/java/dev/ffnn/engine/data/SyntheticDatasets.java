package dev.ffnn.engine.data;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Built-in classification data sets generated from a seed: {@code xor}, {@code spirals} and {@code blobs}.
 *
 * <p>Every set draws from an {@value #GENERATOR_ALGORITHM} generator created with the seed, and uses
 * {@link StrictMath} for trigonometry, so the same arguments give bit-identical data on every JVM.
 *
 * <p>Test sets: {@link #trainTest} makes the training set with {@code seed} and the test set with
 * {@link #testSeed testSeed(seed)}, so both come from the same distribution but share no samples. For
 * {@code blobs}, the cluster centers belong to the distribution, so they always come from the training seed.
 */
public final class SyntheticDatasets {

    /** Algorithm of the {@link RandomGeneratorFactory} that every set draws from. */
    public static final String GENERATOR_ALGORITHM = "L64X128MixRandom";

    /** Names that {@link #byName} and {@link #trainTest} accept. */
    public static final List<String> NAMES = List.of("xor", "spirals", "blobs");

    /** Class count of {@code blobs} when it is made by name. */
    public static final int DEFAULT_BLOB_CLASSES = 3;

    /** Feature count of {@code blobs} when it is made by name. */
    public static final int DEFAULT_BLOB_FEATURES = 2;

    /** Minimum distance of an {@code xor} point from both axes, so that a model can reach 100 % accuracy. */
    public static final double XOR_MARGIN = 0.1;

    /** Number of full turns of each {@code spirals} arm. */
    public static final double SPIRAL_TURNS = 1.5;

    /** Standard deviation of the Gaussian noise added to each {@code spirals} coordinate. */
    public static final double SPIRAL_NOISE = 0.02;

    /** Standard deviation of each {@code blobs} cluster in every feature. */
    public static final double BLOB_STANDARD_DEVIATION = 0.1;

    /** Number of random candidates drawn for each {@code blobs} center, of which the farthest from the others wins. */
    static final int BLOB_CENTER_CANDIDATES = 16;

    /** Constant XOR-ed into a seed to get the seed of its test set (the 64-bit golden ratio). */
    private static final long TEST_SEED_MASK = 0x9E3779B97F4A7C15L;

    /** Constant XOR-ed into a seed to get the seed of the {@code blobs} centers. */
    private static final long CENTER_SEED_MASK = 0xC2B2AE3D27D4EB4FL;

    private static final double SPIRAL_MIN_RADIUS = 0.1;

    private static final RandomGeneratorFactory<RandomGenerator> GENERATORS =
            RandomGeneratorFactory.of(GENERATOR_ALGORITHM);

    private SyntheticDatasets() {
    }

    /**
     * Generates the XOR problem: 2 features uniform in {@code [-1, 1]^2} but at least {@link #XOR_MARGIN} from
     * both axes, and label 1 when {@code x * y < 0}, else 0.
     *
     * @throws IllegalArgumentException if {@code samples < 1}
     */
    public static DenseDataset xor(int samples, long seed) {
        return xor("xor", samples, seed);
    }

    /**
     * Generates two interleaved spirals, one per class, in about {@code [-1, 1]^2}. Sample {@code s} belongs to
     * class {@code s % 2}, sits at a uniform position {@code t} along its arm, with radius {@code 0.1 + 0.9 t}
     * and angle {@code 2 pi SPIRAL_TURNS t} (plus {@code pi} for class 1), and gets Gaussian noise of
     * standard deviation {@link #SPIRAL_NOISE} on each coordinate.
     *
     * @throws IllegalArgumentException if {@code samples < 1}
     */
    public static DenseDataset spirals(int samples, long seed) {
        return spirals("spirals", samples, seed);
    }

    /**
     * Generates Gaussian clusters with centers and samples both drawn from {@code seed}, the same as
     * {@link #blobs(int, int, int, long, long) blobs(samples, classes, features, seed, seed)}.
     */
    public static DenseDataset blobs(int samples, int classes, int features, long seed) {
        return blobs(samples, classes, features, seed, seed);
    }

    /**
     * Generates one Gaussian cluster per class. The centers lie in {@code [-1, 1]^features} and come from
     * {@code centerSeed}: each is the farthest from the centers before it among
     * {@link #BLOB_CENTER_CANDIDATES} uniform candidates. Sample {@code s} belongs to class
     * {@code s % classes} and is its center plus Gaussian noise of standard deviation
     * {@link #BLOB_STANDARD_DEVIATION} per feature, drawn from {@code sampleSeed}.
     *
     * @throws IllegalArgumentException if {@code samples}, {@code classes} or {@code features} is below 1
     */
    public static DenseDataset blobs(int samples, int classes, int features, long centerSeed, long sampleSeed) {
        return blobs("blobs", samples, classes, features, centerSeed, sampleSeed);
    }

    /**
     * Generates the set called {@code name}, one of {@link #NAMES}. A {@code blobs} set gets
     * {@link #DEFAULT_BLOB_CLASSES} classes and {@link #DEFAULT_BLOB_FEATURES} features.
     *
     * @throws IllegalArgumentException if the name is unknown or {@code samples < 1}
     */
    public static DenseDataset byName(String name, int samples, long seed) {
        return generate(name, name, samples, seed, seed);
    }

    /**
     * Generates the set called {@code name} as a training set from {@code seed} and a test set from
     * {@link #testSeed testSeed(seed)}. The test set's name is {@code name + "-test"}.
     *
     * @throws IllegalArgumentException if the name is unknown or a sample count is below 1
     */
    public static TrainTestSplit trainTest(String name, int trainSamples, int testSamples, long seed) {
        DenseDataset train = generate(name, name, trainSamples, seed, seed);
        try {
            DenseDataset test = generate(name, name + "-test", testSamples, seed, testSeed(seed));
            return new TrainTestSplit(train, test);
        } catch (RuntimeException | Error e) {
            train.close();
            throw e;
        }
    }

    /** Returns {@code seed ^ 0x9E3779B97F4A7C15L}, the seed of the test set for the training seed {@code seed}. */
    public static long testSeed(long seed) {
        return seed ^ TEST_SEED_MASK;
    }

    /** Generates a set by name, with the {@code blobs} centers drawn from {@code distributionSeed}. */
    private static DenseDataset generate(String name, String datasetName, int samples, long distributionSeed,
                                         long sampleSeed) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case "xor" -> xor(datasetName, samples, sampleSeed);
            case "spirals" -> spirals(datasetName, samples, sampleSeed);
            case "blobs" -> blobs(datasetName, samples, DEFAULT_BLOB_CLASSES, DEFAULT_BLOB_FEATURES,
                    distributionSeed, sampleSeed);
            default -> throw new IllegalArgumentException("unknown synthetic data set '" + name + "': use one of "
                    + String.join(", ", NAMES));
        };
    }

    private static DenseDataset xor(String datasetName, int samples, long seed) {
        RandomGenerator random = GENERATORS.create(seed);
        return DenseDataset.generate(datasetName, samples, 2, 2, (sample, row) -> {
            row[0] = uniformAwayFromZero(random);
            row[1] = uniformAwayFromZero(random);
            return row[0] * row[1] < 0 ? 1 : 0;
        });
    }

    /** Returns a value uniform in {@code [-1, -XOR_MARGIN] ∪ [XOR_MARGIN, 1)}. */
    private static double uniformAwayFromZero(RandomGenerator random) {
        double magnitude = random.nextDouble(XOR_MARGIN, 1.0);
        return random.nextBoolean() ? magnitude : -magnitude;
    }

    private static DenseDataset spirals(String datasetName, int samples, long seed) {
        RandomGenerator random = GENERATORS.create(seed);
        return DenseDataset.generate(datasetName, samples, 2, 2, (sample, row) -> {
            int label = sample % 2;
            double position = random.nextDouble();
            double radius = SPIRAL_MIN_RADIUS + (1 - SPIRAL_MIN_RADIUS) * position;
            double angle = 2 * StrictMath.PI * SPIRAL_TURNS * position + label * StrictMath.PI;
            row[0] = radius * StrictMath.cos(angle) + SPIRAL_NOISE * random.nextGaussian();
            row[1] = radius * StrictMath.sin(angle) + SPIRAL_NOISE * random.nextGaussian();
            return label;
        });
    }

    private static DenseDataset blobs(String datasetName, int samples, int classes, int features, long centerSeed,
                                      long sampleSeed) {
        OffHeapDataset.checkCounts(datasetName, samples, features, classes);
        double[][] centers = blobCenters(classes, features, GENERATORS.create(centerSeed ^ CENTER_SEED_MASK));
        RandomGenerator random = GENERATORS.create(sampleSeed);
        return DenseDataset.generate(datasetName, samples, features, classes, (sample, row) -> {
            int label = sample % classes;
            for (int j = 0; j < features; j++) {
                row[j] = centers[label][j] + BLOB_STANDARD_DEVIATION * random.nextGaussian();
            }
            return label;
        });
    }

    /** Draws the centers by best-candidate sampling, which spreads them more evenly than uniform draws. */
    private static double[][] blobCenters(int classes, int features, RandomGenerator random) {
        double[][] centers = new double[classes][];
        for (int c = 0; c < classes; c++) {
            double bestDistance = -1;
            for (int candidate = 0; candidate < BLOB_CENTER_CANDIDATES; candidate++) {
                double[] point = new double[features];
                for (int j = 0; j < features; j++) {
                    point[j] = random.nextDouble(-1.0, 1.0);
                }
                double distance = minSquaredDistance(point, centers, c);
                if (distance > bestDistance) {
                    bestDistance = distance;
                    centers[c] = point;
                }
            }
        }
        return centers;
    }

    /** Returns the smallest squared distance from {@code point} to {@code centers[0 .. count - 1]}. */
    private static double minSquaredDistance(double[] point, double[][] centers, int count) {
        double min = Double.POSITIVE_INFINITY;
        for (int c = 0; c < count; c++) {
            double sum = 0;
            for (int j = 0; j < point.length; j++) {
                double difference = point[j] - centers[c][j];
                sum += difference * difference;
            }
            min = Math.min(min, sum);
        }
        return min;
    }
}
