package dev.ffnn.engine;

/** The defaults of a training run, shared by the library's examples and the {@code ffnn} command line. */
public final class TrainingDefaults {

    /** SGD learning rate. */
    public static final double LEARNING_RATE = 0.1;
    /** Samples per mini-batch. */
    public static final int BATCH_SIZE = 32;
    /** Passes over the training set. */
    public static final int EPOCHS = 10;
    /** Seed of weights, batch order and synthetic data. */
    public static final long SEED = 1;
    /** Activation of the hidden layers. */
    public static final Activation HIDDEN_ACTIVATION = Activation.RELU;
    /** Activation of the output layer, identity because the cross-entropy applies the softmax. */
    public static final Activation OUTPUT_ACTIVATION = Activation.IDENTITY;
    /** Loss to minimise. */
    public static final Loss LOSS = Loss.SOFTMAX_CROSS_ENTROPY;
    /** Weight initializer, by its command-line name; He normal suits the default ReLU. */
    public static final String INITIALIZER = "he-normal";
    /** Bias initializer, by its command-line name. */
    public static final String BIAS_INITIALIZER = "zeros";
    /** Hidden layer sizes used when only the data set fixes the input and output sizes. */
    public static final int[] HIDDEN_SIZES = {64, 64};

    private TrainingDefaults() {
    }
}
