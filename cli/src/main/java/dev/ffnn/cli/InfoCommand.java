package dev.ffnn.cli;

import dev.ffnn.engine.Blas;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code ffnn info}: prints the BLAS library and runtime that training would use. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints the OpenBLAS library ffnn loads (path, build configuration, CPU core, threads) and the JDK.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Blas.BlasInfo info = Blas.load();
        PrintWriter out = spec.commandLine().getOut();
        out.printf("ffnn               %s%n", FfnnCommand.version());
        out.printf("OpenBLAS library   %s (%s)%n", info.libraryPath(), info.origin().toLowerCase(java.util.Locale.ROOT));
        out.printf("OpenBLAS config    %s%n", info.config().trim());
        out.printf("OpenBLAS core      %s%n", info.coreName());
        out.printf("OpenBLAS threads   %d%n", info.threadCount());
        for (String skipped : info.skipped()) {
            out.printf("skipped            %s%n", skipped);
        }
        out.printf("processors         %d%n", Runtime.getRuntime().availableProcessors());
        out.printf("JDK                %s %s (%s)%n", System.getProperty("java.vm.vendor"), Runtime.version(),
                System.getProperty("java.home"));
        return 0;
    }
}
