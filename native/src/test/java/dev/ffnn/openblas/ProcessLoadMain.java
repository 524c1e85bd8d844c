package dev.ffnn.openblas;

import dev.ffnn.openblas.OpenBlasLibrary.Validator;

import java.util.List;

/**
 * Loads OpenBLAS with this process's settings, for tests that must watch a whole JVM: prints the library and
 * exits 0 on success, or prints the load error to stderr and exits 1.
 */
public final class ProcessLoadMain {

    private ProcessLoadMain() {
    }

    public static void main(String[] args) {
        try {
            OpenBlasLibrary library = OpenBlasLibrary.load(List.of("cblas_dgemm"), Validator.ACCEPT_ALL);
            System.out.println("loaded " + library.describe());
        } catch (OpenBlasLoadException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
