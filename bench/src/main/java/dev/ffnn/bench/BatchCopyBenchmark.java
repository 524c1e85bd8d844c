package dev.ffnn.bench;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Workspace;
import dev.ffnn.engine.data.BatchOrder;
import dev.ffnn.engine.data.ByteImageDataset;
import dev.ffnn.engine.data.IdxFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The batch copy of a training step on image data: {@code batchSize} shuffled 28 × 28 uint8 images, scaled to
 * doubles in [0, 1], into a workspace's input matrix. The images are random bytes in an IDX file written in setup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class BatchCopyBenchmark {

    private static final int SAMPLES = 10_000;
    private static final int SIDE = 28;

    @Param({"128"})
    public int batchSize;

    private Path directory;
    private ByteImageDataset data;
    private Network network;
    private Workspace workspace;
    private int[] order;
    private int from;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        directory = Files.createTempDirectory("ffnn-batch-copy");
        SplittableRandom random = new SplittableRandom(EngineState.SEED);
        ByteBuffer images = ByteBuffer.allocate(16 + SAMPLES * SIDE * SIDE);
        images.putInt(0x00000803).putInt(SAMPLES).putInt(SIDE).putInt(SIDE);
        ByteBuffer labels = ByteBuffer.allocate(8 + SAMPLES);
        labels.putInt(0x00000801).putInt(SAMPLES);
        for (int i = 0; i < SAMPLES; i++) {
            for (int p = 0; p < SIDE * SIDE; p++) {
                images.put((byte) random.nextInt(256));
            }
            labels.put((byte) (i % 10));
        }
        Files.write(directory.resolve("images"), images.array());
        Files.write(directory.resolve("labels"), labels.array());
        data = IdxFiles.load(directory.resolve("images"), directory.resolve("labels"));

        network = Network.create(NetworkSpec.classifier(new int[]{SIDE * SIDE, 10}, Activation.RELU,
                Initializers.heNormal()), EngineState.SEED);
        workspace = network.newWorkspace(batchSize);
        BatchOrder shuffled = BatchOrder.shuffled(SAMPLES, EngineState.SEED);
        shuffled.shuffle();
        order = shuffled.indices();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        workspace.close();
        network.close();
        data.close();
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** Copies the next batch of the shuffled order, wrapping around at the end of the data set. */
    @Benchmark
    public Workspace copyBatch() {
        if (from + batchSize > SAMPLES) {
            from = 0;
        }
        data.copyBatch(order, from, batchSize, workspace.input(), workspace.labels());
        from += batchSize;
        return workspace;
    }
}
