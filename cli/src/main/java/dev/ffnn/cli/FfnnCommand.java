package dev.ffnn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The top-level {@code ffnn} command; it only dispatches to its subcommands. */
@Command(name = "ffnn",
        mixinStandardHelpOptions = true,
        versionProvider = FfnnCommand.Version.class,
        description = "Trains feed-forward neural networks off the Java heap with OpenBLAS.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, InitStudyCommand.class,
                PlotCommand.class, BenchCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class FfnnCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is missing: use one of train, eval, predict, init-study, plot, bench, info");
    }

    /** Returns the ffnn version from the build, such as {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = FfnnCommand.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading version.properties from the ffnn jar failed", e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ffnn " + version(), "Java " + Runtime.version()};
        }
    }
}
