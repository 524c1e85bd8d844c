package dev.ffnn.cli;

import dev.ffnn.engine.Blas;
import dev.ffnn.engine.benchmark.BenchmarkEngine;
import dev.ffnn.engine.benchmark.BenchmarkEngines;
import dev.ffnn.engine.benchmark.EngineKind;
import dev.ffnn.engine.benchmark.StepGemms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;

/**
 * {@code ffnn bench}: times a training step of each engine and the step's GEMMs called alone, in one process,
 * and prints medians and ratios.
 *
 * <p>Method: every variant (an engine at a thread count, or the raw GEMMs) first warms up for its share of a
 * quarter of the time budget. The rest of the budget is split into rounds. In each round every variant runs one
 * block of steps sized to take the same time, in an order rotated from round to round, so drift of a shared
 * machine hits all variants alike. A variant's figure is the median over rounds of its time per step, and a
 * ratio is the median over rounds of the ratio within a round.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, showDefaultValues = true,
        description = {"Times one training step of ffnn and of the on-heap engines, and the same step's matrix products "
                + "called alone in OpenBLAS, side by side in one process; prints the median time per step, "
                + "each on-heap engine's time over ffnn's, and ffnn's step time over its raw GEMM time.",
                "For the JMH benchmarks behind the published figures, see docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {

    /** The default network: the Fashion-MNIST classifier of the README. */
    static final String DEFAULT_LAYERS = "784,256,128,10";

    /** The default batch size; the plain Java engine takes tens of milliseconds per step at this size. */
    static final int DEFAULT_BATCH_SIZE = 128;

    /** The default time budget in seconds; with JVM start-up the command finishes within a minute. */
    static final double DEFAULT_SECONDS = 40;

    /** The minimum number of rounds a median is taken over. */
    static final int MIN_ROUNDS = 3;

    /** The maximum number of rounds; more add little to a median and shorten each block towards timer resolution. */
    static final int MAX_ROUNDS = 15;

    /**
     * The small-product threshold {@code --compare-small-product-rule} tries: 4·10⁶ floating-point operations, about
     * 80 µs on one core at 50 GFLOP/s, where a split across threads saves about what synchronising them can cost.
     */
    static final double SMALL_PRODUCT_FLOPS = 4e6;

    /** The fraction of the budget spent warming up (JIT compilation, OpenBLAS thread start, caches). */
    static final double WARM_UP_FRACTION = 0.25;

    /** Read once: {@code ManagementFactory.getThreadMXBean()} allocates on every call. */
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Spec
    CommandSpec spec;

    @Option(names = "--layers", paramLabel = "SIZES",
            description = "Layer sizes from input to output, comma-separated, at least 2 outputs.")
    String layersText = DEFAULT_LAYERS;

    @Option(names = "--batch-size", paramLabel = "N", description = "Samples per training step.")
    int batchSize = DEFAULT_BATCH_SIZE;

    @Option(names = "--threads", paramLabel = "LIST", showDefaultValue = Help.Visibility.NEVER,
            description = "Thread counts to time every engine at, comma-separated: OpenBLAS's for ffnn and the raw "
                    + "GEMMs, the matrix products' for the on-heap engines. Default: 1 and the number of available processors.")
    String threadsText;

    @Option(names = "--engines", paramLabel = "LIST",
            description = "Engines to time, comma-separated: ffnn, java (plain Java loops), ejml. "
                    + "The raw GEMMs are timed with ffnn.")
    String enginesText = "ffnn,java,ejml";

    @Option(names = "--seconds", paramLabel = "SECONDS",
            description = "Time budget for warm-up and measurement together; a slow engine can exceed it "
                    + "(the output then says so).")
    double seconds = DEFAULT_SECONDS;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the weights and the fixed batch.")
    long seed = 1;

    @Option(names = "--compare-small-product-rule",
            description = "Also time ffnn with every BLAS call under 4e6 floating-point operations on one thread "
                    + "(row ffnn-1t), against ffnn as it runs by default, with OpenBLAS's own choice of threads.")
    boolean compareSmallProductRule;

    @Option(names = "--each-gemm",
            description = "Also time each GEMM of the step alone at every thread count, one row per product.")
    boolean eachGemm;

    @Override
    public Integer call() {
        int[] layers = parseLayers();
        if (batchSize < 1) {
            throw optionError("--batch-size", String.valueOf(batchSize), "it must be >= 1");
        }
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw optionError("--seconds", String.valueOf(seconds), "it must be a finite number > 0, e.g. 40");
        }
        int[] threadCounts = parseThreads();
        List<EngineKind> engines = parseEngines();
        Blas.BlasInfo blas = Blas.load();
        int originalThreads = Blas.threadCount();
        PrintWriter out = spec.commandLine().getOut();

        List<Variant> variants = new ArrayList<>();
        try {
            buildVariants(variants, engines, layers, threadCounts);
            out.printf(Locale.ROOT, "bench     %s at batch size %d, relu hidden, cross-entropy, sgd lr %s, seed %d%n",
                    describe(layers), batchSize, BenchmarkEngines.LEARNING_RATE, seed);
            out.printf(Locale.ROOT, "machine   %d processors, OpenBLAS %s on %s, JDK %s%n",
                    Runtime.getRuntime().availableProcessors(), openBlasVersion(blas.config()), blas.coreName(),
                    Runtime.version());
            out.flush();
            Plan plan = warmUpAndPlan(variants);
            out.printf(Locale.ROOT, "timing    warm-up %.1f s, then %d rounds of %.1f s, variants interleaved;"
                            + " medians over rounds%n", plan.warmUpSeconds, plan.rounds, plan.roundSeconds);
            if (plan.overBudget) {
                out.printf(Locale.ROOT, "note      the slowest variant needs %.1f s per step, so this run exceeds "
                        + "--seconds %s; drop it with --engines or use a smaller network%n", plan.slowestStepSeconds,
                        seconds);
            }
            out.flush();
            measure(variants, plan.rounds);
            printResults(out, variants, threadCounts, engines);
        } finally {
            variants.forEach(Variant::close);
            Blas.setThreadCount(originalThreads);
            Blas.setParallelMinFlops(0);
        }
        return 0;
    }

    /** Builds ffnn, the raw GEMMs and each on-heap engine at each thread count. */
    private void buildVariants(List<Variant> variants, List<EngineKind> engines, int[] layers, int[] threadCounts) {
        if (engines.contains(EngineKind.FFNN)) {
            for (int threads : threadCounts) {
                BenchmarkEngine engine = BenchmarkEngines.create(EngineKind.FFNN, layers, batchSize, seed, 1);
                variants.add(new Variant("ffnn", threads, engine::trainStep, engine::close));
            }
            if (compareSmallProductRule) {
                for (int threads : threadCounts) {
                    if (threads > 1) {
                        BenchmarkEngine engine = BenchmarkEngines.create(EngineKind.FFNN, layers, batchSize, seed, 1);
                        Variant variant = new Variant("ffnn-1t", threads, engine::trainStep, engine::close);
                        variant.parallelMinFlops = SMALL_PRODUCT_FLOPS;
                        variants.add(variant);
                    }
                }
            }
            for (int threads : threadCounts) {
                StepGemms gemms = StepGemms.allocate(layers, batchSize);
                variants.add(new Variant("gemm", threads, () -> {
                    gemms.runAll();
                    return gemms.lastOutputCorner();
                }, gemms::close));
            }
            if (eachGemm) {
                StepGemms gemms = StepGemms.allocate(layers, batchSize);
                // Closed once, by the first product's variant
                for (int index = 0; index < gemms.count(); index++) {
                    int product = index;
                    for (int threads : threadCounts) {
                        variants.add(new Variant("gemm " + (product + 1), threads, product, () -> {
                            gemms.run(product);
                            return gemms.lastOutputCorner();
                        }, product == 0 && threads == threadCounts[0] ? gemms::close : () -> { }));
                    }
                }
            }
        }
        for (EngineKind kind : engines) {
            if (kind != EngineKind.FFNN) {
                for (int threads : threadCounts) {
                    BenchmarkEngine engine = BenchmarkEngines.create(kind, layers, batchSize, seed, threads);
                    variants.add(new Variant(kind.cliName(), threads, true, engine::trainStep, engine::close));
                }
            }
        }
    }

    /**
     * Runs each variant for its share of the warm-up, then sizes the blocks so every variant's block takes the
     * same time and all rounds fit the rest of the budget.
     */
    private Plan warmUpAndPlan(List<Variant> variants) {
        double warmUpShare = seconds * WARM_UP_FRACTION / variants.size();
        double warmUpSeconds = 0;
        double slowest = 0;
        for (Variant variant : variants) {
            long start = System.nanoTime();
            int steps = 0;
            double last = 0;
            // At least 3 steps, so the estimate below is not the first, slowest one
            while (steps < 3 || (System.nanoTime() - start) / 1e9 < warmUpShare) {
                last = variant.timeSteps(1, Double.MAX_VALUE);
                steps++;
            }
            variant.measuredSteps = 0;
            variant.estimatedStepSeconds = last;
            slowest = Math.max(slowest, last);
            warmUpSeconds += (System.nanoTime() - start) / 1e9;
        }

        double measureSeconds = seconds * (1 - WARM_UP_FRACTION);
        double blockSeconds = measureSeconds / (MAX_ROUNDS * variants.size());
        int rounds = MAX_ROUNDS;
        if (slowest > blockSeconds) {
            // The slowest variant runs one step per block, so fewer rounds fit
            rounds = Math.max(MIN_ROUNDS, (int) (measureSeconds / (slowest * variants.size())));
            blockSeconds = Math.max(slowest, measureSeconds / (rounds * variants.size()));
        }
        double roundSeconds = 0;
        for (Variant variant : variants) {
            variant.stepsPerBlock = Math.max(1, (int) Math.round(blockSeconds / variant.estimatedStepSeconds));
            roundSeconds += variant.stepsPerBlock * variant.estimatedStepSeconds;
        }
        boolean overBudget = warmUpSeconds + rounds * roundSeconds > seconds * 1.2;
        return new Plan(warmUpSeconds, rounds, roundSeconds, overBudget, slowest);
    }

    private record Plan(double warmUpSeconds, int rounds, double roundSeconds, boolean overBudget,
                        double slowestStepSeconds) {
    }

    /**
     * Runs the rounds; round r starts with variant r, so each variant is first in some rounds. A block that
     * takes 3 times its planned time is cut short, so a stalled variant cannot eat the budget.
     */
    private static void measure(List<Variant> variants, int rounds) {
        for (Variant variant : variants) {
            variant.stepSeconds = new double[rounds];
        }
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < variants.size(); i++) {
                Variant variant = variants.get((round + i) % variants.size());
                long allocatedBefore = allocatedBytes();
                variant.stepSeconds[round] = variant.timeSteps(variant.stepsPerBlock,
                        3 * variant.stepsPerBlock * variant.estimatedStepSeconds);
                variant.allocatedBytes += allocatedBytes() - allocatedBefore;
            }
        }
    }

    private void printResults(PrintWriter out, List<Variant> variants, int[] threadCounts, List<EngineKind> engines) {
        out.println();
        out.println("engine  threads   ms/step  GFLOP/s  heap B/step");
        double flops;
        double[] productFlops;
        String[] productNames;
        try (StepGemms shapes = StepGemms.allocate(parseLayers(), batchSize)) {
            flops = shapes.totalFlops();
            productFlops = new double[shapes.count()];
            productNames = new String[shapes.count()];
            for (int i = 0; i < shapes.count(); i++) {
                productFlops[i] = shapes.flops(i);
                productNames[i] = shapes.describe(i);
            }
        }
        for (Variant variant : variants) {
            double median = median(variant.stepSeconds);
            double variantFlops = variant.product < 0 ? flops : productFlops[variant.product];
            out.printf(Locale.ROOT, "%-7s %7d  %8.3f  %7.1f  %11d%s%n", variant.name,
                    variant.threads, median * 1e3,
                    variantFlops / median / 1e9, variant.allocatedBytes / variant.measuredSteps,
                    variant.name.equals("gemm") ? "   (the step's GEMMs alone)"
                            : variant.product >= 0 ? "   " + productNames[variant.product] : "");
        }

        if (!engines.contains(EngineKind.FFNN)) {
            out.flush();
            return;
        }
        out.println();
        out.println("ratios, median over rounds of the ratio within a round:");
        for (int threads : threadCounts) {
            Variant ffnn = find(variants, "ffnn", threads);
            Variant gemm = find(variants, "gemm", threads);
            out.printf(Locale.ROOT, "  ffnn step / raw GEMMs at %d thread%s   %.3f  (GEMM efficiency; 1.000 is ideal)%n",
                    threads, threads == 1 ? " " : "s", medianRatio(ffnn, gemm));
        }
        for (Variant variant : variants) {
            if (variant.name.equals("ffnn-1t")) {
                out.printf(Locale.ROOT, "  ffnn / ffnn-1t at %d threads   %.3f  (above 1: the small-product rule pays)%n",
                        variant.threads, medianRatio(find(variants, "ffnn", variant.threads), variant));
            }
        }
        for (Variant variant : variants) {
            if (variant.onHeap) {
                out.printf(Locale.ROOT, "  %s / ffnn at %d thread%s   %10.1f%n", variant.name, variant.threads,
                        variant.threads == 1 ? " " : "s", medianRatio(variant, find(variants, "ffnn", variant.threads)));
            }
        }
        out.flush();
    }

    private static Variant find(List<Variant> variants, String name, int threads) {
        for (Variant variant : variants) {
            if (variant.name.equals(name) && variant.threads == threads) {
                return variant;
            }
        }
        throw new IllegalStateException("no variant " + name + " at " + threads + " threads");
    }

    private static double medianRatio(Variant numerator, Variant denominator) {
        double[] ratios = new double[numerator.stepSeconds.length];
        for (int round = 0; round < ratios.length; round++) {
            ratios[round] = numerator.stepSeconds[round] / denominator.stepSeconds[round];
        }
        return median(ratios);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Returns the bytes this thread has allocated on the Java heap so far. */
    private static long allocatedBytes() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private int[] parseLayers() {
        String[] parts = layersText.split(",", -1);
        if (parts.length < 2) {
            throw optionError("--layers", layersText, "give the input size and at least one more size, e.g. 784,256,128,10");
        }
        int[] sizes = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            sizes[i] = parsePositive("--layers", layersText, parts[i]);
        }
        if (sizes[sizes.length - 1] < 2) {
            throw optionError("--layers", layersText, "the last size must be >= 2: the benchmark trains a softmax classifier");
        }
        return sizes;
    }

    private int[] parseThreads() {
        if (threadsText == null) {
            int processors = Runtime.getRuntime().availableProcessors();
            return processors == 1 ? new int[]{1} : new int[]{1, processors};
        }
        Set<Integer> counts = new LinkedHashSet<>();
        for (String part : threadsText.split(",", -1)) {
            counts.add(parsePositive("--threads", threadsText, part));
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<EngineKind> parseEngines() {
        Set<EngineKind> kinds = new LinkedHashSet<>();
        for (String part : enginesText.split(",", -1)) {
            try {
                kinds.add(EngineKind.parse(part));
            } catch (IllegalArgumentException e) {
                throw optionError("--engines", enginesText, e.getMessage());
            }
        }
        return List.copyOf(kinds);
    }

    private int parsePositive(String option, String text, String part) {
        String digits = part.strip();
        if (!digits.matches("[0-9]{1,9}") || Integer.parseInt(digits) < 1) {
            throw optionError(option, text, "'" + part + "' is not a positive integer");
        }
        return Integer.parseInt(digits);
    }

    private ParameterException optionError(String option, String value, String reason) {
        return new ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': " + value + ": " + reason);
    }

    private static String describe(int[] layers) {
        return Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining("-"));
    }

    /** Returns the version word of an OpenBLAS configuration string such as {@code OpenBLAS 0.3.31 DYNAMIC_ARCH ...}. */
    private static String openBlasVersion(String config) {
        String[] words = config.strip().split("\\s+");
        return words.length > 1 && words[0].equals("OpenBLAS") ? words[1] : config.strip();
    }

    /** One timed thing: an engine's training step at a thread count, or the raw GEMMs of that step. */
    private static final class Variant implements AutoCloseable {
        final String name;
        final int threads;               // OpenBLAS threads, or the products' threads of an on-heap engine
        final boolean onHeap;            // an on-heap engine, which does not use OpenBLAS
        final int product;               // index of the single StepGemms product timed, or -1
        final DoubleSupplier step;
        final Runnable closer;
        double estimatedStepSeconds;
        int stepsPerBlock;
        double[] stepSeconds;            // per round
        long allocatedBytes;
        long measuredSteps;
        double sink;
        double parallelMinFlops = 0;     // Blas.setParallelMinFlops before each block

        Variant(String name, int threads, DoubleSupplier step, Runnable closer) {
            this(name, threads, false, -1, step, closer);
        }

        Variant(String name, int threads, boolean onHeap, DoubleSupplier step, Runnable closer) {
            this(name, threads, onHeap, -1, step, closer);
        }

        Variant(String name, int threads, int product, DoubleSupplier step, Runnable closer) {
            this(name, threads, false, product, step, closer);
        }

        private Variant(String name, int threads, boolean onHeap, int product, DoubleSupplier step, Runnable closer) {
            this.name = name;
            this.threads = threads;
            this.onHeap = onHeap;
            this.product = product;
            this.step = step;
            this.closer = closer;
        }

        /**
         * Runs {@code steps} steps, or fewer (at least 1) once {@code maxSeconds} have passed, and returns the
         * seconds per step; {@link #measuredSteps} counts the steps run.
         */
        double timeSteps(int steps, double maxSeconds) {
            if (!onHeap) {
                Blas.setThreadCount(threads);
                Blas.setParallelMinFlops(parallelMinFlops);
            }
            long start = System.nanoTime();
            long deadline = start + (long) (maxSeconds * 1e9);
            int done = 0;
            long now;
            do {
                sink += step.getAsDouble();
                done++;
                now = System.nanoTime();
            } while (done < steps && now < deadline);
            measuredSteps += done;
            return (now - start) / 1e9 / done;
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
