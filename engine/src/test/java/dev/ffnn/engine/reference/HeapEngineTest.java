package dev.ffnn.engine.reference;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Seeds;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Both on-heap engines on their own: gradients against central finite differences of their own loss, the EJML
 * engine against the reference engine, a training step that allocates nothing, and argument checks.
 */
class HeapEngineTest {

    /** Step of the central difference; its truncation error is O(h²), about 1e-10 relative here. */
    private static final double STEP = 1e-5;
    /** Per-parameter bound |analytic − numeric| <= ATOL + RTOL·|numeric|. */
    private static final double ATOL = 1e-8;
    private static final double RTOL = 1e-5;

    private static final int[] SIZES = {4, 6, 3, 5};
    private static final int BATCH = 3;

    @Test
    void gradientsMatchFiniteDifferences() {
        List<String> checked = new ArrayList<>();
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            for (Activation hidden : Activation.values()) {
                for (Loss loss : Loss.values()) {
                    Activation output = loss == Loss.SOFTMAX_CROSS_ENTROPY ? Activation.IDENTITY : hidden;
                    checkGradients(kind, new NetworkSpec(SIZES, hidden, output, loss, Initializers.normal(0, 0.8)));
                    checked.add(kind + " " + hidden + "/" + loss);
                }
            }
        }
        assertEquals(HeapEngine.Kind.values().length * Activation.values().length * Loss.values().length,
                checked.size(), checked.toString());
    }

    @Test
    void ejmlMatchesReferenceForEveryActivationAndLoss() {
        for (Activation hidden : Activation.values()) {
            for (Loss loss : Loss.values()) {
                NetworkSpec spec = OffHeapOracleTest.spec(hidden, loss);
                OffHeapOracleTest.Batches batches = OffHeapOracleTest.batches(spec);
                double[] initial = randomParameters(spec, 31);
                OffHeapOracleTest.Trajectory reference = OffHeapOracleTest.trainOnHeap(spec, initial, batches,
                        HeapEngine.Kind.JAVA);
                OffHeapOracleTest.Trajectory ejml = OffHeapOracleTest.trainOnHeap(spec, initial, batches,
                        HeapEngine.Kind.EJML);

                Agreement.assertAgree(spec + " losses", reference.losses(), ejml.losses());
                Agreement.assertAgree(spec + " final parameters", reference.parameters()[reference.parameters().length - 1],
                        ejml.parameters()[ejml.parameters().length - 1]);
            }
        }
    }

    @Test
    void trainingStepAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NetworkSpec spec = NetworkSpec.classifier(new int[]{8, 16, 12, 3}, Activation.RELU, Initializers.heNormal());
        double[] input = randomArray(5 * 8, 3);
        int[] labels = {0, 1, 2, 1, 0};
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            HeapEngine engine = kind.create(spec, randomParameters(spec, 2), 5);
            // Warm up until the step is compiled, so interpreter frames do not count
            for (int i = 0; i < 20_000; i++) {
                engine.trainStep(input, labels, 1e-3);
            }

            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1_000; i++) {
                engine.trainStep(input, labels, 1e-3);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;

            // 1,000 steps; even one object per step would be 16,000 bytes
            assertTrue(allocated < 1_024, kind + ": 1,000 training steps allocated " + allocated + " bytes");
        }
    }

    @Test
    void twoThreadsMatchOneThread() {
        // Layers wider than one block and an odd batch, so the threads split rows unevenly across block edges
        NetworkSpec spec = NetworkSpec.classifier(new int[]{70, 300, 65, 10}, Activation.TANH, Initializers.heNormal());
        int batch = 9;
        double[] initial = randomParameters(spec, 10);
        double[] input = randomArray(batch * 70, 11);
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            try (HeapEngine one = kind.create(spec, initial, batch, 1);
                 HeapEngine two = kind.create(spec, initial, batch, 2)) {
                for (int step = 0; step < 5; step++) {
                    Agreement.assertAgree(kind + " loss of step " + step, one.trainStep(input, labels, 0.1),
                            two.trainStep(input, labels, 0.1));
                }

                assertEquals(2, two.threads());
                Agreement.assertAgree(kind + " parameters", one.parameters(), two.parameters());
                if (kind == HeapEngine.Kind.JAVA) {
                    // The reference engine computes every element the same way on any number of threads
                    assertArrayEquals(one.parameters(), two.parameters(), "reference engine, bit for bit");
                }
            }
        }
    }

    @Test
    void nanInputGivesNanLoss() {
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            for (Activation hidden : Activation.values()) {
                NetworkSpec spec = NetworkSpec.classifier(SIZES, hidden, Initializers.heNormal());
                HeapEngine engine = kind.create(spec, randomParameters(spec, 4), BATCH);
                double[] input = randomArray(BATCH * SIZES[0], 5);
                input[0] = Double.NaN;

                double loss = engine.loss(input, new int[]{0, 1, 2});

                assertEquals(Double.NaN, loss, kind + " " + hidden + ": a NaN input must give a NaN loss");
            }
        }
    }

    @Test
    void startsFromGivenParameters() {
        NetworkSpec spec = NetworkSpec.classifier(SIZES, Activation.TANH, Initializers.heNormal());
        double[] initial = randomParameters(spec, 6);
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            HeapEngine engine = kind.create(spec, initial, BATCH);

            assertArrayEquals(initial, engine.parameters(), kind.toString());
            assertEquals(kind.engineName(), engine.name());
            assertEquals(BATCH, engine.batchSize());
        }
    }

    @Test
    void initialParametersMatchOffHeapNetwork() {
        NetworkSpec spec = NetworkSpec.classifier(SIZES, Activation.RELU, Initializers.heNormal());

        double[] first = HeapEngine.initialParameters(spec, 9);

        assertEquals(spec.parameterCount(), first.length);
        assertArrayEquals(first, HeapEngine.initialParameters(spec, 9), "the same seed must give the same bits");
    }

    @Test
    void forwardComputesOneLayerByHand() {
        // One 2 -> 3 sigmoid layer: z = x·W + b, checked against the formula element by element
        NetworkSpec spec = new NetworkSpec(new int[]{2, 3}, Activation.RELU, Activation.SIGMOID,
                Loss.MEAN_SQUARED_ERROR, Initializers.zeros());
        double[] parameters = {0.5, -1.0, 2.0, 1.5, 0.25, -0.75, 0.1, 0.2, 0.3}; // W [2 x 3] row-major, then b
        double[] input = {1.0, 2.0};
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            double[] output = kind.create(spec, parameters, 1).forward(input);

            for (int j = 0; j < 3; j++) {
                double z = input[0] * parameters[j] + input[1] * parameters[3 + j] + parameters[6 + j];
                assertEquals(1.0 / (1.0 + Math.exp(-z)), output[j], 1e-15, kind + " output " + j);
            }
        }
    }

    @Test
    void wrongShapesAreRejected() {
        NetworkSpec spec = NetworkSpec.classifier(SIZES, Activation.RELU, Initializers.heNormal());
        int count = (int) spec.parameterCount();
        for (HeapEngine.Kind kind : HeapEngine.Kind.values()) {
            HeapEngine engine = kind.create(spec, new double[count], BATCH);
            double[] input = new double[BATCH * SIZES[0]];

            var shortInput = assertThrows(IllegalArgumentException.class, () -> engine.forward(new double[5]));
            assertEquals("input of 5 doubles is invalid: it must contain batch size 3 x input size 4 = 12",
                    shortInput.getMessage());
            var fewLabels = assertThrows(IllegalArgumentException.class, () -> engine.loss(input, new int[2]));
            assertEquals("2 labels are invalid: the batch has 3 samples, so give 3 labels", fewLabels.getMessage());
            var badLabel = assertThrows(IllegalArgumentException.class,
                    () -> engine.trainStep(input, new int[]{0, 5, 1}, 0.1));
            assertEquals("label 5 of sample 1 is invalid: labels must be in [0, 5) for 5 outputs", badLabel.getMessage());
            var badRate = assertThrows(IllegalArgumentException.class,
                    () -> engine.trainStep(input, new int[3], Double.NaN));
            assertEquals("learning rate NaN is invalid: it must be a finite number > 0", badRate.getMessage());
            var badParameters = assertThrows(IllegalArgumentException.class,
                    () -> engine.setParameters(new double[count + 1]));
            assertEquals((count + 1) + " parameters are invalid for network 4-6-3-5: it has " + count
                    + " (W then b per layer)", badParameters.getMessage());
            var badBatch = assertThrows(IllegalArgumentException.class, () -> kind.create(spec, new double[count], 0));
            assertEquals("batch size 0 is invalid: it must be >= 1", badBatch.getMessage());
            var badThreads = assertThrows(IllegalArgumentException.class,
                    () -> kind.create(spec, new double[count], BATCH, 0));
            assertEquals("thread count 0 is invalid: it must be >= 1", badThreads.getMessage());
        }
    }

    @Test
    void oversizedBatchIsRejected() {
        NetworkSpec spec = NetworkSpec.classifier(new int[]{4096, 10}, Activation.RELU, Initializers.heNormal());

        var error = assertThrows(IllegalArgumentException.class,
                () -> new ReferenceEngine(spec, new double[(int) spec.parameterCount()], 1 << 20));

        assertEquals("batch size 1048576 is too large for layer size 4096: a batch buffer would exceed 2147483647 elements",
                error.getMessage());
    }

    private static void checkGradients(HeapEngine.Kind kind, NetworkSpec spec) {
        double[] parameters = randomParameters(spec, 7);
        HeapEngine engine = kind.create(spec, parameters, BATCH);
        double[] input = randomArray(BATCH * spec.inputSize(), 8);
        int[] labels = {2, 0, 4};

        engine.computeGradients(input, labels);
        double[] analytic = engine.gradients();

        double numericSquares = 0;
        for (int p = 0; p < parameters.length; p++) {
            double original = parameters[p];
            parameters[p] = original + STEP;
            engine.setParameters(parameters);
            double plus = engine.loss(input, labels);
            parameters[p] = original - STEP;
            engine.setParameters(parameters);
            double minus = engine.loss(input, labels);
            parameters[p] = original;
            double numeric = (plus - minus) / (2 * STEP);
            numericSquares += numeric * numeric;

            double tolerance = ATOL + RTOL * Math.abs(numeric);
            if (!(Math.abs(analytic[p] - numeric) <= tolerance)) {
                fail(kind + " " + spec + ": parameter " + p + ": analytic " + analytic[p] + " numeric " + numeric
                        + " (tolerance " + tolerance + ")");
            }
        }
        assertTrue(numericSquares > 0, kind + " " + spec + ": every numeric gradient is 0, so the check proves nothing");
    }

    /** Returns N(0, 0.5²) parameters, biases included, so a bug that ignores b shows up. */
    private static double[] randomParameters(NetworkSpec spec, long stream) {
        double[] parameters = randomArray((int) spec.parameterCount(), stream);
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] *= 0.5;
        }
        return parameters;
    }

    private static double[] randomArray(int length, long stream) {
        RandomGenerator random = Seeds.generator(37, stream);
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }
}
