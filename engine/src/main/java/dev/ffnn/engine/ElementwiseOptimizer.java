package dev.ffnn.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The common part of optimizers that update every parameter from its own gradient and state: the learning rate,
 * the state tensors, the step count, and the pass over weights and biases.
 *
 * <p>{@link #step} walks the parameter vector in runs of weights and runs of biases (from {@link WeightRanges})
 * and calls {@link #update} once per run, so a subclass applies L2 regularization or weight decay to the
 * weights only without a per-element mask. The state tensors are allocated at construction in a shared arena
 * that the optimizer owns, each {@code parameterCount} doubles and zero-filled, so a checkpoint can be written
 * into them before the first step.
 */
abstract sealed class ElementwiseOptimizer implements Optimizer permits Momentum, Adam, RmsProp {

    static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final WeightRanges weights;
    private final Arena arena = Arena.ofShared();
    private final Map<String, MemorySegment> state;
    private double learningRate;
    private long stepCount;

    /**
     * @param stateNames names of the state tensors, in the order {@link #state()} lists them
     * @throws IllegalArgumentException if the learning rate is not a finite number &gt; 0
     */
    ElementwiseOptimizer(WeightRanges weights, double learningRate, String... stateNames) {
        this.weights = Objects.requireNonNull(weights, "weights");
        setLearningRate(learningRate);
        Map<String, MemorySegment> tensors = new LinkedHashMap<>();
        for (String name : stateNames) {
            tensors.put(name, arena.allocate(DOUBLE, weights.parameterCount()));
        }
        this.state = Collections.unmodifiableMap(tensors);
    }

    /**
     * Updates {@code parameters[from .. to - 1]} from {@code gradients} and the state at the same indices.
     *
     * @param isWeight whether the run is weights, which L2 regularization and weight decay apply to
     */
    abstract void update(MemorySegment parameters, MemorySegment gradients, long from, long to, boolean isWeight);

    /** Prepares the factors of step {@link #stepCount()}, which {@link #step} has just incremented. */
    void beginStep() {
    }

    /** Returns the state tensor {@code name}, for the subclass's update loop. */
    final MemorySegment stateTensor(String name) {
        return state.get(name);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code count} differs from the parameter count given at construction
     * @throws IllegalStateException    if the optimizer is closed
     */
    @Override
    public final void step(MemorySegment parameters, MemorySegment gradients, long count) {
        if (count != weights.parameterCount()) {
            throw new IllegalArgumentException(describe() + " was made for " + weights.parameterCount()
                    + " parameters but step got " + count + ": create the optimizer from this network's weightRanges()");
        }
        requireOpen();
        stepCount++;
        beginStep();

        // Runs of biases between the weight ranges, then the weights themselves.
        long position = 0;
        for (int r = 0; r < weights.rangeCount(); r++) {
            long start = weights.start(r);
            if (start > position) {
                update(parameters, gradients, position, start, false);
            }
            position = weights.end(r);
            update(parameters, gradients, start, position, true);
        }
        if (position < count) {
            update(parameters, gradients, position, count, false);
        }
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate " + rate + " is invalid: it must be a finite number > 0");
        }
        this.learningRate = rate;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The map and its order are fixed; the segments are zero before the first step.
     *
     * @throws IllegalStateException if the optimizer is closed
     */
    @Override
    public final Map<String, MemorySegment> state() {
        requireOpen();
        return state;
    }

    @Override
    public final long stepCount() {
        return stepCount;
    }

    /** @throws IllegalArgumentException if {@code steps < 0} */
    @Override
    public final void restoreStepCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("step count " + steps + " is invalid: it must be >= 0");
        }
        this.stepCount = steps;
    }

    /** Returns the parameter count the optimizer was made for, with the weight ranges of its regularization. */
    public final WeightRanges weightRanges() {
        return weights;
    }

    /** Frees the state tensors. Closing twice has no effect. */
    @Override
    public final synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }

    private void requireOpen() {
        if (!arena.scope().isAlive()) {
            throw new IllegalStateException(describe() + " is closed: its state is freed, so create a new optimizer");
        }
    }

    /** Checks a hyperparameter against {@code [low, high)}, or {@code [low, ∞)} when {@code high} is infinite. */
    static double requireInRange(String name, double value, double low, double high) {
        boolean valid = value >= low && (Double.isInfinite(high) ? Double.isFinite(value) : value < high);
        if (!valid) {
            String range = Double.isInfinite(high) ? "a finite number >= " + low : "in [" + low + ", " + high + ")";
            throw new IllegalArgumentException(name + " " + value + " is invalid: it must be " + range);
        }
        return value;
    }

    /** Checks a hyperparameter that must be a finite number &gt; 0. */
    static double requirePositive(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " " + value + " is invalid: it must be a finite number > 0");
        }
        return value;
    }
}
