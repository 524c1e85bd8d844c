package dev.ffnn.engine;

import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * Updates parameters from their gradients. Optimizers subtract: a step moves θ against ∂L/∂θ.
 *
 * <p>{@link #step} runs once per training step and must allocate nothing.
 *
 * <p>Lifetime: an optimizer with state ({@link #state()} not empty) owns the off-heap memory of that state and
 * frees it in {@link #close()}; after that, {@link #step} and reading the state throw
 * {@link IllegalStateException}. A {@link Trainer} does not close the optimizer it is given.
 */
public interface Optimizer extends AutoCloseable {

    /**
     * Updates {@code parameters} (modified) from {@code gradients} (not modified), both {@code count} doubles.
     */
    void step(MemorySegment parameters, MemorySegment gradients, long count);

    /** Returns a description with the hyperparameters, such as {@code sgd(lr=0.1)}. */
    String describe();

    /** Returns the learning rate the next step uses. */
    double learningRate();

    /**
     * Sets the learning rate of the following steps; {@link Trainer#fit} calls it at the start of every epoch
     * with the rate of its {@link LearningRateSchedule}.
     *
     * @throws IllegalArgumentException if {@code rate} is not a finite number &gt; 0
     */
    void setLearningRate(double rate);

    /**
     * Returns the optimizer's state by name, for checkpoints: off-heap segments the optimizer owns and updates
     * in {@link #step}, each as long as the parameters it was used with (for example the velocity of momentum).
     * Writing values into these segments restores the state. Stateless optimizers return an empty map.
     */
    default Map<String, MemorySegment> state() {
        return Map.of();
    }

    /** Returns the number of steps taken, for optimizers whose update depends on it (Adam's bias correction). */
    default long stepCount() {
        return 0;
    }

    /** Sets the number of steps taken, when a checkpoint is restored. */
    default void restoreStepCount(long steps) {
    }

    /** Frees the state's off-heap memory, if any; closing twice has no effect. Stateless optimizers do nothing. */
    @Override
    default void close() {
    }
}
