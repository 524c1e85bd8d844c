package dev.ffnn.engine;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * Seeded mutations of valid files for the fuzz tests: bit flips, byte overwrites with boundary values,
 * 32-bit and 64-bit size fields set to extremes, truncation, appended bytes, deleted and duplicated ranges.
 *
 * <p>The iterations per format default to {@value #DEFAULT_ITERATIONS}; run more with
 * {@code -Dffnn.fuzz.iterations=100000}.
 */
public final class Mutator {

    public static final int DEFAULT_ITERATIONS = 2_000;

    private static final int[] BOUNDARY_INTS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 255, 256, 65_536 * 16};
    private static final long[] BOUNDARY_LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_001L, 1L << 32, 7, 8};

    private Mutator() {
    }

    /** Returns the iteration count per format: the system property {@code ffnn.fuzz.iterations}, else the default. */
    public static int iterations() {
        return Integer.getInteger("ffnn.fuzz.iterations", DEFAULT_ITERATIONS);
    }

    /** Returns a copy of {@code original} with one to three random mutations. */
    public static byte[] mutate(byte[] original, RandomGenerator random) {
        byte[] bytes = original;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            bytes = mutateOnce(bytes, random);
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] original, RandomGenerator random) {
        byte[] bytes = original.clone();
        int length = bytes.length;
        if (length == 0) {
            return new byte[]{(byte) random.nextInt(256)};
        }
        // Header fields sit near the start, so half of the positions fall in the first 32 bytes
        int position = random.nextBoolean() ? random.nextInt(Math.min(32, length)) : random.nextInt(length);
        switch (random.nextInt(8)) {
            case 0 -> bytes[position] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes[position] = (byte) new int[]{0, 0xff, 0x7f, 0x80, '{', '"', '0', '9'}[random.nextInt(8)];
            case 2 -> {
                int at = Math.min(position, Math.max(0, length - 4)) & ~3;
                int value = BOUNDARY_INTS[random.nextInt(BOUNDARY_INTS.length)];
                for (int k = 0; k < 4 && at + k < length; k++) {
                    bytes[at + k] = (byte) (value >>> (24 - 8 * k));
                }
            }
            case 3 -> {
                int at = Math.min(position, Math.max(0, length - 8));
                long value = BOUNDARY_LONGS[random.nextInt(BOUNDARY_LONGS.length)];
                for (int k = 0; k < 8 && at + k < length; k++) {
                    bytes[at + k] = (byte) (value >>> (8 * k));
                }
            }
            case 4 -> bytes = Arrays.copyOf(bytes, random.nextInt(length));
            case 5 -> {
                byte[] extra = new byte[1 + random.nextInt(16)];
                random.nextBytes(extra);
                byte[] longer = Arrays.copyOf(bytes, length + extra.length);
                System.arraycopy(extra, 0, longer, length, extra.length);
                bytes = longer;
            }
            case 6 -> {
                int remove = 1 + random.nextInt(Math.min(8, length - position));
                byte[] shorter = new byte[length - remove];
                System.arraycopy(bytes, 0, shorter, 0, position);
                System.arraycopy(bytes, position + remove, shorter, position, length - position - remove);
                bytes = shorter;
            }
            default -> {
                int copy = 1 + random.nextInt(Math.min(8, length - position));
                byte[] longer = new byte[length + copy];
                System.arraycopy(bytes, 0, longer, 0, position + copy);
                System.arraycopy(bytes, position, longer, position + copy, length - position);
                bytes = longer;
            }
        }
        return bytes;
    }

    /** Returns the bytes as hex, to reproduce a failure. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
