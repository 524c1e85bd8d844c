package dev.ffnn.engine;

/**
 * The state a {@link TrainingListener} reads after one optimizer step. {@link Trainer} reuses one instance for
 * every step of a run, so reading it allocates nothing, and a listener must not keep it.
 */
public final class TrainingStep {

    private final Network network;
    private Workspace workspace;
    private int epoch;
    private int stepInEpoch;
    private long step;
    private double loss;
    private double learningRate;
    private double gradientNorm;

    TrainingStep(Network network) {
        this.network = network;
    }

    void update(Workspace workspace, int epoch, int stepInEpoch, long step, double loss, double learningRate,
                double gradientNorm) {
        this.workspace = workspace;
        this.epoch = epoch;
        this.stepInEpoch = stepInEpoch;
        this.step = step;
        this.loss = loss;
        this.learningRate = learningRate;
        this.gradientNorm = gradientNorm;
    }

    public Network network() {
        return network;
    }

    /** Returns the workspace of the step: its input batch, labels, and each layer's Z, A and δ. */
    public Workspace workspace() {
        return workspace;
    }

    /** Returns the 1-based epoch the step belongs to. */
    public int epoch() {
        return epoch;
    }

    /** Returns the 1-based number of the step within its epoch. */
    public int stepInEpoch() {
        return stepInEpoch;
    }

    /** Returns the 1-based number of the step since the start of training, counting resumed epochs. */
    public long step() {
        return step;
    }

    /** Returns the batch's mean loss, measured on the forward pass before the update. */
    public double loss() {
        return loss;
    }

    /** Returns the learning rate the step used. */
    public double learningRate() {
        return learningRate;
    }

    /** Returns ‖∂L/∂θ‖, the Euclidean norm of all gradients the update used. */
    public double gradientNorm() {
        return gradientNorm;
    }

    public int batchSize() {
        return workspace.batchSize();
    }
}
