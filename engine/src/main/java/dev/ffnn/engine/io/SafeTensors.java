package dev.ffnn.engine.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors container format, restricted to F64 tensors.
 *
 * <p>A file is an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON, then the data
 * buffer. The JSON object maps each tensor name to {@code {"dtype": "F64", "shape": [..], "data_offsets":
 * [begin, end]}}, with byte offsets relative to the start of the buffer, and may contain {@code "__metadata__"},
 * an object of string values. Tensors are row-major and little-endian.
 *
 * <p>{@link #readHeader} checks: N at most {@link #MAX_HEADER_BYTES} and within the file, strict UTF-8 and JSON
 * (see {@link Json}), every tensor entry with exactly the keys dtype, shape and data_offsets, dtype F64, every
 * dimension a non-negative integer, {@code end - begin} equal to 8 times the element count, and the tensors,
 * sorted by offset, covering the buffer from 0 to the end of the file without gaps or overlaps (the format
 * requires the buffer to be fully indexed). The order of the entries in the JSON does not matter.
 */
public final class SafeTensors {

    /** The largest header accepted, in bytes: MAX_HEADER_SIZE of huggingface/safetensors (safetensors/src/tensor.rs). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The only dtype ffnn reads and writes: IEEE 754 binary64. */
    public static final String F64 = "F64";

    static final String METADATA = "__metadata__";

    private static final ValueLayout.OfDouble LITTLE_ENDIAN_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The bytes copied per read or write call between a file and a segment. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafeTensors() {
    }

    /**
     * One tensor of a safetensors file.
     *
     * @param name  the key in the header
     * @param shape the dimensions, outermost first
     * @param begin the first byte in the data buffer
     * @param end   one past the last byte in the data buffer
     */
    public record Tensor(String name, long[] shape, long begin, long end) {

        public Tensor {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** Returns the row-major index, one entry per dimension, of the element at flat index {@code element}. */
        public long[] indexOf(long element) {
            long[] index = new long[shape.length];
            long rest = element;
            for (int d = shape.length - 1; d >= 0; d--) {
                index[d] = shape[d] == 0 ? 0 : rest % shape[d];
                rest = shape[d] == 0 ? rest : rest / shape[d];
            }
            return index;
        }

        /** Returns the number of elements, the product of the dimensions. */
        public long elementCount() {
            return (end - begin) / Double.BYTES;
        }

        /** Returns the shape as {@code [784, 256]}. */
        public String describeShape() {
            return describe(shape);
        }
    }

    /**
     * The parsed header of a safetensors file.
     *
     * @param metadata   the {@code __metadata__} entries, empty when absent
     * @param tensors    the tensors by name, sorted by offset
     * @param dataStart  the file position of the data buffer, {@code 8 + N}
     * @param fileSize   the size of the file when the header was read
     */
    public record Header(Map<String, String> metadata, Map<String, Tensor> tensors, long dataStart, long fileSize) {
    }

    /** Returns a shape as {@code [784, 256]}. */
    public static String describe(long[] shape) {
        StringBuilder builder = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            builder.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return builder.append(']').toString();
    }

    /**
     * Reads and checks the header of the file open in {@code channel}.
     *
     * @param file names the file in messages
     * @throws ModelFormatException if the header breaks a rule listed in the class comment
     * @throws IOException          if reading fails
     */
    public static Header readHeader(FileChannel channel, Path file) throws IOException {
        long fileSize = channel.size();
        if (fileSize < Long.BYTES) {
            throw new ModelFormatException(file, "the file has " + fileSize
                    + " bytes, fewer than the 8-byte header length of a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0, file);
        long headerLength = lengthBytes.flip().getLong();

        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new ModelFormatException(file, "the header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes; the file is not safetensors or is corrupt");
        }
        if (headerLength > fileSize - Long.BYTES) {
            throw new ModelFormatException(file, "the header length " + headerLength + " exceeds the "
                    + (fileSize - Long.BYTES) + " bytes after the length field; the file is truncated or corrupt");
        }

        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, Long.BYTES, file);
        String json;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(headerBytes.flip());
            json = chars.toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file, "the header is not valid UTF-8");
        }
        if (json.isEmpty() || json.charAt(0) != '{') {
            throw new ModelFormatException(file, "the header does not start with '{'; the file is not safetensors");
        }

        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (Json.JsonException e) {
            throw new ModelFormatException(file, "the header is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new ModelFormatException(file, "the header is not a JSON object");
        }

        long dataStart = Long.BYTES + headerLength;
        long bufferSize = fileSize - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        for (Map.Entry<?, ?> entry : root.entrySet()) {
            String name = (String) entry.getKey();
            if (name.equals(METADATA)) {
                readMetadata(entry.getValue(), metadata, file);
            } else {
                tensors.add(readTensor(name, entry.getValue(), bufferSize, file));
            }
        }

        // The format requires the tensors, in offset order, to cover the whole buffer without gaps or overlaps
        tensors.sort(Comparator.comparingLong(Tensor::begin).thenComparingLong(Tensor::end));
        long expected = 0;
        Tensor previous = null;
        for (Tensor tensor : tensors) {
            if (tensor.begin() != expected) {
                String where = previous == null ? "the start of the data" : "tensor '" + previous.name()
                        + "', which ends at " + previous.end();
                throw new ModelFormatException(file, "tensor '" + tensor.name() + "' starts at byte " + tensor.begin()
                        + " after " + where + (tensor.begin() < expected ? ": the tensors overlap" : ": bytes in between belong to no tensor"));
            }
            expected = tensor.end();
            previous = tensor;
        }
        if (expected != bufferSize) {
            throw new ModelFormatException(file, "the tensors cover " + expected + " bytes of the " + bufferSize
                    + "-byte data buffer; the file is truncated, has trailing bytes or is corrupt");
        }

        Map<String, Tensor> byName = new LinkedHashMap<>();
        for (Tensor tensor : tensors) {
            byName.put(tensor.name(), tensor);
        }
        return new Header(Map.copyOf(metadata), byName, dataStart, fileSize);
    }

    private static void readMetadata(Object value, Map<String, String> metadata, Path file) throws ModelFormatException {
        if (!(value instanceof Map<?, ?> entries)) {
            throw new ModelFormatException(file, "\"" + METADATA + "\" is not an object of strings");
        }
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new ModelFormatException(file, "metadata entry \"" + entry.getKey() + "\" is not a string");
            }
            metadata.put((String) entry.getKey(), text);
        }
    }

    private static Tensor readTensor(String name, Object value, long bufferSize, Path file) throws ModelFormatException {
        if (!(value instanceof Map<?, ?> fields)) {
            throw new ModelFormatException(file, "tensor '" + name + "' is not an object with dtype, shape and data_offsets");
        }
        for (Object key : fields.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new ModelFormatException(file, "tensor '" + name + "' has the unknown field \"" + key
                        + "\"; allowed: dtype, shape, data_offsets");
            }
        }

        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new ModelFormatException(file, "tensor '" + name + "' has no dtype string");
        }
        if (!dtype.equals(F64)) {
            throw new ModelFormatException(file, "tensor '" + name + "' has dtype " + dtype
                    + " but ffnn reads F64 only; convert the file, e.g. with numpy's astype(numpy.float64)");
        }

        if (!(fields.get("shape") instanceof List<?> dimensions)) {
            throw new ModelFormatException(file, "tensor '" + name + "' has no shape array");
        }
        long[] shape = new long[dimensions.size()];
        long elements = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(dimensions.get(i), "a dimension of tensor '" + name + "'", file);
            try {
                elements = Math.multiplyExact(elements, shape[i]);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(file, "tensor '" + name + "' has shape " + dimensions
                        + ", whose element count overflows a 64-bit integer");
            }
        }

        if (!(fields.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw new ModelFormatException(file, "tensor '" + name + "' has no data_offsets array [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), "the begin offset of tensor '" + name + "'", file);
        long end = nonNegativeLong(offsets.get(1), "the end offset of tensor '" + name + "'", file);
        if (begin > end || end > bufferSize) {
            throw new ModelFormatException(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the " + bufferSize + "-byte data buffer");
        }
        if (elements > (end - begin) / Double.BYTES || end - begin != elements * Double.BYTES) {
            throw new ModelFormatException(file, "tensor '" + name + "' has shape " + describe(shape) + " ("
                    + elements + " F64 values, " + "so " + (elements > Long.MAX_VALUE / Double.BYTES ? "more than 2^63"
                    : String.valueOf(elements * Double.BYTES)) + " bytes) but data_offsets span " + (end - begin) + " bytes");
        }
        return new Tensor(name, shape, begin, end);
    }

    private static long nonNegativeLong(Object value, String what, Path file) throws ModelFormatException {
        if (value instanceof BigInteger integer && integer.signum() >= 0 && integer.bitLength() < Long.SIZE) {
            return integer.longValue();
        }
        throw new ModelFormatException(file, what + " is " + value + ", not an integer in [0, 2^63)");
    }

    /**
     * Reads the F64 values of {@code tensor} into {@code target} at {@code targetOffset} bytes, converting from
     * little-endian, through a bounded buffer, and checks each chunk for NaN and infinite values as it is copied.
     *
     * @throws ModelFormatException if a value is NaN or infinite, naming the tensor and the element's index
     * @throws IOException if the file is shorter than its header declares, because it changed after the header was read
     */
    public static void readInto(FileChannel channel, Header header, Tensor tensor, MemorySegment target,
                                long targetOffset, Path file) throws IOException {
        long bytes = tensor.end() - tensor.begin();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment chunk = arena.allocate(Math.max(Double.BYTES, Math.min(CHUNK_BYTES, bytes)));
            ByteBuffer buffer = chunk.asByteBuffer();
            for (long done = 0; done < bytes; ) {
                int length = (int) Math.min(chunk.byteSize(), bytes - done);
                buffer.clear().limit(length);
                readFully(channel, buffer, header.dataStart() + tensor.begin() + done, file);
                MemorySegment.copy(chunk, LITTLE_ENDIAN_DOUBLE, 0, target, ValueLayout.JAVA_DOUBLE,
                        targetOffset + done, length / Double.BYTES);
                requireFinite(target, targetOffset + done, length / Double.BYTES, tensor, done / Double.BYTES, file);
                done += length;
            }
        }
    }

    /**
     * Checks the {@code count} doubles of {@code values} from {@code offset} bytes, which are the elements of
     * {@code tensor} from flat index {@code firstElement}, while they are still in the cache after the copy.
     *
     * @throws ModelFormatException naming the tensor and the index of the first NaN or infinite element
     */
    private static void requireFinite(MemorySegment values, long offset, int count, Tensor tensor, long firstElement,
                                      Path file) throws ModelFormatException {
        for (int i = 0; i < count; i++) {
            double value = values.get(ValueLayout.JAVA_DOUBLE, offset + (long) i * Double.BYTES);
            if (!Double.isFinite(value)) {
                throw new ModelFormatException(file, "tensor '" + tensor.name() + "' element "
                        + describe(tensor.indexOf(firstElement + i)) + " is " + (Double.isNaN(value) ? "NaN"
                        : value > 0 ? "+Infinity" : "-Infinity") + ": the file is damaged or was saved from a"
                        + " diverged run");
            }
        }
    }

    /**
     * Writes {@code count} doubles of {@code source} from {@code sourceOffset} bytes to the channel's position
     * as little-endian, through a bounded buffer.
     */
    public static void write(FileChannel channel, MemorySegment source, long sourceOffset, long count) throws IOException {
        long bytes = count * Double.BYTES;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment chunk = arena.allocate(Math.max(Double.BYTES, Math.min(CHUNK_BYTES, bytes)));
            ByteBuffer buffer = chunk.asByteBuffer();
            for (long done = 0; done < bytes; ) {
                int length = (int) Math.min(chunk.byteSize(), bytes - done);
                MemorySegment.copy(source, ValueLayout.JAVA_DOUBLE, sourceOffset + done, chunk, LITTLE_ENDIAN_DOUBLE,
                        0, length / Double.BYTES);
                buffer.clear().limit(length);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                done += length;
            }
        }
    }

    /**
     * Returns the header bytes (length field included) for tensors laid out one after another in the given
     * order, padded with spaces to a multiple of 8 bytes so the data buffer starts aligned.
     *
     * @param shapes   the tensors' shapes by name, in buffer order
     * @param metadata written as {@code __metadata__}
     */
    public static ByteBuffer header(Map<String, long[]> shapes, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{").append(Json.quote(METADATA)).append(":{");
        boolean first = true;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            json.append(first ? "" : ",").append(Json.quote(entry.getKey())).append(':').append(Json.quote(entry.getValue()));
            first = false;
        }
        json.append('}');
        long offset = 0;
        for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
            long elements = 1;
            StringBuilder shape = new StringBuilder();
            for (long dimension : entry.getValue()) {
                shape.append(shape.isEmpty() ? "" : ",").append(dimension);
                elements = Math.multiplyExact(elements, dimension);
            }
            long end = Math.addExact(offset, Math.multiplyExact(elements, Double.BYTES));
            json.append(',').append(Json.quote(entry.getKey())).append(":{\"dtype\":\"F64\",\"shape\":[").append(shape)
                    .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES + padded).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(padded).put(text);
        while (buffer.hasRemaining()) {
            buffer.put((byte) ' ');
        }
        return buffer.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new ModelFormatException(file, "the file ends at byte " + at + ", before the end of the data"
                        + " its header describes; it was truncated while being read");
            }
            at += read;
        }
    }
}
