package dev.ffnn.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point of the {@code ffnn} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs {@code ffnn} with the given arguments and writers and returns the exit status: 0 on success, 1 when
     * the command failed (bad data, a failed load), 2 for an invalid option.
     */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = commandLine(out, err);
        try {
            return commandLine.execute(args);
        } catch (OutOfMemoryError e) {
            // Picocli passes errors through; data or a network too large for memory is a user error, not a crash.
            String command = args.length > 0 && !args[0].startsWith("-") ? "ffnn " + args[0] : "ffnn";
            err.println(command + ": error: out of memory (" + e.getMessage() + "); use smaller --layers or"
                    + " --batch-size, or smaller data");
            return ErrorHandler.EXIT_FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Prints an invalid option as one line naming the command, the value and the fix, and returns exit status 2. */
    private static int handleInvalidOption(CommandLine.ParameterException exception, String[] args) {
        CommandLine command = exception.getCommandLine();
        String name = command.getCommandSpec().qualifiedName();
        String message = exception.getMessage();
        if (exception instanceof CommandLine.UnmatchedArgumentException unmatched
                && !command.getSubcommands().isEmpty() && !unmatched.getUnmatched().isEmpty()) {
            message = "unknown command '" + unmatched.getUnmatched().getFirst() + "'; use one of "
                    + String.join(", ", command.getSubcommands().keySet());
        }
        command.getErr().println(name + ": " + message + " (see '" + name + " --help')");
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String asciiInteger(String text) {
        if (!text.matches("[+-]?[0-9]+")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not an integer; write it with the digits 0-9");
        }
        return text;
    }

    /** Builds the command line with its subcommands, writers and error handler. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new FfnnCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(Main::handleInvalidOption);
        // Integer.valueOf also takes non-ASCII digits such as '３'; options accept ASCII only, like --layers
        commandLine.registerConverter(Integer.class, text -> Integer.valueOf(asciiInteger(text)));
        commandLine.registerConverter(int.class, text -> Integer.valueOf(asciiInteger(text)));
        commandLine.registerConverter(Long.class, text -> Long.valueOf(asciiInteger(text)));
        commandLine.registerConverter(long.class, text -> Long.valueOf(asciiInteger(text)));
        return commandLine;
    }
}
