package dev.ffnn.engine;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Seeded random generators, one independent stream per purpose.
 *
 * <p>One user seed drives a whole run. Each consumer (the initializer of layer l, the batch order) gets its
 * own generator, seeded by mixing the user seed with a stream number through the SplitMix64 finalizer. So
 * adding a layer or drawing more numbers in one stream leaves the other streams unchanged.
 * The algorithm is fixed ({@value #ALGORITHM}) so results do not depend on the JDK's default choice.
 */
public final class Seeds {

    /** The {@code java.util.random} algorithm every ffnn generator uses. */
    public static final String ALGORITHM = "L64X128MixRandom";

    /** Stream numbers of the consumers; layer l's weight initializer uses {@code WEIGHTS + l}, its bias initializer {@code BIASES + l}. */
    public static final long WEIGHTS = 1_000;
    public static final long BIASES = 2_000;
    public static final long BATCH_ORDER = 3_000;
    /** Stream of the standard-normal inputs and random labels of {@link InitializationStudy}. */
    public static final long STUDY_INPUTS = 4_000;
    /** Stream of the validation split's sample choice. */
    public static final long VALIDATION_SPLIT = 5_000;

    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of(ALGORITHM);

    private Seeds() {
    }

    /** Returns a new generator for stream {@code stream} of the run seeded with {@code seed}. */
    public static RandomGenerator generator(long seed, long stream) {
        return FACTORY.create(derive(seed, stream));
    }

    /**
     * Returns the seed of stream {@code stream}: the SplitMix64 finalizer of {@code seed + stream · φ}, a bijective
     * mix with good avalanche, for consumers that take a seed rather than a generator.
     */
    public static long derive(long seed, long stream) {
        long z = seed + stream * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
