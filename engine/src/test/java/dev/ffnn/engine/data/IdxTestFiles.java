package dev.ffnn.engine.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files, well-formed or deliberately broken, for the tests of this package. */
final class IdxTestFiles {

    static final int UNSIGNED_BYTE = 0x08;

    private IdxTestFiles() {
    }

    /** Returns an IDX header: magic {@code 00 00 typeCode sizes.length}, then the sizes big-endian. */
    static byte[] header(int typeCode, int... sizes) {
        return headerWithMagic(0, 0, typeCode, sizes.length, sizes);
    }

    /** Returns an IDX header with every magic byte given, so tests can break any of them. */
    static byte[] headerWithMagic(int magic0, int magic1, int typeCode, int dimensionCount, int... sizes) {
        ByteBuffer buffer = ByteBuffer.allocate(Integer.BYTES * (1 + sizes.length));
        buffer.put((byte) magic0).put((byte) magic1).put((byte) typeCode).put((byte) dimensionCount);
        for (int size : sizes) {
            buffer.putInt(size);
        }
        return buffer.array();
    }

    /** Returns {@code first} followed by {@code second}. */
    static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    /** Returns a well-formed unsigned-byte images file of {@code samples} images of {@code height x width}. */
    static byte[] images(int samples, int height, int width, byte[] pixels) {
        return concat(header(UNSIGNED_BYTE, samples, height, width), pixels);
    }

    /** Returns a well-formed labels file. */
    static byte[] labels(int... labels) {
        byte[] data = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            data[i] = (byte) labels[i];
        }
        return concat(header(UNSIGNED_BYTE, labels.length), data);
    }

    /** Returns {@code count} pixel values {@code (31 * i + 7) mod 256}, which cover 0..255 for count >= 256. */
    static byte[] pixelPattern(int count) {
        byte[] pixels = new byte[count];
        for (int i = 0; i < count; i++) {
            pixels[i] = (byte) ((31 * i + 7) % 256);
        }
        return pixels;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path directory, String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }
}
