package dev.ffnn.engine.benchmark;

/**
 * One engine set up with a network and a fixed batch, for timing: every call of {@link #trainStep()} runs a
 * forward pass, a backward pass and an SGD update on that batch.
 *
 * <p>Implementations allocate everything in {@link BenchmarkEngines#create}, so the timed calls measure the
 * engine's own allocation, if any.
 */
public interface BenchmarkEngine extends AutoCloseable {

    /** Returns which engine this is. */
    EngineKind kind();

    /**
     * Runs one training step (forward, backward, SGD update) on the fixed batch.
     *
     * @return the mean loss of the batch before the update
     */
    double trainStep();

    /**
     * Runs one forward pass on the fixed batch.
     *
     * @return the first output of the first sample, so a caller can consume the result
     */
    double forward();

    /** Frees the engine's memory. */
    @Override
    void close();
}
