package dev.ffnn.engine.io;

import dev.ffnn.engine.Activation;
import dev.ffnn.engine.DenseLayer;
import dev.ffnn.engine.Initializers;
import dev.ffnn.engine.Momentum;
import dev.ffnn.engine.Network;
import dev.ffnn.engine.NetworkSpec;
import dev.ffnn.engine.Sgd;
import dev.ffnn.engine.Trainer;
import dev.ffnn.engine.WeightRanges;
import dev.ffnn.engine.data.SyntheticDatasets;
import dev.ffnn.engine.data.TrainTestSplit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {

    private static final NetworkSpec SPEC =
            NetworkSpec.classifier(new int[]{2, 3, 2}, Activation.TANH, Initializers.xavierNormal());

    @TempDir
    Path directory;

    /** Builds a safetensors file from a header text and little-endian doubles, independent of the writer. */
    static byte[] safetensors(String header, double... values) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    private static double[] parameters(Network network) {
        return network.parameters().toArray(ValueLayout.JAVA_DOUBLE);
    }

    @Test
    void saveThenLoadIsBitExact() throws IOException {
        Path file = directory.resolve("model.safetensors");
        try (Network network = Network.create(SPEC, 7)) {
            ModelFile.save(file, network, Map.of("note", "first"));
            ModelFile model = ModelFile.read(file);
            try (Network loaded = model.load(null)) {
                assertArrayEquals(parameters(network), parameters(loaded));
                assertEquals(SPEC, loaded.spec());
            }
            assertEquals("first", model.metadata().get("note"));
            assertEquals("2,3,2", model.metadata().get(ModelFile.LAYER_SIZES));
            assertEquals(ModelFile.engineVersion(), model.metadata().get(ModelFile.VERSION));
        }
        try (var files = Files.list(directory)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void writtenLayoutMatchesTheFormat() throws IOException {
        Path file = directory.resolve("model.safetensors");
        try (Network network = Network.create(SPEC, 3)) {
            ModelFile.save(file, network, Map.of());
            byte[] bytes = Files.readAllBytes(file);
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = buffer.getLong();
            String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
            assertEquals(0, headerLength % 8, "the data starts 8-byte aligned");
            assertTrue(header.contains("\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]}"), header);
            assertTrue(header.contains("\"layers.1.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[120,136]}"), header);
            // Layer 0's W[1][2] is the sixth double of the buffer, row-major
            DenseLayer first = network.layers().getFirst();
            assertEquals(first.weights().get(1, 2), buffer.getDouble(8 + (int) headerLength + 5 * 8));
            assertEquals(8 + headerLength + 17 * 8, bytes.length, "2x3 + 3 + 3x2 + 2 doubles");
        }
    }

    @Test
    void loadsAFileBuiltByHand() throws IOException {
        // Tensors listed out of buffer order, with metadata last and trailing spaces, as other writers may do
        String header = "{\"layers.1.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[120,136]},"
                + "\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]},"
                + "\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[48,72]},"
                + "\"layers.1.weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[72,120]},"
                + "\"__metadata__\":{\"source\":\"hand\"}}   ";
        double[] values = new double[17];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 0.5;
        }
        Path file = directory.resolve("hand.safetensors");
        Files.write(file, safetensors(header, values));

        ModelFile model = ModelFile.read(file);
        try (Network network = model.load(SPEC)) {
            assertArrayEquals(new int[]{2, 3, 2}, network.spec().layerSizes());
            assertEquals(Activation.TANH, network.spec().hiddenActivation(), "taken from the defaults");
            assertArrayEquals(values, parameters(network));
            assertEquals(5.5, network.layers().getFirst().weights().get(1, 2));
            assertEquals(16.5, network.layers().get(1).bias().getAtIndex(ValueLayout.JAVA_DOUBLE, 1));
        }
        assertEquals("hand", model.metadata().get("source"));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.load(null));
        assertTrue(e.getMessage().contains("metadata entry 'hidden_activation' is missing"), e.getMessage());
    }

    @Test
    void nonFiniteParameterIsRejected() throws IOException {
        String header = "{\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]},"
                + "\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[48,72]},"
                + "\"layers.1.weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[72,120]},"
                + "\"layers.1.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[120,136]}}";
        Path file = directory.resolve("damaged.safetensors");
        // Flat value 14 is layers.1.weight's element 5 (14 - 9), row-major [2, 1] of a [3, 2] matrix
        Object[][] cases = {{14, Double.NaN, "tensor 'layers.1.weight' element [2, 1] is NaN"},
                {3, Double.POSITIVE_INFINITY, "tensor 'layers.0.weight' element [1, 0] is +Infinity"},
                {8, Double.NEGATIVE_INFINITY, "tensor 'layers.0.bias' element [2] is -Infinity"}};
        for (Object[] testCase : cases) {
            double[] values = new double[17];
            values[(int) testCase[0]] = (double) testCase[1];
            Files.write(file, safetensors(header, values));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).load(SPEC));
            assertEquals(file + ": " + testCase[2] + ": the file is damaged or was saved from a diverged run",
                    e.getMessage());
        }
    }

    @Test
    void nonFiniteOptimizerStateIsRejectedOnRestore() throws IOException {
        Path file = directory.resolve("checkpoint.safetensors");
        try (TrainTestSplit data = SyntheticDatasets.trainTest("xor", 20, 10, 3);
             Network network = Network.create(SPEC, 3);
             Trainer trainer = new Trainer(network, new Momentum(WeightRanges.all(network.parameterCount()), 0.1, 0.9, false, 0), 8, 3)) {
            trainer.fit(data.train(), null, 1, List.of());
            ModelFile.save(file, trainer, Map.of());
        }
        ModelFile saved = ModelFile.read(file);
        SafeTensors.Tensor velocity = saved.tensors().entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("optimizer.")).findFirst().orElseThrow().getValue();
        byte[] bytes = Files.readAllBytes(file);
        long dataStart = 8 + ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putDouble((int) (dataStart + velocity.begin() + 4 * 8), Double.NaN);
        Files.write(file, bytes);
        try (Network network = Network.create(SPEC, 3);
             Trainer trainer = new Trainer(network, new Momentum(WeightRanges.all(network.parameterCount()), 0.1, 0.9, false, 0), 8, 3)) {
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).restore(trainer));
            assertTrue(e.getMessage().contains("tensor '" + velocity.name() + "' element [4] is NaN"), e.getMessage());
        }
    }

    @Test
    void transposedWeightIsRejectedByShape() throws IOException {
        Path file = directory.resolve("model.safetensors");
        // Same parameter count as 2-3-2, but layer 0's weight is [3, 2]
        String header = "{\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[0,48]},"
                + "\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[48,72]},"
                + "\"layers.1.weight\":{\"dtype\":\"F64\",\"shape\":[3,2],\"data_offsets\":[72,120]},"
                + "\"layers.1.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[120,136]}}";
        Files.write(file, safetensors(header, new double[17]));
        try (Network network = Network.create(SPEC, 1)) {
            ModelFile model = ModelFile.read(file);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.loadInto(network));
            assertEquals(file + ": layer 0 does not fit: tensor 'layers.0.weight' has shape [3, 2] but the network"
                    + " needs [2, 3]", e.getMessage());
        }
    }

    @Test
    void otherArchitectureIsRejectedNamingTheLayer() throws IOException {
        Path file = directory.resolve("model.safetensors");
        // 2-4-2 has 22 parameters, and 1-5-2 too; the first differing layer is 0
        NetworkSpec saved = NetworkSpec.classifier(new int[]{2, 4, 2}, Activation.RELU, Initializers.xavierNormal());
        NetworkSpec requested = NetworkSpec.classifier(new int[]{1, 5, 2}, Activation.RELU, Initializers.xavierNormal());
        assertEquals(saved.parameterCount(), requested.parameterCount());
        try (Network network = Network.create(saved, 1); Network other = Network.create(requested, 1)) {
            ModelFile.save(file, network, Map.of());
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).loadInto(other));
            assertTrue(e.getMessage().contains("layer 0 does not fit: tensor 'layers.0.weight' has shape [2, 4]"
                    + " but the network needs [1, 5]"), e.getMessage());
        }
    }

    @Test
    void missingAndSurplusLayersAreNamed() throws IOException {
        Path file = directory.resolve("model.safetensors");
        NetworkSpec deeper = NetworkSpec.classifier(new int[]{2, 3, 2, 2}, Activation.TANH, Initializers.xavierNormal());
        try (Network small = Network.create(SPEC, 1); Network deep = Network.create(deeper, 1)) {
            ModelFile.save(file, small, Map.of());
            String missing = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).loadInto(deep)).getMessage();
            assertTrue(missing.contains("tensor 'layers.2.weight' is missing; the network's layer 2 needs it with shape [2, 2]"),
                    missing);

            ModelFile.save(file, deep, Map.of());
            String surplus = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).loadInto(small)).getMessage();
            assertTrue(surplus.contains("the file has layer 2 but the network 2-3-2 has only 2 layers"), surplus);
        }
    }

    @Test
    void saveReplacesTheOldFileAtomically() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Files.writeString(file, "old contents");
        try (Network network = Network.create(SPEC, 1)) {
            ModelFile.save(file, network, Map.of());
        }
        assertEquals(17, ModelFile.read(file).tensors().values().stream().mapToLong(SafeTensors.Tensor::elementCount).sum());
        Path missingDirectory = directory.resolve("absent").resolve("model.safetensors");
        try (Network network = Network.create(SPEC, 1)) {
            assertThrows(IOException.class, () -> ModelFile.save(missingDirectory, network, Map.of()));
        }
    }

    @Test
    void closedNetworkIsRejectedWithAClearMessage() throws IOException {
        Path file = directory.resolve("model.safetensors");
        Network network = Network.create(SPEC, 1);
        ModelFile.save(file, network, Map.of());
        network.close();
        IllegalStateException save = assertThrows(IllegalStateException.class, () -> ModelFile.save(file, network, Map.of()));
        assertEquals("network 2-3-2 is closed: use it only before close(), or create or load a new one", save.getMessage());
        assertThrows(IllegalStateException.class, () -> ModelFile.read(file).loadInto(network));
    }

    @Test
    void checkpointRestoresTrainingBitForBit() throws IOException {
        Path file = directory.resolve("epoch-2.safetensors");
        try (TrainTestSplit data = SyntheticDatasets.trainTest("blobs", 50, 10, 3)) {
            NetworkSpec spec = NetworkSpec.classifier(new int[]{2, 5, 3}, Activation.TANH, Initializers.xavierNormal());
            double[] uninterrupted;
            try (Network network = Network.create(spec, 3); Trainer trainer = new Trainer(network, new Sgd(0.1), 8, 3)) {
                trainer.fit(data.train(), null, 4, List.of());
                uninterrupted = parameters(network);
            }
            try (Network network = Network.create(spec, 3); Trainer trainer = new Trainer(network, new Sgd(0.1), 8, 3)) {
                trainer.fit(data.train(), null, 2, List.of());
                ModelFile.save(file, trainer, Map.of());
            }
            try (Network network = Network.create(spec, 99); Trainer trainer = new Trainer(network, new Sgd(0.1), 8, 3)) {
                ModelFile.read(file).restore(trainer);
                assertEquals(2, trainer.epoch());
                assertEquals(14, trainer.step(), "7 steps of at most 8 samples per epoch");
                assertEquals("14", ModelFile.read(file).metadata().get(ModelFile.OPTIMIZER_STEPS),
                        "SGD counts its steps like every optimizer");
                assertEquals(14, trainer.optimizer().stepCount());
                trainer.fit(data.train(), null, 4, List.of());
                assertArrayEquals(uninterrupted, parameters(network));
            }
        }
    }

    @Test
    void modelWithoutTrainingStateIsNotACheckpoint() throws IOException {
        Path file = directory.resolve("model.safetensors");
        try (Network network = Network.create(SPEC, 1); Trainer trainer = new Trainer(network, new Sgd(0.1), 4, 1)) {
            ModelFile.save(file, network, Map.of());
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file).restore(trainer));
            assertTrue(e.getMessage().contains("metadata entry 'epoch' is missing"), e.getMessage());
        }
    }

    @Test
    void hostileHeadersGetOneClearError() throws IOException {
        String weight = "\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[2,3],\"data_offsets\":[0,48]}";
        Object[][] cases = {
                {"{" + weight.replace("F64", "F32") + "}", "tensor 'layers.0.weight' has dtype F32 but ffnn reads F64 only"},
                {"{" + weight.replace("[0,48]", "[0,4800]") + "}", "data_offsets [0, 4800] outside the 96-byte data buffer"},
                {"{" + weight.replace("[2,3]", "[3,3]") + "}", "has shape [3, 3] (9 F64 values, so 72 bytes) but data_offsets span 48 bytes"},
                {"{" + weight + "," + weight.replace("layers.0.weight", "x").replace("[0,48]", "[8,56]") + "}", "the tensors overlap"},
                {"{" + weight.replace("[0,48]", "[8,56]") + "}", "bytes in between belong to no tensor"},
                {"{" + weight + "}", "the tensors cover 48 bytes of the 96-byte data buffer"},
                {"{" + weight + "," + weight + "}", "duplicate key \"layers.0.weight\""},
                {"{" + weight.replace("[2,3]", "[2,123456789012345678901234567890123456789012]") + "}", "number longer than 40"},
                {"{" + weight.replace("[2,3]", "[4294967296,4294967296]") + "}", "element count overflows"},
                {"{" + weight.replace("[2,3]", "[2,-3]") + "}", "not an integer in [0, 2^63)"},
                {"[".repeat(100), "does not start with '{'"},
                {"{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", "nesting deeper than 64"},
                {"{" + weight.replace("}", ",\"extra\":1}") + "}", "unknown field \"extra\""},
                {"{\"__metadata__\":{\"a\":1}}", "metadata entry \"a\" is not a string"},
                {"{\"a\":[" + "0,".repeat(1_000_000) + "0]}", "more than 1000000 values"},
        };
        Path file = directory.resolve("hostile.safetensors");
        for (Object[] testCase : cases) {
            Files.write(file, safetensors((String) testCase[0], new double[12]));
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.read(file), (String) testCase[0]);
            assertTrue(e.getMessage().contains((String) testCase[1]), e.getMessage());
        }
    }

    @Test
    void enormousHeaderLengthIsRejectedBeforeAllocating() throws IOException {
        Path file = directory.resolve("huge.safetensors");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array());
        bytes.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        String huge = assertThrows(ModelFormatException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(huge.contains("header length 18446744073709551615 exceeds the limit of 100000000 bytes"), huge);

        byte[] longer = safetensors("{}");
        ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1000);
        Files.write(file, longer);
        String beyond = assertThrows(ModelFormatException.class, () -> ModelFile.read(file)).getMessage();
        assertTrue(beyond.contains("header length 1000 exceeds the 2 bytes after the length field"), beyond);
        assertFalse(beyond.contains("\n"));
    }
}
