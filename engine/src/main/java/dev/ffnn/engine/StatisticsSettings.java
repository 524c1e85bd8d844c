package dev.ffnn.engine;

/**
 * When {@link Trainer#fit} collects statistics, and how much: before the first update, then after the last step
 * of every epoch or after every {@code everySteps}-th step.
 *
 * @param everySteps    collect after each step whose number is a multiple of this, or 0 for once per epoch
 * @param histogramBins histogram bins per tensor, or 0 for none
 */
public record StatisticsSettings(int everySteps, int histogramBins) {

    /** The largest number of histogram bins, which keeps one record's histograms below a few megabytes. */
    public static final int MAX_HISTOGRAM_BINS = 10_000;

    /**
     * @throws IllegalArgumentException if {@code everySteps} is negative or {@code histogramBins} is outside
     *                                  0 to {@link #MAX_HISTOGRAM_BINS}
     */
    public StatisticsSettings {
        if (everySteps < 0) {
            throw new IllegalArgumentException("statistics interval " + everySteps
                    + " steps is invalid: it must be >= 1, or 0 for once per epoch");
        }
        if (histogramBins < 0 || histogramBins > MAX_HISTOGRAM_BINS) {
            throw new IllegalArgumentException("histogram bins " + histogramBins + " is invalid: it must be from 0 to "
                    + MAX_HISTOGRAM_BINS);
        }
    }

    /** Returns settings that collect once per epoch, without histograms. */
    public static StatisticsSettings perEpoch() {
        return new StatisticsSettings(0, 0);
    }

    /** Returns true when the step numbered {@code step} (1-based) is due, given whether it ends its epoch. */
    boolean isDue(long step, boolean lastInEpoch) {
        return everySteps == 0 ? lastInEpoch : step % everySteps == 0;
    }
}
