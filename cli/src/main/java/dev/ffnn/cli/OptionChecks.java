package dev.ffnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** Option errors shared by the commands and their mixins: each is one line naming the option, the value and the fix. */
final class OptionChecks {

    private OptionChecks() {
    }

    /** Returns an option error (exit status 2) for {@code option} with {@code value}, saying why and what to give. */
    static ParameterException optionError(CommandLine commandLine, String option, String value, String reason) {
        return new ParameterException(commandLine, "Invalid value for option '" + option + "': " + value + ": " + reason);
    }

    /** Throws an option error when {@code neededBytes} exceed the machine's physical memory. */
    static void requireMemory(CommandLine commandLine, String option, String value, long neededBytes, String fix) {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        if (neededBytes > physical) {
            throw optionError(commandLine, option, value, String.format(Locale.ROOT,
                    "this needs about %.1f GB of memory but the machine has %.1f GB; use %s",
                    neededBytes / 1e9, physical / 1e9, fix));
        }
    }
}
