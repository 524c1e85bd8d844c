package dev.ffnn.engine.io;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.DenseLayer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Loss;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Optimizer;
import dev.ffnn.engine.Trainer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A network saved as a safetensors file (see {@link SafeTensors}), with what resuming its training needs.
 *
 * <p><b>Tensors.</b> Layer {@code N} (0-based) is {@code layers.N.weight}, shape {@code [fanIn, fanOut]}
 * row-major, and {@code layers.N.bias}, shape {@code [fanOut]}, all F64. A checkpoint adds one flat tensor per
 * optimizer state entry, {@code optimizer.NAME}, shape {@code [parameterCount]}, in the packing order of
 * {@link Network#parameters()} (each layer's W then b).
 *
 * <p><b>Metadata</b> (all values strings): {@value #FORMAT} = {@value #FORMAT_NAME}, {@value #VERSION} (the ffnn
 * version), {@value #LAYER_SIZES} ({@code 784,256,10}), {@value #HIDDEN_ACTIVATION}, {@value #OUTPUT_ACTIVATION},
 * {@value #LOSS} and {@value #INITIALIZER} (command-line names). A checkpoint of a {@link Trainer} adds
 * {@value #SEED}, {@value #EPOCH}, {@value #STEP}, {@value #BATCH_SIZE}, {@value #OPTIMIZER} (its
 * {@link Optimizer#describe()}) and {@value #OPTIMIZER_STEPS} ({@link Optimizer#stepCount()}). Callers may add
 * their own entries.
 *
 * <p><b>Writes are atomic.</b> {@link #save} writes a hidden temporary file in the target's directory, forces it
 * to disk and renames it over the target, so a process killed at any moment leaves the old file or the new one.
 * A symbolic link as target is replaced, not followed. After SIGKILL a {@code .ffnn-*.tmp} file may remain.
 *
 * <p><b>Reads check shapes.</b> {@link #read} checks the container (see {@link SafeTensors}); loading into a
 * network checks every layer's tensor names and shapes against it and names the first that does not fit. Every
 * weight, bias and optimizer state value must be finite: a NaN or an infinity (a damaged file, or one saved from a
 * diverged run) fails the load with the tensor's name and the element's index.
 */
public final class ModelFile {

    public static final String FORMAT = "format";
    public static final String FORMAT_NAME = "ffnn";
    public static final String VERSION = "ffnn_version";
    public static final String LAYER_SIZES = "layer_sizes";
    public static final String HIDDEN_ACTIVATION = "hidden_activation";
    public static final String OUTPUT_ACTIVATION = "output_activation";
    public static final String LOSS = "loss";
    public static final String INITIALIZER = "initializer";
    public static final String SEED = "seed";
    public static final String EPOCH = "epoch";
    public static final String STEP = "step";
    public static final String BATCH_SIZE = "batch_size";
    public static final String OPTIMIZER = "optimizer";
    public static final String OPTIMIZER_STEPS = "optimizer_steps";

    private static final String OPTIMIZER_PREFIX = "optimizer.";

    private final Path file;
    private final SafeTensors.Header header;

    private ModelFile(Path file, SafeTensors.Header header) {
        this.file = file;
        this.header = header;
    }

    /** Returns the ffnn version this engine writes into model files, such as {@code 0.1.0-SNAPSHOT}. */
    public static String engineVersion() {
        try (InputStream in = ModelFile.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException("reading version.properties of the ffnn engine failed", e);
        }
    }

    /**
     * Saves the network's parameters and architecture to {@code target} atomically.
     *
     * @param metadata extra entries, written after the architecture; they may not replace its keys
     * @throws IOException if writing fails; the old file, if any, is then unchanged
     */
    public static void save(Path target, Network network, Map<String, String> metadata) throws IOException {
        write(target, network, null, architecture(network.spec(), metadata));
    }

    /**
     * Saves a checkpoint of {@code trainer} to {@code target} atomically: the network, the optimizer's state,
     * and the seed, epoch, step and batch size, which {@link #restore} reads back.
     *
     * @param metadata extra entries; they may not replace the keys this class writes
     * @throws IOException if writing fails; the old file, if any, is then unchanged
     */
    public static void save(Path target, Trainer trainer, Map<String, String> metadata) throws IOException {
        Map<String, String> entries = architecture(trainer.network().spec(), Map.of());
        entries.put(SEED, Long.toString(trainer.seed()));
        entries.put(EPOCH, Integer.toString(trainer.epoch()));
        entries.put(STEP, Long.toString(trainer.step()));
        entries.put(BATCH_SIZE, Integer.toString(trainer.batchSize()));
        entries.put(OPTIMIZER, trainer.optimizer().describe());
        entries.put(OPTIMIZER_STEPS, Long.toString(trainer.optimizer().stepCount()));
        addExtra(entries, metadata);
        write(target, trainer.network(), trainer.optimizer(), entries);
    }

    private static Map<String, String> architecture(NetworkSpec spec, Map<String, String> metadata) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(FORMAT, FORMAT_NAME);
        entries.put(VERSION, engineVersion());
        entries.put(LAYER_SIZES, Arrays.stream(spec.layerSizes()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        entries.put(HIDDEN_ACTIVATION, spec.hiddenActivation().cliName());
        entries.put(OUTPUT_ACTIVATION, spec.outputActivation().cliName());
        entries.put(LOSS, spec.loss().cliName());
        entries.put(INITIALIZER, spec.initializer().name());
        addExtra(entries, metadata);
        return entries;
    }

    private static void addExtra(Map<String, String> entries, Map<String, String> extra) {
        for (Map.Entry<String, String> entry : new TreeMap<>(extra).entrySet()) {
            if (entries.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw new IllegalArgumentException("metadata key '" + entry.getKey()
                        + "' is written by ffnn itself; choose another key");
            }
        }
    }

    private static void write(Path target, Network network, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        requireOpen(network);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (DenseLayer layer : network.layers()) {
            shapes.put(weightName(layer.index()), new long[]{layer.fanIn(), layer.fanOut()});
            shapes.put(biasName(layer.index()), new long[]{layer.fanOut()});
        }
        Map<String, MemorySegment> state = optimizer == null ? Map.of() : new TreeMap<>(optimizer.state());
        for (Map.Entry<String, MemorySegment> entry : state.entrySet()) {
            if (entry.getValue().byteSize() < network.parameterCount() * Double.BYTES) {
                throw new IllegalArgumentException("optimizer state '" + entry.getKey() + "' has "
                        + entry.getValue().byteSize() + " bytes, fewer than the network's parameters");
            }
            shapes.put(OPTIMIZER_PREFIX + entry.getKey(), new long[]{network.parameterCount()});
        }
        var headerBytes = SafeTensors.header(shapes, metadata);

        Path directory = target.toAbsolutePath().getParent();
        Path temporary = TemporaryFiles.createBeside(directory);
        // Ctrl-C or SIGTERM during the write deletes the temporary file too
        Thread cleanup = new Thread(() -> deleteQuietly(temporary), "ffnn-model-file-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                while (headerBytes.hasRemaining()) {
                    channel.write(headerBytes);
                }
                // The tensors in header order: each layer's W then b is the packing order of the parameters
                SafeTensors.write(channel, network.parameters(), 0, network.parameterCount());
                for (MemorySegment segment : state.values()) {
                    SafeTensors.write(channel, segment, 0, network.parameterCount());
                }
                channel.force(true);
            }
            if (Files.isRegularFile(target)) {
                try {
                    Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException ignored) {
                    // Not a POSIX file system: the new file keeps the default permissions
                }
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temporary);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting and runs the hook itself
            }
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            System.err.println("ffnn: deleting the temporary file " + temporary + " failed: " + e.getMessage());
        }
    }

    /**
     * Reads and checks the header of a safetensors file; the tensors are read later, by {@link #load()},
     * {@link #loadInto} or {@link #restore}.
     *
     * @throws ModelFormatException if the file is not a well-formed F64 safetensors file
     * @throws IOException          if reading fails
     */
    public static ModelFile read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new ModelFormatException(file, "it is a directory; give a model file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new ModelFile(file, SafeTensors.readHeader(channel, file));
        }
    }

    public Path file() {
        return file;
    }

    /** Returns the {@code __metadata__} entries. */
    public Map<String, String> metadata() {
        return header.metadata();
    }

    /** Returns the tensors by name, in buffer order. */
    public Map<String, SafeTensors.Tensor> tensors() {
        return header.tensors();
    }

    /**
     * Returns the layer sizes the {@code layers.N.weight} tensors describe: N from 0 while the tensor exists.
     *
     * @throws ModelFormatException if there is no {@code layers.0.weight}, a weight is not 2-dimensional, or one
     *                              layer's input size differs from the previous layer's output size
     */
    public int[] layerSizesFromTensors() throws ModelFormatException {
        List<Integer> sizes = new ArrayList<>();
        for (int l = 0; header.tensors().containsKey(weightName(l)); l++) {
            SafeTensors.Tensor weight = header.tensors().get(weightName(l));
            long[] shape = weight.shape();
            if (shape.length != 2 || shape[0] < 1 || shape[1] < 1 || shape[0] > Integer.MAX_VALUE || shape[1] > Integer.MAX_VALUE) {
                throw new ModelFormatException(file, "tensor '" + weight.name() + "' has shape " + weight.describeShape()
                        + "; a weight matrix has shape [fanIn, fanOut], both between 1 and " + Integer.MAX_VALUE);
            }
            if (l == 0) {
                sizes.add((int) shape[0]);
            } else if (shape[0] != sizes.get(l)) {
                throw new ModelFormatException(file, "tensor '" + weight.name() + "' has shape " + weight.describeShape()
                        + " but layer " + (l - 1) + " has " + sizes.get(l) + " outputs; expected [" + sizes.get(l)
                        + ", " + shape[1] + "]");
            }
            sizes.add((int) shape[1]);
        }
        if (sizes.isEmpty()) {
            throw new ModelFormatException(file, "there is no tensor 'layers.0.weight'; ffnn reads layers.N.weight"
                    + " [fanIn, fanOut] and layers.N.bias [fanOut] for N = 0, 1, ...");
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns the network architecture: the layer sizes from the tensors, and the activations, loss and
     * initializer from the metadata, or from {@code defaults} where the metadata lacks them (files written by
     * other tools). {@code defaults} may be null for files written by ffnn; its layer sizes are ignored.
     *
     * @throws ModelFormatException if a metadata entry is invalid or disagrees with the tensors
     */
    public NetworkSpec spec(NetworkSpec defaults) throws ModelFormatException {
        int[] sizes = layerSizesFromTensors();
        String recorded = metadata().get(LAYER_SIZES);
        String found = Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
        if (recorded != null && !recorded.equals(found)) {
            throw new ModelFormatException(file, "metadata " + LAYER_SIZES + " is " + recorded
                    + " but the weight tensors have sizes " + found);
        }
        if (defaults == null) {
            for (String key : List.of(HIDDEN_ACTIVATION, OUTPUT_ACTIVATION, LOSS, INITIALIZER)) {
                if (!metadata().containsKey(key)) {
                    throw new ModelFormatException(file, "metadata entry '" + key + "' is missing; pass a default"
                            + " NetworkSpec for files written by other tools");
                }
            }
        }
        try {
            Activation hidden = metadata().containsKey(HIDDEN_ACTIVATION)
                    ? Activation.parse(metadata().get(HIDDEN_ACTIVATION)) : defaults.hiddenActivation();
            Activation output = metadata().containsKey(OUTPUT_ACTIVATION)
                    ? Activation.parse(metadata().get(OUTPUT_ACTIVATION)) : defaults.outputActivation();
            Loss loss = metadata().containsKey(LOSS) ? Loss.parse(metadata().get(LOSS)) : defaults.loss();
            var initializer = metadata().containsKey(INITIALIZER)
                    ? Initializers.parse(metadata().get(INITIALIZER)) : defaults.initializer();
            return new NetworkSpec(sizes, hidden, output, loss, initializer);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "invalid metadata: " + e.getMessage());
        }
    }

    /**
     * Creates a network of {@link #spec(NetworkSpec)} and loads the parameters into it; the caller closes it.
     *
     * @throws IOException if a tensor is missing or reading fails
     */
    public Network load(NetworkSpec defaults) throws IOException {
        Network network = Network.create(spec(defaults), 0);
        try {
            loadInto(network);
            return network;
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /**
     * Reads the parameters into {@code network}, after checking that every layer's weight and bias tensor exists
     * with the layer's shape and that the file has no further layers.
     *
     * @throws ModelFormatException naming the first layer that does not fit, with the file's and the network's shapes
     * @throws IllegalStateException if the network is closed
     */
    public void loadInto(Network network) throws IOException {
        requireOpen(network);
        checkShapes(network);
        try (FileChannel channel = openUnchanged()) {
            for (DenseLayer layer : network.layers()) {
                long offset = layer.parameterOffset() * Double.BYTES;
                SafeTensors.Tensor weight = header.tensors().get(weightName(layer.index()));
                SafeTensors.readInto(channel, header, weight, network.parameters(), offset, file);
                SafeTensors.readInto(channel, header, header.tensors().get(biasName(layer.index())),
                        network.parameters(), offset + (weight.end() - weight.begin()), file);
            }
        }
    }

    /**
     * Restores a checkpoint into {@code trainer}: the parameters, the optimizer's state tensors and step count,
     * and the epoch and step through {@link Trainer#resumeAfter}.
     *
     * @throws ModelFormatException if the file is not a checkpoint, its optimizer differs from the trainer's,
     *                              or a tensor does not fit
     */
    public void restore(Trainer trainer) throws IOException {
        Network network = trainer.network();
        Optimizer optimizer = trainer.optimizer();
        int epoch = (int) metadataLong(EPOCH, 0, Integer.MAX_VALUE);
        long step = metadataLong(STEP, 0, Long.MAX_VALUE);
        long optimizerSteps = metadataLong(OPTIMIZER_STEPS, 0, Long.MAX_VALUE);

        String recordedOptimizer = metadata().get(OPTIMIZER);
        if (!optimizerName(recordedOptimizer).equals(optimizerName(optimizer.describe()))) {
            throw new ModelFormatException(file, "the checkpoint was written by optimizer " + recordedOptimizer
                    + " but the trainer uses " + optimizer.describe() + "; resume with the same optimizer");
        }

        Map<String, MemorySegment> state = optimizer.state();
        List<String> stored = header.tensors().keySet().stream().filter(name -> name.startsWith(OPTIMIZER_PREFIX))
                .map(name -> name.substring(OPTIMIZER_PREFIX.length())).sorted().toList();
        List<String> expected = state.keySet().stream().sorted().toList();
        if (!stored.equals(expected)) {
            throw new ModelFormatException(file, "the checkpoint has optimizer state " + stored + " but "
                    + optimizer.describe() + " has " + expected);
        }
        for (String name : expected) {
            SafeTensors.Tensor tensor = header.tensors().get(OPTIMIZER_PREFIX + name);
            long[] shape = {network.parameterCount()};
            if (!Arrays.equals(tensor.shape(), shape)) {
                throw new ModelFormatException(file, "tensor '" + tensor.name() + "' has shape " + tensor.describeShape()
                        + " but the network has " + network.parameterCount() + " parameters; expected "
                        + SafeTensors.describe(shape));
            }
        }

        loadInto(network);
        try (FileChannel channel = openUnchanged()) {
            for (String name : expected) {
                SafeTensors.readInto(channel, header, header.tensors().get(OPTIMIZER_PREFIX + name), state.get(name), 0, file);
            }
        }
        optimizer.restoreStepCount(optimizerSteps);
        trainer.resumeAfter(epoch, step);
    }

    /**
     * Returns the integer metadata entry {@code key}, checked to lie in {@code [min, max]}.
     *
     * @throws ModelFormatException if it is missing or not such an integer
     */
    public long metadataLong(String key, long min, long max) throws ModelFormatException {
        String text = metadata().get(key);
        if (text == null) {
            throw new ModelFormatException(file, "metadata entry '" + key + "' is missing; the file is a model,"
                    + " not a checkpoint written by ffnn train");
        }
        try {
            if (!text.matches("-?[0-9]{1,19}")) {
                throw new NumberFormatException(text);
            }
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below
        }
        throw new ModelFormatException(file, "metadata entry '" + key + "' is '" + text
                + "', not an integer between " + min + " and " + max);
    }

    private void checkShapes(Network network) throws ModelFormatException {
        for (DenseLayer layer : network.layers()) {
            checkShape(weightName(layer.index()), new long[]{layer.fanIn(), layer.fanOut()}, layer);
            checkShape(biasName(layer.index()), new long[]{layer.fanOut()}, layer);
        }
        int extra = network.layers().size();
        if (header.tensors().containsKey(weightName(extra)) || header.tensors().containsKey(biasName(extra))) {
            throw new ModelFormatException(file, "the file has layer " + extra + " but the network "
                    + network.spec().describeSizes() + " has only " + extra + " layers");
        }
    }

    private void checkShape(String name, long[] expected, DenseLayer layer) throws ModelFormatException {
        SafeTensors.Tensor tensor = header.tensors().get(name);
        if (tensor == null) {
            throw new ModelFormatException(file, "tensor '" + name + "' is missing; the network's layer "
                    + layer.index() + " needs it with shape " + SafeTensors.describe(expected));
        }
        if (!Arrays.equals(tensor.shape(), expected)) {
            throw new ModelFormatException(file, "layer " + layer.index() + " does not fit: tensor '" + name
                    + "' has shape " + tensor.describeShape() + " but the network needs "
                    + SafeTensors.describe(expected));
        }
    }

    /** Opens the file again and checks that its size is still the one the header was read from. */
    private FileChannel openUnchanged() throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        if (channel.size() != header.fileSize()) {
            long size = channel.size();
            channel.close();
            throw new ModelFormatException(file, "the file changed while being read: its size went from "
                    + header.fileSize() + " to " + size + " bytes");
        }
        return channel;
    }

    private static void requireOpen(Network network) {
        network.requireOpen();
    }

    private static String optimizerName(String description) {
        if (description == null) {
            return "";
        }
        int parenthesis = description.indexOf('(');
        return parenthesis < 0 ? description : description.substring(0, parenthesis);
    }

    /** Returns the name of layer {@code layer}'s weight tensor, {@code layers.N.weight}. */
    public static String weightName(int layer) {
        return "layers." + layer + ".weight";
    }

    /** Returns the name of layer {@code layer}'s bias tensor, {@code layers.N.bias}. */
    public static String biasName(int layer) {
        return "layers." + layer + ".bias";
    }
}
