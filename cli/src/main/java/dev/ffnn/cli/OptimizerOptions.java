package dev.ffnn.cli;

import dev.ffnn.engine.Adam;
import dev.ffnn.engine.EarlyStopping;
import dev.ffnn.engine.EpochRecord;
import dev.ffnn.engine.LearningRateSchedule;
import dev.ffnn.engine.LearningRateSchedules;
import dev.ffnn.engine.Momentum;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.Optimizer;
import dev.ffnn.engine.RmsProp;
import dev.ffnn.engine.Seeds;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.TrainingDefaults;
import dev.ffnn.engine.TrainingListener;
import dev.ffnn.engine.WeightRanges;
import dev.ffnn.engine.data.Dataset;
import dev.ffnn.engine.data.ValidationSplit;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The optimizer, learning-rate schedule and early-stopping options of {@code train} (a picocli mixin).
 *
 * <p>Each default comes from the engine's constant for it. An option that does not apply to the chosen optimizer or
 * schedule is an option error, so a typo such as {@code --beta1} with {@code --optimizer sgd} is not silently ignored.
 */
final class OptimizerOptions {

    /** The names {@code --optimizer} accepts. */
    static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop");
    /** The names {@code --schedule} accepts. */
    static final List<String> SCHEDULES = List.of("constant", "step", "exponential", "cosine");
    /** Epochs without a lower validation loss before training stops, when {@code --patience} is not given. */
    static final int DEFAULT_PATIENCE = 5;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "Optimizer: sgd, momentum, nesterov, adam, adamw or rmsprop; the README gives each update.")
    String optimizerName = "sgd";

    @Option(names = "--momentum", paramLabel = "MU",
            description = "Momentum coefficient of momentum and nesterov, in [0, 1): v = mu*v + g, theta -= lr*v.")
    double momentum = Momentum.DEFAULT_MOMENTUM;

    @Option(names = "--beta1", paramLabel = "B1", description = "Decay of Adam's first moment, in [0, 1).")
    double beta1 = Adam.DEFAULT_BETA1;

    @Option(names = "--beta2", paramLabel = "B2", description = "Decay of Adam's second moment, in [0, 1).")
    double beta2 = Adam.DEFAULT_BETA2;

    @Option(names = "--epsilon", paramLabel = "EPS",
            description = "Term added to the root of the second moment by adam, adamw and rmsprop; > 0.")
    double epsilon = Adam.DEFAULT_EPSILON;

    @Option(names = "--rho", paramLabel = "RHO", description = "Decay of RMSProp's mean square, in [0, 1).")
    double rho = RmsProp.DEFAULT_RHO;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "AdamW's decoupled weight decay, multiplied by the learning rate; >= 0. Biases do not decay.")
    double weightDecay = Adam.DEFAULT_WEIGHT_DECAY;

    @Option(names = "--l2", paramLabel = "LAMBDA",
            description = "L2 regularization of the weights, lambda/2 * sum of W squared, for every optimizer but "
                    + "adamw; >= 0. Biases are not regularized.")
    double l2 = 0;

    @Option(names = "--schedule", paramLabel = "NAME",
            description = "Learning-rate schedule: constant, step (--step-epochs, --gamma), exponential (--gamma) or "
                    + "cosine (--min-lr).")
    String scheduleName = "constant";

    @Option(names = "--step-epochs", paramLabel = "K", description = "Epochs between two decays of the step schedule.")
    int stepEpochs = LearningRateSchedules.DEFAULT_STEP_EPOCHS;

    @Option(names = "--gamma", paramLabel = "G",
            description = "Decay factor of the step schedule (per --step-epochs) and the exponential one (per epoch), "
                    + "in (0, 1].")
    double gamma = LearningRateSchedules.DEFAULT_GAMMA;

    @Option(names = "--min-lr", paramLabel = "RATE", showDefaultValue = Help.Visibility.NEVER,
            description = "Learning rate of the last epoch of the cosine schedule, > 0 and <= --lr. Default: --lr / 100.")
    Double minRate;

    @Option(names = "--validation-fraction", paramLabel = "F", showDefaultValue = Help.Visibility.NEVER,
            description = "Hold out this fraction of the training samples, in (0, 1), for early stopping: training "
                    + "stops after --patience epochs without a lower validation loss and keeps the best epoch's "
                    + "weights. Default: no validation set.")
    Double validationFraction;

    @Option(names = "--patience", paramLabel = "N",
            description = "Epochs without a lower validation loss before early stopping; needs --validation-fraction.")
    int patience = DEFAULT_PATIENCE;

    /**
     * Checks the options against each other and the run, before any data is read.
     *
     * @param learningRate the base learning rate, already checked to be a finite number &gt; 0
     * @param epochs       the planned epochs, already checked to be &gt;= 1
     */
    void validate(double learningRate, int epochs) {
        optimizerName = optimizerName.toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(optimizerName)) {
            throw optionError("--optimizer", optimizerName, "allowed: " + String.join(", ", OPTIMIZERS));
        }
        scheduleName = scheduleName.toLowerCase(Locale.ROOT);
        if (!SCHEDULES.contains(scheduleName)) {
            throw optionError("--schedule", scheduleName, "allowed: " + String.join(", ", SCHEDULES));
        }
        requireApplies("--momentum", Set.of("momentum", "nesterov"), optimizerName, "--optimizer");
        requireApplies("--beta1", Set.of("adam", "adamw"), optimizerName, "--optimizer");
        requireApplies("--beta2", Set.of("adam", "adamw"), optimizerName, "--optimizer");
        requireApplies("--epsilon", Set.of("adam", "adamw", "rmsprop"), optimizerName, "--optimizer");
        requireApplies("--rho", Set.of("rmsprop"), optimizerName, "--optimizer");
        requireApplies("--weight-decay", Set.of("adamw"), optimizerName, "--optimizer");
        if (optimizerName.equals("adamw") && isGiven("--l2")) {
            throw new ParameterException(commandLine(), "--l2 does not apply to adamw, which decays the weights with "
                    + "--weight-decay: drop --l2, or use --optimizer adam --l2 LAMBDA for L2 regularization");
        }
        requireApplies("--step-epochs", Set.of("step"), scheduleName, "--schedule");
        requireApplies("--gamma", Set.of("step", "exponential"), scheduleName, "--schedule");
        requireApplies("--min-lr", Set.of("cosine"), scheduleName, "--schedule");
        if (isGiven("--patience") && validationFraction == null) {
            throw new ParameterException(commandLine(), "--patience needs --validation-fraction, which holds out the "
                    + "samples early stopping watches: add e.g. --validation-fraction 0.1");
        }

        requireInUnitInterval("--momentum", momentum, Momentum.DEFAULT_MOMENTUM);
        requireInUnitInterval("--beta1", beta1, Adam.DEFAULT_BETA1);
        requireInUnitInterval("--beta2", beta2, Adam.DEFAULT_BETA2);
        requireInUnitInterval("--rho", rho, RmsProp.DEFAULT_RHO);
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw optionError("--epsilon", String.valueOf(epsilon), "it must be a finite number > 0, e.g. 1e-8");
        }
        requireNonNegative("--weight-decay", weightDecay, "0.01");
        requireNonNegative("--l2", l2, "1e-4");
        if (stepEpochs < 1) {
            throw optionError("--step-epochs", String.valueOf(stepEpochs), "it must be >= 1");
        }
        if (!(gamma > 0 && gamma <= 1)) {
            throw optionError("--gamma", String.valueOf(gamma), "it must be in (0, 1], e.g. 0.5");
        }
        if (minRate != null && !(minRate > 0 && minRate <= learningRate)) {
            throw optionError("--min-lr", String.valueOf(minRate), "it must be > 0 and at most --lr " + learningRate);
        }
        if (validationFraction != null && !(validationFraction > 0 && validationFraction < 1)) {
            throw optionError("--validation-fraction", String.valueOf(validationFraction),
                    "it must be in (0, 1), e.g. 0.1 to hold out 10% of the training samples");
        }
        if (patience < 1) {
            throw optionError("--patience", String.valueOf(patience), "it must be >= 1");
        }
        requirePositiveRates(learningRate, epochs);
    }

    /** Returns the base learning rate: {@code --lr} when given, else the default of the optimizer. */
    double learningRate(double lrOption, boolean lrGiven) {
        if (lrGiven) {
            return lrOption;
        }
        return switch (optimizerName) {
            case "adam", "adamw" -> Adam.DEFAULT_LEARNING_RATE;
            case "rmsprop" -> RmsProp.DEFAULT_LEARNING_RATE;
            default -> TrainingDefaults.LEARNING_RATE;
        };
    }

    /** Creates the optimizer for {@code network}; the caller closes it. */
    Optimizer create(Network network, double learningRate) {
        WeightRanges weights = network.weightRanges();
        return switch (optimizerName) {
            case "sgd" -> l2 > 0 ? new Sgd(weights, learningRate, l2) : new Sgd(learningRate);
            case "momentum" -> new Momentum(weights, learningRate, momentum, false, l2);
            case "nesterov" -> new Momentum(weights, learningRate, momentum, true, l2);
            case "adam" -> Adam.adam(weights, learningRate, beta1, beta2, epsilon, l2);
            case "adamw" -> Adam.adamW(weights, learningRate, beta1, beta2, epsilon, weightDecay);
            case "rmsprop" -> new RmsProp(weights, learningRate, rho, epsilon, l2);
            default -> throw new IllegalStateException("unknown optimizer " + optimizerName + " passed validate()");
        };
    }

    /** Returns the number of parameter-sized state tensors of the optimizer, for the memory estimate. */
    int stateTensorCount() {
        return switch (optimizerName) {
            case "momentum", "nesterov", "rmsprop" -> 1;
            case "adam", "adamw" -> 2;
            default -> 0;
        };
    }

    /** Returns the schedule of {@code --schedule}. */
    LearningRateSchedule schedule(double learningRate) {
        return switch (scheduleName) {
            case "step" -> new LearningRateSchedules.Step(stepEpochs, gamma);
            case "exponential" -> new LearningRateSchedules.Exponential(gamma);
            case "cosine" -> new LearningRateSchedules.Cosine(minRate != null ? minRate
                    : learningRate * LearningRateSchedules.DEFAULT_COSINE_MIN_FRACTION);
            default -> LearningRateSchedule.constant();
        };
    }

    /** Describes the schedule for the header line, or returns null for the constant schedule. */
    String describeSchedule(double learningRate) {
        return switch (schedule(learningRate)) {
            case LearningRateSchedules.Step step -> step.describe();
            case LearningRateSchedules.Exponential exponential -> exponential.describe();
            case LearningRateSchedules.Cosine cosine -> cosine.describe();
            default -> null;
        };
    }

    /** Returns whether {@code --validation-fraction} is given, so early stopping runs. */
    boolean hasValidation() {
        return validationFraction != null;
    }

    /**
     * Holds out {@code --validation-fraction} of {@code train}, or returns null without that option.
     *
     * @throws ParameterException if the fraction leaves one part empty
     */
    ValidationSplit splitValidation(Dataset train, long seed) {
        if (validationFraction == null) {
            return null;
        }
        try {
            return ValidationSplit.of(train, validationFraction, Seeds.derive(seed, Seeds.VALIDATION_SPLIT));
        } catch (IllegalArgumentException e) {
            throw optionError("--validation-fraction", String.valueOf(validationFraction), e.getMessage());
        }
    }

    /**
     * Prints the validation loss and accuracy after each epoch line. The listener must come after
     * {@code stopping} in the listener list, because it prints the evaluation that {@code stopping} made.
     */
    static TrainingListener validationPrinter(PrintWriter out, EarlyStopping stopping) {
        return new TrainingListener() {
            @Override
            public void epochEnded(EpochRecord record) {
                Trainer.Evaluation validation = stopping.lastEvaluation();
                boolean best = stopping.bestEpoch() == record.epoch();
                out.printf(Locale.ROOT, "          validation loss %s  validation acc %.4f  %s%n",
                        EpochLine.loss(validation.loss()), validation.accuracy(),
                        best ? "best so far" : "no improvement for " + stopping.epochsWithoutImprovement()
                                + " of " + stopping.patience() + " epochs");
                out.flush();
            }
        };
    }

    /** Rejects a schedule that would set a rate of 0 or infinity in one of the planned epochs. */
    private void requirePositiveRates(double learningRate, int epochs) {
        LearningRateSchedule schedule = schedule(learningRate);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double rate = schedule.rate(learningRate, epoch, epochs);
            if (!(rate > 0) || !Double.isFinite(rate)) {
                throw optionError("--gamma", String.valueOf(gamma), "the " + scheduleName + " schedule reaches a"
                        + " learning rate of " + rate + " in epoch " + epoch + ": use a larger --gamma or fewer --epochs");
            }
        }
    }

    private void requireApplies(String option, Set<String> choices, String chosen, String choiceOption) {
        if (isGiven(option) && !choices.contains(chosen)) {
            throw new ParameterException(commandLine(), option + " applies to " + choiceOption + " "
                    + String.join(" or ", choices.stream().sorted().toList()) + " only, not " + chosen
                    + ": drop it, or choose " + (choices.size() == 1 ? choiceOption + " " + choices.iterator().next()
                    : "one of those"));
        }
    }

    private void requireInUnitInterval(String option, double value, double example) {
        if (!(value >= 0 && value < 1)) {
            throw optionError(option, String.valueOf(value), "it must be in [0, 1), e.g. " + example);
        }
    }

    private void requireNonNegative(String option, double value, String example) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw optionError(option, String.valueOf(value), "it must be a finite number >= 0, e.g. " + example);
        }
    }

    private boolean isGiven(String option) {
        return commandLine().getParseResult().hasMatchedOption(option);
    }

    private CommandLine commandLine() {
        return spec.commandLine();
    }

    private ParameterException optionError(String option, String value, String reason) {
        return OptionChecks.optionError(commandLine(), option, value, reason);
    }
}
