package dev.ffnn.cli;

import org.junit.jupiter.api.Test;

import static dev.ffnn.cli.TrainCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerOptionsTest {

    private static final String[] SMALL_RUN = {"train", "--dataset", "blobs", "--samples", "200", "--layers", "2,8,3"};

    @Test
    void everyOptimizerTrains() {
        String[][] cases = {
                {"sgd", "training  sgd(lr=0.1)"},
                {"momentum", "training  momentum(lr=0.1, momentum=0.9)"},
                {"nesterov", "training  nesterov(lr=0.1, momentum=0.9)"},
                {"adam", "training  adam(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8)"},
                {"adamw", "training  adamw(lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8, weight_decay=0.01)"},
                {"rmsprop", "training  rmsprop(lr=0.001, rho=0.9, eps=1.0E-8)"},
        };
        for (String[] testCase : cases) {
            Result result = runSmall("--epochs", "2", "--optimizer", testCase[0]);
            assertEquals(0, result.status(), testCase[0] + ": " + result.err());
            assertTrue(result.out().contains(testCase[1]), testCase[0] + ": " + result.out());
            assertTrue(result.out().contains("epoch 2/2"), testCase[0] + ": " + result.out());
        }
    }

    @Test
    void scheduleAndL2AppearInHeader() {
        Result result = runSmall("--epochs", "2", "--optimizer", "momentum", "--l2", "1e-4", "--schedule", "step",
                "--step-epochs", "1", "--gamma", "0.5");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("training  momentum(lr=0.1, momentum=0.9, l2=1.0E-4), schedule step(every 1"
                + " epochs x 0.5)"), result.out());
    }

    @Test
    void earlyStoppingPrintsValidationAndRestores() {
        Result result = runSmall("--epochs", "3", "--validation-fraction", "0.25", "--patience", "1");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("200 training (50 of them held out for validation)"), result.out());
        assertTrue(result.out().contains("early stopping patience 1"), result.out());
        assertTrue(result.out().contains("          validation loss "), result.out());
        assertTrue(result.out().contains("restored  epoch "), result.out());
    }

    @Test
    void invalidOptionsExitWithStatusTwo() {
        String[][] cases = {
                {"--optimizer", "lbfgs", "allowed: sgd, momentum, nesterov, adam, adamw, rmsprop"},
                {"--optimizer=sgd", "--momentum=0.5", "--momentum applies to --optimizer momentum or nesterov only"},
                {"--optimizer=adam", "--beta1=1", "'--beta1': 1.0: it must be in [0, 1)"},
                {"--optimizer=adam", "--beta2=-0.1", "'--beta2': -0.1: it must be in [0, 1)"},
                {"--optimizer=adam", "--epsilon=0", "'--epsilon': 0.0: it must be a finite number > 0"},
                {"--optimizer=rmsprop", "--rho=NaN", "'--rho': NaN: it must be in [0, 1)"},
                {"--optimizer=adamw", "--weight-decay=-1", "'--weight-decay': -1.0: it must be a finite number >= 0"},
                {"--optimizer=adamw", "--l2=0.1", "--l2 does not apply to adamw"},
                {"--optimizer=sgd", "--weight-decay=0.1", "--weight-decay applies to --optimizer adamw only, not sgd: drop it,"
                        + " or choose --optimizer adamw"},
                {"--l2", "Infinity", "'--l2': Infinity: it must be a finite number >= 0"},
                {"--schedule", "linear", "allowed: constant, step, exponential, cosine"},
                {"--schedule=step", "--gamma=2", "'--gamma': 2.0: it must be in (0, 1]"},
                {"--schedule=step", "--step-epochs=0", "'--step-epochs': 0: it must be >= 1"},
                {"--schedule=cosine", "--min-lr=1", "'--min-lr': 1.0: it must be > 0 and at most --lr 0.1"},
                {"--gamma", "0.5", "--gamma applies to --schedule exponential or step only, not constant"},
                {"--validation-fraction", "1", "'--validation-fraction': 1.0: it must be in (0, 1)"},
                {"--patience", "3", "--patience needs --validation-fraction"},
                {"--validation-fraction=0.1", "--patience=0", "'--patience': 0: it must be >= 1"},
                {"--validation-fraction", "0.001", "leaves no validation samples: use a fraction between 0.0"},
        };
        for (String[] testCase : cases) {
            String[] options = new String[testCase.length - 1];
            System.arraycopy(testCase, 0, options, 0, options.length);
            String expected = testCase[testCase.length - 1];
            Result result = runSmall(concat(new String[]{"--epochs", "1"}, options));
            String label = String.join(" ", options);
            assertEquals(2, result.status(), label + ": " + result.err());
            assertTrue(result.err().contains(expected), label + ": " + result.err());
            assertEquals(1, result.err().lines().count(), label + ": not one line: " + result.err());
        }
    }

    @Test
    void oneTrainingSampleCannotBeSplit() {
        var result = run("train", "--samples", "1", "--epochs", "1", "--validation-fraction", "0.5");
        assertEquals(2, result.status(), result.err());
        assertTrue(result.err().contains("has 1 sample, too few to hold out validation samples and keep training"
                + " samples: give at least 2 training samples"), result.err());
    }

    private static Result runSmall(String... options) {
        var result = run(concat(SMALL_RUN, options));
        return new Result(result.status(), result.out(), result.err());
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private record Result(int status, String out, String err) {
    }
}
