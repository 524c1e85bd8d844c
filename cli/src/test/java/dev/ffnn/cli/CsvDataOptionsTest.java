package dev.ffnn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvDataOptionsTest {

    @TempDir
    Path directory;

    @Test
    void trainsOnCsvWithNamedLabel() throws IOException {
        Path train = write("train.csv", "a;b;class\n0;0;0\n1;1;1\n0;1;2\n1;0;0\n");
        Path test = write("test.csv", "a;b;class\n0.5;0.5;1\n");

        var result = run("train", "--train-csv", train.toString(), "--test-csv", test.toString(), "--delimiter", ";",
                "--label-column", "class", "--epochs", "2");

        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("data      train.csv and test.csv: 4 training and 1 test samples, 2 features,"
                + " 3 classes"), result.out());
        assertTrue(result.out().contains("epoch 2/2"), result.out());
    }

    @Test
    void testLabelOutsideTrainingClassesNamesSample() throws IOException {
        Path train = write("train.csv", "0,1\n1,2\n");
        Path test = write("test.csv", "1,0\n4,1\n");

        var result = run("train", "--train-csv", train.toString(), "--test-csv", test.toString(), "--header", "no");

        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains(test + ": label 4 of sample 1 (line 2) is outside [0, 2), the class count of"
                + " the training set " + train), result.err());
    }

    @Test
    void malformedCsvExitsWithStatusOne() throws IOException {
        Path train = write("train.csv", "0,1\n1,oops\n");
        Path test = write("test.csv", "0,1\n");

        var result = run("train", "--train-csv", train.toString(), "--test-csv", test.toString());

        assertEquals(1, result.status(), result.err());
        assertTrue(result.err().contains("line 2, column 2: 'oops' is not a number"), result.err());
        assertEquals(1, result.err().lines().count(), result.err());
    }

    @Test
    void invalidCsvOptionsExitWithStatusTwo() throws IOException {
        String train = write("train.csv", "0,1\n").toString();
        String test = write("test.csv", "0,1\n").toString();
        String[][] cases = {
                {"--test-csv", test, "--test-csv needs --train-csv too"},
                {"--train-csv", train, "--test-csv", test, "--header", "maybe", "'--header': maybe: allowed: auto, yes, no"},
                {"--train-csv", train, "--test-csv", test, "--delimiter", ".", "'--delimiter': '.'"},
                {"--train-csv", train, "--test-csv", test, "--label-column", "0", "column numbers start at 1"},
                {"--train-csv", train, "--test-csv", test, "--samples", "10", "--samples applies to the built-in"},
                {"--train-csv", train, "--test-csv", test, "--data", "dir", "--train-csv/--test-csv and --data"},
                {"--label-column", "2", "--label-column applies to CSV data only"},
                {"--train-csv", train, "--test-csv", test, "--delimiter", "\n", "'--delimiter': '\\u000a': delimiter"},
                {"--train-csv", train, "--test-csv", test, "--label-column", "none", "only ffnn predict takes data"},
        };
        for (String[] testCase : cases) {
            String[] args = new String[testCase.length];
            args[0] = "train";
            System.arraycopy(testCase, 0, args, 1, testCase.length - 1);
            var result = run(args);
            String expected = testCase[testCase.length - 1];
            assertEquals(2, result.status(), String.join(" ", args) + ": " + result.err());
            assertTrue(result.err().contains(expected), String.join(" ", args) + ": " + result.err());
            assertEquals(1, result.err().lines().count(), "not one line: " + result.err());
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }
}
