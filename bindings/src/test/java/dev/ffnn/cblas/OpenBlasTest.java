package dev.ffnn.cblas;

import dev.ffnn.openblas.OpenBlasLibrary;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenBlasTest {

    /** A config string of an ILP64 build in OpenBLAS's format, with USE64BITINT after the version. */
    private static final String ILP64_CONFIG = "OpenBLAS 0.3.21  USE64BITINT DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64";

    /** The config string of the bundled OpenBLAS 0.3.31, which uses 32-bit integers. */
    private static final String LP64_CONFIG = "OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64";

    @Test
    void configIsNonEmptyAndNotIlp64() {
        String config = OpenBlas.config();

        assertFalse(config.isBlank(), "openblas_get_config() returned a blank string");
        assertTrue(config.startsWith("OpenBLAS "), "config: " + config);
        assertFalse(CblasLoader.isIlp64(config), "the loaded OpenBLAS is ILP64: " + config);
    }

    @Test
    void coreNameIsNonEmpty() {
        assertFalse(OpenBlas.coreName().isBlank(), "openblas_get_corename() returned a blank string");
    }

    @Test
    void threadCountRoundTrip() {
        int originalThreadCount = OpenBlas.threadCount();
        try {
            OpenBlas.setThreadCount(1);
            assertEquals(1, OpenBlas.threadCount(), "thread count after setting 1");

            OpenBlas.setThreadCount(2);
            assertEquals(2, OpenBlas.threadCount(), "thread count after setting 2");
        } finally {
            OpenBlas.setThreadCount(originalThreadCount);
        }
        assertEquals(originalThreadCount, OpenBlas.threadCount(), "thread count after restoring");
    }

    @Test
    void threadCountBelowOneIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> OpenBlas.setThreadCount(0));

        assertTrue(error.getMessage().contains("got 0"), error.getMessage());
    }

    @Test
    void describeNamesLibraryConfigAndCore() {
        String description = OpenBlas.describe();
        OpenBlasLibrary library = OpenBlas.library();

        assertTrue(description.contains(library.path().toString()), description);
        assertTrue(description.contains(library.origin().toString()), description);
        assertTrue(description.contains(OpenBlas.config()), description);
        assertTrue(description.contains(OpenBlas.coreName()), description);
    }

    @Test
    void libraryIsTheOneBehindBindings() {
        assertSame(OpenBlas.library(), CblasLoader.library());
        assertEquals(OpenBlas.library().lookup().find("cblas_dgemm"), Optional.of(cblas_h.cblas_dgemm$address()));
    }

    @Test
    void ilp64ConfigIsDetected() {
        assertTrue(CblasLoader.isIlp64(ILP64_CONFIG));
    }

    @Test
    void lp64ConfigIsAccepted() {
        assertFalse(CblasLoader.isIlp64(LP64_CONFIG));
        assertEquals(Optional.empty(), CblasLoader.ilp64Rejection(LP64_CONFIG));
    }

    @Test
    void ilp64RejectionNamesConfigAndFix() {
        String reason = CblasLoader.ilp64Rejection(ILP64_CONFIG).orElseThrow();

        assertTrue(reason.contains("64-bit integers"), reason);
        assertTrue(reason.contains(ILP64_CONFIG), reason);
        assertTrue(reason.contains("32-bit int"), reason);
        assertTrue(reason.contains("INTERFACE64"), reason);
        assertTrue(reason.contains("ffnn.openblas.path"), reason);
    }

    @Test
    void loadedLibraryPassesIlp64Check() {
        assertEquals(Optional.empty(), CblasLoader.rejectIlp64(OpenBlas.library().lookup()));
    }
}
