package dev.ffnn.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

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
        String command = commandLine.getCommandSpec().qualifiedName();
        var err = commandLine.getErr();
        if (isExpected(cause)) {
            // A message of several lines (the attempts of a failed OpenBLAS load) keeps its line breaks
            err.println(command + ": error: " + String.join("\n",
                    message(cause).lines().map(ErrorHandler::escapeControlCharacters).toList()));
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

    /**
     * Returns the message of {@code cause}. The JDK's file system errors carry only a path, so those get a
     * reason added; a message that already gives a reason is kept.
     */
    static String message(Throwable cause) {
        if (cause instanceof FileSystemException e && e.getFile() != null && e.getReason() == null) {
            String reason = switch (e) {
                case NoSuchFileException ignored -> "file not found; check the path";
                case AccessDeniedException ignored -> "permission denied";
                default -> "file system error";
            };
            return e.getFile() + (e.getOtherFile() != null ? " -> " + e.getOtherFile() : "") + ": " + reason;
        }
        return cause.getMessage();
    }

    /**
     * Writes control characters (a NUL from a binary file, a newline given as a delimiter) as {@code \u0000}, so
     * an error stays one readable line whatever the input held.
     */
    static String escapeControlCharacters(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                escaped.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static boolean isExpected(Throwable cause) {
        return cause.getMessage() != null
                && (cause instanceof IOException
                || cause instanceof IllegalArgumentException
                || cause instanceof IllegalStateException
                || cause instanceof UnsupportedOperationException);
    }
}
