package dev.ffnn.engine.data;

/** Formats counts with a noun in the singular or plural, for messages. */
final class Counts {

    private Counts() {
    }

    /** Returns {@code "1 sample"} for {@code of(1, "sample")}, and {@code "2 samples"} for a count of 2. */
    static String of(long count, String singular) {
        return of(count, singular, singular + "s");
    }

    /** Returns the count followed by {@code singular} if it is 1, else by {@code plural}. */
    static String of(long count, String singular, String plural) {
        return count + " " + (count == 1 ? singular : plural);
    }
}
