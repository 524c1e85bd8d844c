package dev.ffnn.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * How long one training step (forward, backward, SGD update) takes in each engine. Compare it with
 * {@link StepGemmsBenchmark} at the same shape and thread count for ffnn's GEMM efficiency, and run it with
 * {@code -prof gc} for the bytes allocated per step ({@code gc.alloc.rate.norm}).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TrainingStepBenchmark extends EngineState {

    @Benchmark
    public double trainStep() {
        return benchmarkEngine.trainStep();
    }
}
