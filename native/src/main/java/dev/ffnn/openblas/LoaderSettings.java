package dev.ffnn.openblas;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The loader's inputs from system properties and environment variables.
 *
 * @param explicitPath   the library file the user named, if any
 * @param cacheDirectory the per-user directory that receives the bundled OpenBLAS
 */
record LoaderSettings(Optional<ExplicitPath> explicitPath, Path cacheDirectory) {

    /**
     * A library file named by the user.
     *
     * @param path   the file, as given
     * @param source the property or variable that named it, for error messages
     */
    record ExplicitPath(Path path, String source) {
    }

    /** Reads the settings of this process. */
    static LoaderSettings current() {
        return from(System::getProperty, System::getenv);
    }

    /**
     * Reads the settings from the given lookups, each of which returns null for an unset name.
     * Blank values count as unset.
     */
    static LoaderSettings from(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        return new LoaderSettings(explicitPath(properties, environment), cacheDirectory(properties, environment));
    }

    private static Optional<ExplicitPath> explicitPath(UnaryOperator<String> properties,
                                                       UnaryOperator<String> environment) {
        String property = nonBlank(properties.apply(OpenBlasLibrary.PATH_PROPERTY));
        if (property != null) {
            return Optional.of(new ExplicitPath(Path.of(property),
                    "system property " + OpenBlasLibrary.PATH_PROPERTY));
        }
        String variable = nonBlank(environment.apply(OpenBlasLibrary.PATH_ENVIRONMENT_VARIABLE));
        if (variable != null) {
            return Optional.of(new ExplicitPath(Path.of(variable),
                    "environment variable " + OpenBlasLibrary.PATH_ENVIRONMENT_VARIABLE));
        }
        return Optional.empty();
    }

    /**
     * Picks the cache directory: {@code ffnn.cache.dir}, else {@code FFNN_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/ffnn}, else {@code <home>/.cache/ffnn}. A relative {@code XDG_CACHE_HOME} is
     * ignored, because the XDG Base Directory Specification requires its paths to be absolute. The home
     * directory is {@code HOME} if set, as for other programs, else system property {@code user.home},
     * which the JVM takes from the password database.
     */
    private static Path cacheDirectory(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        String property = nonBlank(properties.apply(OpenBlasLibrary.CACHE_PROPERTY));
        if (property != null) {
            return Path.of(property);
        }
        String variable = nonBlank(environment.apply(OpenBlasLibrary.CACHE_ENVIRONMENT_VARIABLE));
        if (variable != null) {
            return Path.of(variable);
        }
        String xdgCacheHome = nonBlank(environment.apply("XDG_CACHE_HOME"));
        if (xdgCacheHome != null && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "ffnn");
        }
        String home = nonBlank(environment.apply("HOME"));
        if (home == null) {
            home = properties.apply("user.home");
        }
        return Path.of(home, ".cache", "ffnn");
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
