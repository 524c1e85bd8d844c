package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitStudyCommandTest {

    @TempDir
    Path directory;

    @Test
    void printsTableAndWritesCsvPerInitializer() throws IOException {
        Path csv = directory.resolve("study.csv");

        TrainCommandTest.Result result = run("init-study", "--depth", "3", "--width", "16", "--batch-size", "50",
                "--activation", "tanh", "--init", "xavier-normal,constant:0.05", "--csv", csv.toString());

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("init xavier-normal"), result.out());
        assertTrue(result.out().contains("init constant:0.05"), result.out());
        assertTrue(result.out().contains("var_z layer 3 / layer 1:"), result.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(InitStudyCommand.CSV_HEADER, lines.getFirst());
        assertEquals(1 + 2 * 4, lines.size(), "header, then 4 layers for each of 2 initializers");
        List<String> columns = List.of(lines.getFirst().split(","));
        for (String column : List.of("layer", "init", "var_z", "var_a", "var_delta", "var_grad", "effective_width")) {
            assertTrue(columns.contains(column), column + " missing from " + columns);
        }
        String[] xavierFirst = lines.get(1).split(",", -1);
        assertEquals("xavier-normal", xavierFirst[columns.indexOf("init")]);
        assertEquals("1", xavierFirst[columns.indexOf("layer")]);
        assertEquals("16", xavierFirst[columns.indexOf("effective_width")]);
        assertEquals("", xavierFirst[columns.indexOf("dead")], "dead applies to ReLU only");
        // Xavier for 16 x 16: std √(2/32) = 0.25
        assertEquals(0.25, Double.parseDouble(xavierFirst[columns.indexOf("std")]), 1e-15);
        for (int row = 5; row <= 7; row++) {
            String[] constant = lines.get(row).split(",", -1);
            assertEquals("constant:0.05", constant[columns.indexOf("init")]);
            assertEquals("1", constant[columns.indexOf("effective_width")], "symmetric hidden layer " + (row - 4));
        }
    }

    @Test
    void explicitLayersAndReluShowDeadColumn() {
        TrainCommandTest.Result result = run("init-study", "--layers", "8,12,3", "--batch-size", "20", "--activation",
                "relu", "--init", "he-uniform", "--bias-init", "constant:-100");

        assertEquals(0, result.status(), result.err());
        // Biases of −100 make every ReLU unit of layer 1 negative on every sample
        String layerOne = result.out().lines().filter(line -> line.trim().startsWith("1 ")).findFirst().orElseThrow();
        assertTrue(layerOne.contains(" 1.000 "), layerOne);
        assertTrue(result.out().contains("bias init constant:-100.0"), result.out());
    }

    @Test
    void invalidOptionsExitWithStatusTwo() {
        String[][] cases = {
                {"--depth", "0", "'--depth': 0"},
                {"--width", "-3", "'--width': -3"},
                {"--classes", "1", "'--classes': 1"},
                {"--init", "he-normal,bogus", "unknown initializer 'bogus'"},
                {"--bias-init", "orthogonal", "fills weight matrices only"},
                {"--layers", "8,0,3", "'0' is not a layer size"},
                {"--batch-size", "0", "'--batch-size': 0"},
                {"--csv", "/nonexistent-directory/x.csv", "does not exist"},
        };
        for (String[] testCase : cases) {
            TrainCommandTest.Result result = run("init-study", testCase[0], testCase[1]);
            assertEquals(2, result.status(), String.join(" ", testCase) + ": " + result.err());
            assertTrue(result.err().contains(testCase[2]), String.join(" ", testCase) + ": " + result.err());
            assertEquals(1, result.err().lines().count(), "not one line: " + result.err());
        }
        TrainCommandTest.Result both = run("init-study", "--layers", "8,4,2", "--depth", "3");
        assertEquals(2, both.status(), both.err());
        assertTrue(both.err().contains("drop --depth, or drop --layers"), both.err());
    }

    @Test
    void memoryErrorNamesItsCause() {
        // Each needs far more memory than a test machine has, and the default --width 256 is never the cause
        String[][] cases = {
                {"--depth", "100000", "--width", "256"},
                {"--batch-size", "100000000"},
                {"--layers", "100000,100000,100000,10", "--batch-size", "2"},
                {"--width", "1000000", "--depth", "3", "--batch-size", "2"},
        };
        for (String[] options : cases) {
            String[] args = new String[options.length + 1];
            args[0] = "init-study";
            System.arraycopy(options, 0, args, 1, options.length);
            TrainCommandTest.Result result = run(args);
            assertEquals(2, result.status(), String.join(" ", options) + ": " + result.err());
            assertTrue(result.err().contains("Invalid value for option '" + options[0] + "': " + options[1]
                    + ": this needs about "), result.err());
            assertTrue(result.err().contains("use a smaller " + options[0]), result.err());
        }
    }

    @Test
    void overflowShowsAsInfinityNotAsNotApplicable() throws IOException {
        Path csv = directory.resolve("overflow.csv");
        // Weights of 1e200 make Z about 8e200 in layer 1, whose square overflows to +Infinity
        TrainCommandTest.Result result = run("init-study", "--activation", "relu", "--init", "constant:1e200",
                "--depth", "3", "--width", "8", "--batch-size", "20", "--csv", csv.toString());
        assertEquals(0, result.status(), result.err());
        String layerOne = result.out().lines().filter(line -> line.trim().startsWith("1 ")).findFirst().orElseThrow();
        assertTrue(layerOne.matches(".* (inf|nan) +(inf|nan) .*"), layerOne);
        String[] columns = InitStudyCommand.CSV_HEADER.split(",");
        String[] first = Files.readAllLines(csv).get(1).split(",", -1);
        String varZ = first[List.of(columns).indexOf("var_z")];
        assertTrue(varZ.equals("Infinity") || varZ.equals("NaN"), varZ);
        assertEquals("", first[List.of(columns).indexOf("saturated")], "saturated does not apply to ReLU");
    }

    @Test
    void missingDataDirectoryFailsWithoutCsv() {
        Path csv = directory.resolve("study.csv");
        TrainCommandTest.Result result = run("init-study", "--data", directory.resolve("nowhere").toString(),
                "--csv", csv.toString());
        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("nowhere"), result.err());
        assertFalse(Files.exists(csv), "a failed run must not leave a CSV file");
    }
}
