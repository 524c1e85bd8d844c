package dev.ffnn.engine.benchmark;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The engines the benchmarks compare. */
public enum EngineKind {
    /** ffnn: off-heap segments, every product in OpenBLAS {@code cblas_dgemm}. */
    FFNN("ffnn"),
    /** The on-heap reference engine: {@code double[]} and plain Java loops ({@link dev.ffnn.engine.reference.ReferenceEngine}). */
    JAVA("java"),
    /** The on-heap engine on EJML's dense row-major matrices ({@link dev.ffnn.engine.reference.EjmlEngine}). */
    EJML("ejml");

    private final String cliName;

    EngineKind(String cliName) {
        this.cliName = cliName;
    }

    /** Returns the name used on the command line and in benchmark parameters, such as {@code ejml}. */
    public String cliName() {
        return cliName;
    }

    /**
     * Returns the engine with the given name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the allowed names
     */
    public static EngineKind parse(String name) {
        String key = name.strip().toLowerCase(Locale.ROOT);
        for (EngineKind kind : values()) {
            if (kind.cliName.equals(key)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + name + "'; allowed: "
                + Arrays.stream(values()).map(EngineKind::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
