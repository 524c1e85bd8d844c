package dev.ffnn.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Turns an exception from a command into one line on stderr and exit status 1.
 *
 * <p>Expected failures (unreadable or malformed input, an invalid argument found after parsing, a BLAS library
 * that does not load) print only their message. Anything else is a bug in ffnn and prints
 * its stack trace too, so it can be reported.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_FAILURE = 1;

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        Throwable cause = unwrap(exception);
        String command = commandLine.getCommandName();
        var err = commandLine.getErr();
        if (isExpected(cause)) {
            err.println(command + ": error: " + cause.getMessage());
        } else {
            err.println(command + ": internal error, please report it with the output below");
            cause.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static Throwable unwrap(Throwable exception) {
        Throwable current = exception;
        while (current instanceof UncheckedIOException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static boolean isExpected(Throwable cause) {
        return cause.getMessage() != null
                && (cause instanceof IOException
                || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException
                || cause instanceof UnsupportedOperationException);
    }
}
