package dev.ffnn.engine;

/**
 * The learning-rate schedules of the command line: step decay, exponential decay and cosine annealing. Each is a
 * function of the 1-based epoch alone, so a resumed run gets the rates of an uninterrupted one.
 */
public final class LearningRateSchedules {

    /** Decay factor of the step and exponential schedules when none is given. */
    public static final double DEFAULT_GAMMA = 0.5;
    /** Epochs between two decays of the step schedule when none is given. */
    public static final int DEFAULT_STEP_EPOCHS = 10;
    /** Final rate of the cosine schedule when none is given, as a fraction of the base rate. */
    public static final double DEFAULT_COSINE_MIN_FRACTION = 0.01;

    private LearningRateSchedules() {
    }

    /**
     * Step decay: {@code rate = base · γ^⌊(epoch − 1) / stepEpochs⌋}, so the rate drops by γ after every
     * {@code stepEpochs} epochs.
     *
     * @param stepEpochs epochs between decays, ≥ 1
     * @param gamma      decay factor in (0, 1]
     */
    public record Step(int stepEpochs, double gamma) implements LearningRateSchedule {

        /** @throws IllegalArgumentException if {@code stepEpochs < 1} or γ is outside (0, 1] */
        public Step {
            if (stepEpochs < 1) {
                throw new IllegalArgumentException("step epochs " + stepEpochs + " is invalid: it must be >= 1");
            }
            requireGamma(gamma);
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate * Math.pow(gamma, (epoch - 1) / stepEpochs);
        }

        public String describe() {
            return "step(every " + stepEpochs + " epochs x " + gamma + ")";
        }
    }

    /**
     * Exponential decay: {@code rate = base · γ^(epoch − 1)}.
     *
     * @param gamma decay factor per epoch in (0, 1]
     */
    public record Exponential(double gamma) implements LearningRateSchedule {

        /** @throws IllegalArgumentException if γ is outside (0, 1] */
        public Exponential {
            requireGamma(gamma);
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            return baseRate * Math.pow(gamma, epoch - 1);
        }

        public String describe() {
            return "exponential(x " + gamma + " per epoch)";
        }
    }

    /**
     * Cosine annealing from the base rate in the first epoch to {@code minRate} in the last planned one:
     * {@code rate = min + (base − min) · (1 + cos(π · (epoch − 1) / (totalEpochs − 1))) / 2}. A run of one epoch
     * uses the base rate, and epochs after the planned last one use {@code minRate}.
     *
     * @param minRate the rate of the last epoch, a finite number &gt; 0
     */
    public record Cosine(double minRate) implements LearningRateSchedule {

        /** @throws IllegalArgumentException if {@code minRate} is not a finite number &gt; 0 */
        public Cosine {
            if (!(minRate > 0) || !Double.isFinite(minRate)) {
                throw new IllegalArgumentException("minimum rate " + minRate
                        + " is invalid: it must be a finite number > 0");
            }
        }

        @Override
        public double rate(double baseRate, int epoch, int totalEpochs) {
            if (totalEpochs <= 1) {
                return baseRate;
            }
            double progress = Math.min(1.0, (double) (epoch - 1) / (totalEpochs - 1));
            return minRate + (baseRate - minRate) * (1 + Math.cos(Math.PI * progress)) / 2;
        }

        public String describe() {
            return "cosine(to " + minRate + ")";
        }
    }

    private static void requireGamma(double gamma) {
        if (!(gamma > 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma " + gamma + " is invalid: it must be in (0, 1]");
        }
    }
}
