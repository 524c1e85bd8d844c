package dev.ffnn.openblas;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LoaderSettingsTest {

    private static final String HOME = "/home/tester";

    @Test
    void pathPropertyBeatsEnvironment() {
        LoaderSettings settings = settings(
                Map.of("ffnn.openblas.path", "/from/property.so"),
                Map.of("FFNN_OPENBLAS_PATH", "/from/environment.so"));

        LoaderSettings.ExplicitPath explicitPath = settings.explicitPath().orElseThrow();
        assertEquals(Path.of("/from/property.so"), explicitPath.path());
        assertEquals("system property ffnn.openblas.path", explicitPath.source());
    }

    @Test
    void pathEnvironmentUsedWithoutProperty() {
        LoaderSettings settings = settings(Map.of(), Map.of("FFNN_OPENBLAS_PATH", "/from/environment.so"));

        LoaderSettings.ExplicitPath explicitPath = settings.explicitPath().orElseThrow();
        assertEquals(Path.of("/from/environment.so"), explicitPath.path());
        assertEquals("environment variable FFNN_OPENBLAS_PATH", explicitPath.source());
    }

    @Test
    void blankPathCountsAsUnset() {
        LoaderSettings settings = settings(Map.of("ffnn.openblas.path", " "), Map.of("FFNN_OPENBLAS_PATH", ""));

        assertEquals(Optional.empty(), settings.explicitPath());
    }

    @Test
    void cachePropertyComesFirst() {
        LoaderSettings settings = settings(
                Map.of("ffnn.cache.dir", "/cache/property"),
                Map.of("FFNN_CACHE_DIR", "/cache/environment", "XDG_CACHE_HOME", "/xdg"));

        assertEquals(Path.of("/cache/property"), settings.cacheDirectory());
    }

    @Test
    void cacheEnvironmentBeatsXdg() {
        LoaderSettings settings = settings(Map.of(),
                Map.of("FFNN_CACHE_DIR", "/cache/environment", "XDG_CACHE_HOME", "/xdg"));

        assertEquals(Path.of("/cache/environment"), settings.cacheDirectory());
    }

    @Test
    void cacheUnderXdgCacheHome() {
        LoaderSettings settings = settings(Map.of(), Map.of("XDG_CACHE_HOME", "/xdg"));

        assertEquals(Path.of("/xdg/ffnn"), settings.cacheDirectory());
    }

    @Test
    void relativeXdgCacheHomeIsIgnored() {
        LoaderSettings settings = settings(Map.of(), Map.of("XDG_CACHE_HOME", "relative/cache"));

        assertEquals(Path.of(HOME, ".cache", "ffnn"), settings.cacheDirectory());
    }

    @Test
    void cacheDefaultsUnderHome() {
        LoaderSettings settings = settings(Map.of(), Map.of());

        assertEquals(Path.of(HOME, ".cache", "ffnn"), settings.cacheDirectory());
        assertEquals(Optional.empty(), settings.explicitPath());
    }

    @Test
    void homeVariableBeatsUserHome() {
        LoaderSettings settings = settings(Map.of(), Map.of("HOME", "/home/from-environment"));

        assertEquals(Path.of("/home/from-environment", ".cache", "ffnn"), settings.cacheDirectory());
    }

    @Test
    void blankHomeVariableFallsBackToUserHome() {
        LoaderSettings settings = settings(Map.of(), Map.of("HOME", " "));

        assertEquals(Path.of(HOME, ".cache", "ffnn"), settings.cacheDirectory());
    }

    @Test
    void xdgCacheHomeBeatsHomeVariable() {
        LoaderSettings settings = settings(Map.of(), Map.of("HOME", "/home/from-environment", "XDG_CACHE_HOME", "/xdg"));

        assertEquals(Path.of("/xdg/ffnn"), settings.cacheDirectory());
    }

    private static LoaderSettings settings(Map<String, String> properties, Map<String, String> environment) {
        return LoaderSettings.from(
                name -> name.equals("user.home") ? HOME : properties.get(name),
                environment::get);
    }
}
