package dev.ffnn.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest {

    @Test
    void benchPrintsEveryEngineAndTheRatios() {
        TrainCommandTest.Result result = TrainCommandTest.run("bench", "--layers", "20,16,3", "--batch-size", "8",
                "--threads", "1", "--seconds", "0.5");

        assertEquals(0, result.status(), result.err());
        String out = result.out();
        for (String row : new String[]{"ffnn          1", "gemm          1", "java          1", "ejml          1"}) {
            assertTrue(out.contains(row), "missing row '" + row + "' in:\n" + out);
        }
        assertTrue(out.contains("ffnn step / raw GEMMs at 1 thread"), out);
        assertTrue(out.contains("java / ffnn at 1 thread"), out);
        assertTrue(out.contains("ejml / ffnn at 1 thread"), out);
        assertTrue(out.contains("20-16-3 at batch size 8"), out);
    }

    @Test
    void eachGemmAddsRowPerProduct() {
        TrainCommandTest.Result result = TrainCommandTest.run("bench", "--layers", "6,5,4,2", "--batch-size", "3",
                "--threads", "1,2", "--engines", "ffnn", "--seconds", "0.5", "--each-gemm");

        assertEquals(0, result.status(), result.err());
        // 3 layers: 3 forward products, 3 weight gradients and 2 error products
        for (int product = 1; product <= 8; product++) {
            for (int threads = 1; threads <= 2; threads++) {
                String row = String.format("gemm %d        %d", product, threads);
                assertTrue(result.out().contains(row), "missing row '" + row + "' in:\n" + result.out());
            }
        }
        assertTrue(!result.out().contains("gemm 9"), result.out());
    }

    @Test
    void invalidOptionsExitWithStatusTwo() {
        String[][] cases = {
                {"--seconds", "0", "'--seconds': 0.0"},
                {"--seconds", "NaN", "'--seconds': NaN"},
                {"--batch-size", "0", "'--batch-size': 0"},
                {"--threads", "0", "'--threads': 0"},
                {"--threads", "1,x", "'--threads': 1,x"},
                {"--engines", "torch", "unknown engine 'torch'"},
                {"--layers", "784", "'--layers': 784"},
                {"--layers", "4,1", "the last size must be >= 2"},
        };
        for (String[] testCase : cases) {
            TrainCommandTest.Result result = TrainCommandTest.run("bench", testCase[0], testCase[1]);
            assertEquals(2, result.status(), String.join(" ", testCase) + ": " + result.err());
            assertTrue(result.err().contains(testCase[2]), String.join(" ", testCase) + ": " + result.err());
        }
    }
}
