package dev.ffnn.bench;

import dev.ffnn.engine.Blas;
import dev.ffnn.engine.benchmark.BenchmarkEngine;
import dev.ffnn.engine.benchmark.BenchmarkEngines;
import dev.ffnn.engine.benchmark.EngineKind;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One engine with a network and a fixed batch, built once per trial. The parameters span the comparison:
 * every engine at every shape and thread count. The thread count is OpenBLAS's for ffnn and the products'
 * for the on-heap engines (their elementwise steps run on one thread).
 */
@State(Scope.Benchmark)
public abstract class EngineState {

    /** The weights and the batch are seeded, so every trial of every engine gets the same numbers. */
    static final long SEED = 1;

    @Param({"ffnn", "java", "ejml"})
    public String engine;

    @Param({"784-256-128-10/32", "784-256-128-10/128", "784-256-128-10/512", "4096-4096-4096-10/256"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    BenchmarkEngine benchmarkEngine;

    @Setup(Level.Trial)
    public void setUp() {
        Blas.setThreadCount(threads);
        Shape parsed = Shape.parse(shape);
        benchmarkEngine = BenchmarkEngines.create(EngineKind.parse(engine), parsed.layerSizes(), parsed.batchSize(), SEED,
                threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        benchmarkEngine.close();
    }
}
