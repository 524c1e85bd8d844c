package dev.ffnn.bench;

import dev.ffnn.engine.Blas;
import dev.ffnn.engine.benchmark.StepGemms;
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

import java.util.concurrent.TimeUnit;

/**
 * The GEMM floor of a training step: {@code cblas_dgemm} alone at exactly the shapes of one step
 * ({@link StepGemms}: {@code Z = A·W} per layer, {@code ∂W = Aᵀ·δ} per layer, {@code δ·Wᵀ} for every layer but
 * the first), with nothing else between the calls. {@link TrainingStepBenchmark}'s ffnn time over this one is
 * ffnn's GEMM efficiency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class StepGemmsBenchmark {

    @Param({"784-256-128-10/32", "784-256-128-10/128", "784-256-128-10/512", "4096-4096-4096-10/256"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private StepGemms gemms;

    @Setup(Level.Trial)
    public void setUp() {
        Blas.setThreadCount(threads);
        Shape parsed = Shape.parse(shape);
        gemms = StepGemms.allocate(parsed.layerSizes(), parsed.batchSize());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        gemms.close();
    }

    @Benchmark
    public double stepGemms() {
        gemms.runAll();
        return gemms.lastOutputCorner();
    }
}
