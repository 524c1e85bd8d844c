package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;

/**
 * Updates parameters from their gradients. Optimizers subtract: a step moves θ against ∂L/∂θ.
 *
 * <p>{@link #step} runs once per training step and must allocate nothing.
 */
public interface Optimizer {

    /**
     * Updates {@code parameters} (modified) from {@code gradients} (not modified), both {@code count} doubles.
     */
    void step(MemorySegment parameters, MemorySegment gradients, long count);

    /** Returns a description with the hyperparameters, such as {@code sgd(lr=0.1)}. */
    String describe();
}
