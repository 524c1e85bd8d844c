package dev.ffnn.engine;

import java.util.Arrays;

/**
 * Chooses OpenBLAS's thread count during training from measured step times: one thread or the maximum, whichever
 * is faster now.
 *
 * <p>Why: OpenBLAS splits a {@code dgemm} across its threads, and they wait for each other at every block. When
 * another process occupies a core, each wait can cost a scheduler time slice, and on a busy 2-core machine two
 * threads were 3 to 25 times slower than one (docs/benchmarks.md, section Threads). On an idle machine two threads
 * are faster. Neither count is right everywhere, so this listener measures.
 *
 * <p>How: it times full-size steps from the end of one to the end of the next. It times {@value #SAMPLE_STEPS}
 * steps at the count in force, then {@value #SAMPLE_STEPS} at the other count, and keeps the other count when the
 * median of its steps is at least 5 % lower. Then it trains for a while before the next comparison. The wait starts
 * at {@value #FIRST_PERIOD} steps and doubles, up to {@value #MAX_PERIOD}, each time a comparison keeps the count.
 * A switch resets it. So at most 8 of every 272 steps run at the slower count, and 8 of every 4,112 once the
 * choice holds.
 *
 * <p>The thread count changes the rounding of {@code dgemm}'s sums (by about 1e-16 relative), so runs with this
 * listener repeat bit for bit only when the machine's load does. A fixed thread count gives repeatable runs.
 * {@link #stepEnded} allocates nothing.
 */
public final class AdaptiveThreads implements TrainingListener {

    /** Steps timed at each count in one comparison. */
    public static final int SAMPLE_STEPS = 8;
    /** Steps between the first comparisons, and after a switch. */
    public static final int FIRST_PERIOD = 256;
    /** The maximum wait between comparisons, in steps. */
    public static final int MAX_PERIOD = 4_096;

    private static final double REQUIRED_GAIN = 0.95;

    private enum Phase { TIMING_CURRENT, TIMING_OTHER, TRAINING }

    private final int maxThreads;
    private final long[] currentNanos = new long[SAMPLE_STEPS];
    private final long[] otherNanos = new long[SAMPLE_STEPS];
    private int threads;
    private int fullBatchSize;
    private Phase phase = Phase.TIMING_CURRENT;
    private int sampled;
    private int period = FIRST_PERIOD;
    private int stepsLeft;
    private long previousStepEnd = -1;
    private int switches;

    /**
     * @param maxThreads the larger of the two counts; with 1, the listener does nothing
     * @throws IllegalArgumentException if {@code maxThreads < 1}
     */
    public AdaptiveThreads(int maxThreads) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maximum thread count " + maxThreads + " is invalid: it must be >= 1");
        }
        this.maxThreads = maxThreads;
        this.threads = maxThreads;
    }

    /** Returns the thread count in force. */
    public int threads() {
        return threads;
    }

    /** Returns how many times the listener has changed the thread count. */
    public int switches() {
        return switches;
    }

    @Override
    public void trainingStarted(Trainer trainer, int epochsDone) {
        fullBatchSize = trainer.batchSize();
        Blas.setThreadCount(threads);
    }

    @Override
    public void stepEnded(TrainingStep step) {
        long now = System.nanoTime();
        long previous = previousStepEnd;
        previousStepEnd = now;
        // The first step of an epoch also carries the last epoch's evaluation, and a short last batch is faster
        if (maxThreads == 1 || previous < 0 || step.stepInEpoch() == 1 || step.batchSize() != fullBatchSize) {
            return;
        }
        record(now - previous);
    }

    /** Advances the state machine by one full-size step that took {@code nanos}. */
    void record(long nanos) {
        switch (phase) {
            case TIMING_CURRENT -> {
                currentNanos[sampled++] = nanos;
                if (sampled == SAMPLE_STEPS) {
                    setThreads(other());
                    phase = Phase.TIMING_OTHER;
                    sampled = 0;
                }
            }
            case TIMING_OTHER -> {
                otherNanos[sampled++] = nanos;
                if (sampled == SAMPLE_STEPS) {
                    if (median(otherNanos) < REQUIRED_GAIN * median(currentNanos)) {
                        // The count timed second is in force already: keep it
                        switches++;
                        period = FIRST_PERIOD;
                    } else {
                        setThreads(other());
                        period = Math.min(MAX_PERIOD, period * 2);
                    }
                    phase = Phase.TRAINING;
                    stepsLeft = period;
                }
            }
            case TRAINING -> {
                if (--stepsLeft == 0) {
                    phase = Phase.TIMING_CURRENT;
                    sampled = 0;
                }
            }
        }
    }

    private int other() {
        return threads == 1 ? maxThreads : 1;
    }

    private void setThreads(int count) {
        threads = count;
        Blas.setThreadCount(count);
    }

    /** Returns the median of the values, sorting them in place. */
    private static long median(long[] values) {
        Arrays.sort(values);
        return (values[SAMPLE_STEPS / 2 - 1] + values[SAMPLE_STEPS / 2]) / 2;
    }
}
