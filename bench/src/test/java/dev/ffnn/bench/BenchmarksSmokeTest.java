package dev.ffnn.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each benchmark method once on a tiny shape, outside JMH, so a broken setup fails the build. */
class BenchmarksSmokeTest {

    private static final String TINY = "12-8-4-3/5";

    @Test
    void trainingStepRunsOnce() {
        TrainingStepBenchmark benchmark = new TrainingStepBenchmark();
        benchmark.engine = "ffnn";
        benchmark.shape = TINY;
        benchmark.threads = 1;
        benchmark.setUp();
        try {
            double loss = benchmark.trainStep();
            // A fresh classifier's cross-entropy over 3 classes lies near ln 3; far off means a broken step
            assertTrue(loss > 0.1, "loss " + loss);
            assertTrue(loss < 10, "loss " + loss);
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void forwardPassRunsOnce() {
        ForwardPassBenchmark benchmark = new ForwardPassBenchmark();
        benchmark.engine = "ffnn";
        benchmark.shape = TINY;
        benchmark.threads = 1;
        benchmark.setUp();
        try {
            assertTrue(Double.isFinite(benchmark.forward()));
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void stepGemmsRunOnce() {
        StepGemmsBenchmark benchmark = new StepGemmsBenchmark();
        benchmark.shape = TINY;
        benchmark.threads = 1;
        benchmark.setUp();
        try {
            assertTrue(Double.isFinite(benchmark.stepGemms()));
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void batchCopyRunsOnce() throws Exception {
        BatchCopyBenchmark benchmark = new BatchCopyBenchmark();
        benchmark.batchSize = 4;
        benchmark.setUp();
        try {
            var input = benchmark.copyBatch().input();
            for (int i = 0; i < input.rows(); i++) {
                for (int j = 0; j < input.cols(); j++) {
                    double pixel = input.get(i, j) * 255.0;
                    assertEquals(Math.rint(pixel), pixel, 1e-9, "pixel (" + i + ", " + j + ") is not a byte over 255");
                }
            }
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void shapeParsesSizesAndBatch() {
        Shape shape = Shape.parse("784-256-128-10/128");
        assertEquals(4, shape.layerSizes().length);
        assertEquals(256, shape.layerSizes()[1]);
        assertEquals(128, shape.batchSize());
        assertEquals("784-256-128-10/128", shape.toString());
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("784-10"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("784-x/3"));
    }
}
