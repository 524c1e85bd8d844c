package dev.ffnn.bench;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Blas;
import dev.ffnn.engine.Blas.Transpose;
import dev.ffnn.engine.DenseLayer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.RowMajorMatrix;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Workspace;
import dev.ffnn.engine.benchmark.BenchmarkEngines;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The non-GEMM phases of ffnn's {@link Network#trainStep}, each over all layers and timed alone on the buffers
 * of a real workspace. Add the phases to {@link StepGemmsBenchmark}'s time
 * to account for a {@link TrainingStepBenchmark} step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StepPhasesBenchmark {

    @Param({"784-256-128-10/128"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private Network network;
    private Workspace workspace;
    private List<DenseLayer> layers;
    private MemorySegment ones;   // 1 [batchSize], for ∂b = δᵀ·1
    private Sgd optimizer;
    private int batchSize;

    @Setup(Level.Trial)
    public void setUp() {
        Blas.setThreadCount(threads);
        Shape parsed = Shape.parse(shape);
        batchSize = parsed.batchSize();
        network = Network.create(NetworkSpec.classifier(parsed.layerSizes(), Activation.RELU, Initializers.heNormal()),
                EngineState.SEED);
        workspace = network.newWorkspace(batchSize);
        layers = network.layers();
        arena = Arena.ofShared();
        ones = arena.allocate(ValueLayout.JAVA_DOUBLE, batchSize);
        for (int i = 0; i < batchSize; i++) {
            ones.setAtIndex(ValueLayout.JAVA_DOUBLE, i, 1.0);
        }
        optimizer = new Sgd(BenchmarkEngines.LEARNING_RATE);
        RowMajorMatrix input = workspace.input();
        for (int i = 0; i < input.rows(); i++) {
            for (int j = 0; j < input.cols(); j++) {
                input.set(i, j, ((i * 31 + j * 17) % 256) / 255.0);
            }
        }
        for (int i = 0; i < batchSize; i++) {
            workspace.labels().setAtIndex(ValueLayout.JAVA_INT, i, i % network.spec().outputSize());
        }
        network.forward(workspace);
        network.backward(workspace);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workspace.close();
        network.close();
        arena.close();
    }

    /** Computes {@code Z += b; A = g(Z)} for every layer (the bias is added again each call, which takes the same time). */
    @Benchmark
    public double biasAndActivation() {
        for (DenseLayer layer : layers) {
            layer.activation().addBiasAndApply(workspace.preActivations(layer.index()).segment(), layer.bias(),
                    workspace.activations(layer.index()).segment(), batchSize, layer.fanOut());
        }
        return workspace.output().get(0, 0);
    }

    /** Computes the softmax cross-entropy and {@code δ_L}. */
    @Benchmark
    public double lossAndDelta() {
        DenseLayer last = layers.getLast();
        return Loss.SOFTMAX_CROSS_ENTROPY.lossAndDelta(workspace.preActivations(last.index()).segment(),
                workspace.activations(last.index()).segment(), last.activation(), workspace.labels(), batchSize,
                last.fanOut(), workspace.errors(last.index()).segment());
    }

    /** Computes {@code δ_prev ⊙= g'(Z_prev)} for every layer but the last. */
    @Benchmark
    public double activationDerivatives() {
        for (int l = 0; l < layers.size() - 1; l++) {
            RowMajorMatrix delta = workspace.errors(l);
            layers.get(l).activation().multiplyByDerivative(workspace.preActivations(l).segment(),
                    workspace.activations(l).segment(), delta.segment(), delta.elementCount());
        }
        return workspace.errors(0).get(0, 0);
    }

    /** Computes {@code ∂b = δᵀ·1} for every layer. */
    @Benchmark
    public double biasGradients() {
        for (DenseLayer layer : layers) {
            Blas.gemv(Transpose.TRANSPOSE, 1.0, workspace.errors(layer.index()), ones, 1, 0.0, layer.biasGradient(), 1);
        }
        return layers.getFirst().biasGradient().getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
    }

    /** Runs the SGD update ({@code daxpy}) over every parameter. */
    @Benchmark
    public double optimizerStep() {
        optimizer.step(network.parameters(), network.gradients(), network.parameterCount());
        return network.parameters().getAtIndex(ValueLayout.JAVA_DOUBLE, 0);
    }

    /** Runs the whole forward pass, GEMMs included. */
    @Benchmark
    public double forward() {
        network.forward(workspace);
        return workspace.output().get(0, 0);
    }

    /** Runs the whole backward pass, GEMMs included, writing the gradients. */
    @Benchmark
    public double backward() {
        return network.backward(workspace);
    }
}
