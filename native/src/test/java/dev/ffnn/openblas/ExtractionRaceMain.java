package dev.ffnn.openblas;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Child process for the two-process extraction test: prints {@value #READY}, waits for one line on
 * standard input, extracts the bundled OpenBLAS into the cache directory given as the only argument
 * and prints the directory it got.
 */
public final class ExtractionRaceMain {

    static final String READY = "ready";

    private ExtractionRaceMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ExtractionRaceMain CACHE_DIRECTORY");
            System.exit(2);
        }
        Path cacheDirectory = Path.of(args[0]);
        System.out.println(READY);
        System.out.flush();

        // Wait for the test to release both processes together.
        System.in.read();

        System.out.println(BundledOpenBlas.extract(cacheDirectory));
    }
}
