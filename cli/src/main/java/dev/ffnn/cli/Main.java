package dev.ffnn.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.regex.Pattern;

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
        command.getErr().println(name + ": " + ErrorHandler.escapeControlCharacters(message) + " (see '" + name
                + " --help')");
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String asciiInteger(String text) {
        if (!text.matches("[+-]?[0-9]+")) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not an integer; write it with the digits 0-9");
        }
        return text;
    }

    /**
     * Parses an integer option of {@code min} to {@code max}. A value outside that range is an option error that
     * names the bound, not Java's NumberFormatException.
     */
    static long integer(String text, long min, long max) {
        BigInteger value = new BigInteger(asciiInteger(text));
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new CommandLine.TypeConversionException(text + ": it must be at most " + max);
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new CommandLine.TypeConversionException(text + ": it must be at least " + min);
        }
        return value.longValue();
    }

    /**
     * Parses a floating-point option written in plain decimal or scientific notation ({@code 0.1}, {@code 1e-3}),
     * the forms the CSV reader takes, or as {@code NaN} or {@code [+-]Infinity}, which each option's range check
     * then rejects with its own reason. Java's other forms (hexadecimal, a {@code d} or {@code f} suffix,
     * surrounding spaces) are rejected.
     */
    static double decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number; write it in decimal"
                    + " or scientific notation with ASCII characters, such as 0.01 or 1e-2");
        }
        return Double.parseDouble(text);
    }

    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|[+-]?Infinity");

    /** Builds the command line with its subcommands, writers and error handler. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new FfnnCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        for (String testOnly : new String[]{"eval", "predict"}) {
            DataOptions.restrictToTestData(commandLine.getSubcommands().get(testOnly).getCommandSpec());
        }
        commandLine.setExecutionExceptionHandler(new ErrorHandler());
        commandLine.setParameterExceptionHandler(Main::handleInvalidOption);
        // Integer.valueOf also takes non-ASCII digits such as '３'; options accept ASCII only, like --layers
        commandLine.registerConverter(Integer.class, text -> (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        commandLine.registerConverter(int.class, text -> (int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
        commandLine.registerConverter(Long.class, text -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE));
        commandLine.registerConverter(long.class, text -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE));
        commandLine.registerConverter(Double.class, Main::decimal);
        commandLine.registerConverter(double.class, Main::decimal);
        return commandLine;
    }
}
