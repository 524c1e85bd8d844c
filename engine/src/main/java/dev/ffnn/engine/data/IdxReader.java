package dev.ffnn.engine.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.ZipException;

/**
 * A reader of one IDX file, raw or gzip-compressed: the header, then the data streamed in chunks.
 *
 * <p>An IDX file is a 4-byte magic number {@code 00 00 type dimensionCount}, then {@code dimensionCount}
 * sizes as big-endian signed 32-bit integers, then the elements in row-major order. This reader accepts only
 * type {@code 0x08} (unsigned byte), so the data is exactly the product of the sizes in bytes. A file
 * starting with the gzip magic bytes {@code 1f 8b} is decompressed, whatever its name.
 *
 * <p>The sizes in a header are not trusted with memory. A raw file's length must match them before its data is
 * read. A gzip file's data is decompressed into temporary chunks that grow with the data actually decompressed,
 * and only data whose length matches the header is handed on. So a corrupt header that claims terabytes costs
 * no more memory than the file decompresses to, at the price of holding a gzip file's data twice while it
 * is copied to its destination.
 */
final class IdxReader implements Closeable {

    /** Size of the chunks that data is streamed in. */
    static final int BUFFER_BYTES = 64 * 1024;

    /** Maximum size of the off-heap chunks that store decompressed gzip data until its length is checked. */
    static final int STAGING_CHUNK_BYTES = 1024 * 1024;

    private static final int UNSIGNED_BYTE_TYPE = 0x08;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int MIN_GZIP_HEADER_BYTES = 10; // RFC 1952, section 2.3
    private static final String GZIP_FIX = "download or copy the file again, and check it with 'gzip -t'";

    /** Header of an IDX file: the type code and the sizes of its dimensions, sample count first. */
    record Header(int typeCode, int[] sizes) {

        int sampleCount() {
            return sizes[0];
        }

        /** Returns the product of the sizes after the first, 1 for a labels file. */
        int featureCount() {
            long product = 1;
            for (int d = 1; d < sizes.length; d++) {
                product *= sizes[d];
            }
            return (int) product;
        }

        long dataByteCount() {
            return (long) sampleCount() * featureCount();
        }

        int headerByteCount() {
            return Integer.BYTES * (1 + sizes.length);
        }

        String shape() {
            return Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
        }
    }

    /** The kind of IDX file that a caller expects, with the dimension counts it allows. */
    enum Kind {
        IMAGES("images", 2, 255, "2 or more dimensions"),
        LABELS("labels", 1, 1, "exactly 1 dimension");

        private final String noun;
        private final int minDimensions;
        private final int maxDimensions;
        private final String allowed;

        Kind(String noun, int minDimensions, int maxDimensions, String allowed) {
            this.noun = noun;
            this.minDimensions = minDimensions;
            this.maxDimensions = maxDimensions;
            this.allowed = allowed;
        }
    }

    /** Receives the data bytes in {@code chunk}, which start at {@code byteOffset} of the data. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(MemorySegment chunk, long byteOffset);
    }

    /**
     * Data bytes of one IDX file, returned by {@link #readData} before the caller allocates their destination.
     * Close it after {@link #copyTo}, to free the memory that stores decompressed data.
     */
    interface Data extends Closeable {

        /**
         * Passes every data byte to {@code consumer}, in order and in chunks. Call it once.
         *
         * @throws DatasetFormatException if a raw file no longer has the length that its header requires
         */
        void copyTo(ChunkConsumer consumer) throws IOException;

        /** Frees the memory that stores decompressed data, if any. */
        @Override
        default void close() {
        }
    }

    /** Receives the data bytes {@code buffer[0 .. length - 1]}, which start at {@code byteOffset} of the data. */
    @FunctionalInterface
    private interface BufferConsumer {
        void accept(byte[] buffer, int length, long byteOffset);
    }

    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private final long fileByteSize;

    private IdxReader(Path file, InputStream in, boolean gzip, long fileByteSize) {
        this.file = file;
        this.in = in;
        this.gzip = gzip;
        this.fileByteSize = fileByteSize;
    }

    /**
     * Opens {@code file} and detects gzip compression from its first two bytes.
     *
     * @throws java.nio.file.FileSystemException if the file is missing, not a regular file or not readable; the
     *                                           message names the file and the fix
     * @throws DatasetFormatException            if the gzip header is truncated or corrupt
     */
    static IdxReader open(Path file) throws IOException {
        // Check the type before opening, because opening a FIFO blocks until a writer appears.
        // NOTE: a FIFO that replaces the file between this check and the open still blocks, because
        // java.nio cannot open a file with O_NONBLOCK.
        InputPaths.requireRegularFile(file);
        long fileByteSize = Files.size(file);
        PushbackInputStream raw = new PushbackInputStream(newInputStream(file), 2);
        try {
            boolean gzip = startsWithGzipMagic(raw);
            InputStream in = gzip ? new StrictGzipInputStream(raw, BUFFER_BYTES) : raw;
            return new IdxReader(file, in, gzip, fileByteSize);
        } catch (EOFException e) {
            // StrictGzipInputStream reads the whole gzip header in its constructor.
            raw.close();
            String size = "";
            if (fileByteSize < MIN_GZIP_HEADER_BYTES) {
                size = ": the file has " + fileByteSize + " bytes, and a gzip header has at least "
                        + MIN_GZIP_HEADER_BYTES;
            }
            throw new DatasetFormatException(file, "gzip stream is truncated inside its header" + size + "; "
                    + GZIP_FIX, e);
        } catch (ZipException e) {
            raw.close();
            throw gzipFailure(file, e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static InputStream newInputStream(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (FileSystemException e) {
            throw InputPaths.describe(file, "file", e);
        }
    }

    Path file() {
        return file;
    }

    /**
     * Reads and checks the header: magic number, type code, dimension count for {@code kind}, and sizes that
     * are positive, whose product fits a long and whose feature count fits an int. For a raw file, also checks
     * that the file length matches the sizes.
     */
    Header readHeader(Kind kind) throws IOException {
        byte[] magic = readHeaderBytes(Integer.BYTES, 0);
        int typeCode = Byte.toUnsignedInt(magic[2]);
        int dimensionCount = Byte.toUnsignedInt(magic[3]);
        checkMagic(magic);
        checkTypeCode(typeCode);
        checkDimensionCount(kind, dimensionCount);

        byte[] sizeBytes = readHeaderBytes(Integer.BYTES * dimensionCount, Integer.BYTES);
        int[] sizes = new int[dimensionCount];
        for (int d = 0; d < dimensionCount; d++) {
            sizes[d] = bigEndianInt(sizeBytes, Integer.BYTES * d);
        }
        Header header = new Header(typeCode, sizes);
        checkSizes(header);
        checkRawFileLength(header);
        return header;
    }

    /**
     * Returns the data that follows {@code header}, for the caller to copy once it has allocated the
     * destination. A gzip file is decompressed here, and its data length checked, into off-heap chunks that are
     * allocated only as decompressed data arrives. A raw file, whose length {@link #readHeader} checked, is
     * streamed through {@code buffer} by {@link Data#copyTo}.
     *
     * @throws DatasetFormatException if the data is shorter or longer than the header requires, or the gzip
     *                                stream is truncated, corrupt or followed by bytes that are not gzip
     */
    Data readData(Header header, byte[] buffer) throws IOException {
        // Shared, like every other ffnn arena: one confined arena anywhere in the process made later segment
        // accesses and downcalls check two session kinds, and most Fashion-MNIST runs trained 3.5 times slower.
        return readData(header, buffer, Arena.ofShared());
    }

    /**
     * Same as {@link #readData(Header, byte[])} with the arena that stores decompressed data until the returned
     * {@link Data} is closed, so that tests can record its allocations. This method closes {@code staging} if it
     * throws, and uses it only for gzip files.
     */
    Data readData(Header header, byte[] buffer, Arena staging) throws IOException {
        if (!gzip) {
            staging.close();
            return consumer -> readAll(header, buffer, (chunk, length, byteOffset) ->
                    consumer.accept(MemorySegment.ofArray(chunk).asSlice(0, length), byteOffset));
        }
        StagedData data = new StagedData(file, staging, header.dataByteCount());
        try {
            readAll(header, buffer, data::append);
            return data;
        } catch (IOException | RuntimeException | Error e) {
            data.close();
            throw e;
        }
    }

    /**
     * Streams exactly {@code header.dataByteCount()} data bytes through {@code buffer} to {@code consumer},
     * then checks that the file ends there. Reading stops at the first byte beyond that count, so trailing data
     * is never decompressed in full.
     */
    private void readAll(Header header, byte[] buffer, BufferConsumer consumer) throws IOException {
        long expected = header.dataByteCount();
        long done = 0;
        while (true) {
            // Up to 1 byte more than the header requires, to detect trailing data.
            int length = read(buffer, (int) Math.min(buffer.length, expected + 1 - done));
            if (length < 0) {
                break;
            }
            if (done + length > expected) {
                throw moreDataThanHeaderDeclares(header);
            }
            consumer.accept(buffer, length, done);
            done += length;
        }
        if (done < expected) {
            throw dataLengthMismatch(header, done);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static boolean startsWithGzipMagic(PushbackInputStream raw) throws IOException {
        byte[] first = new byte[2];
        int length = raw.readNBytes(first, 0, first.length);
        raw.unread(first, 0, length);
        return length == 2 && Byte.toUnsignedInt(first[0]) == GZIP_MAGIC_0
                && Byte.toUnsignedInt(first[1]) == GZIP_MAGIC_1;
    }

    /** Reads {@code length} header bytes that start at {@code byteOffset} of the header. */
    private byte[] readHeaderBytes(int length, int byteOffset) throws IOException {
        byte[] bytes = new byte[length];
        int done = 0;
        while (done < length) {
            int n = read(bytes, done, length - done);
            if (n < 0) {
                throw new DatasetFormatException(file, "file ends after " + Counts.of(byteOffset + done, "byte")
                        + ", inside the IDX header, which needs " + (byteOffset + length)
                        + " bytes: the file is truncated or not an IDX file");
            }
            done += n;
        }
        return bytes;
    }

    private int read(byte[] buffer, int length) throws IOException {
        return read(buffer, 0, length);
    }

    /** Reads like {@link InputStream#read(byte[], int, int)}, turning gzip failures into format errors. */
    private int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return in.read(buffer, offset, length);
        } catch (StrictGzipInputStream.TrailingBytesException e) {
            throw trailingBytesAfterGzip(e);
        } catch (ZipException | EOFException e) {
            if (!gzip) {
                throw e;
            }
            throw gzipFailure(file, e);
        }
    }

    /** Reports a gzip failure, with the message of {@code cause} if it has one. */
    private static DatasetFormatException gzipFailure(Path file, IOException cause) {
        String problem = cause instanceof EOFException ? "is truncated" : "is corrupt";
        String detail = cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return new DatasetFormatException(file, "gzip stream " + problem + detail + ": " + GZIP_FIX, cause);
    }

    private static int bigEndianInt(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 24 | (bytes[offset + 1] & 0xFF) << 16
                | (bytes[offset + 2] & 0xFF) << 8 | (bytes[offset + 3] & 0xFF);
    }

    private void checkMagic(byte[] magic) throws DatasetFormatException {
        if (magic[0] != 0 || magic[1] != 0) {
            throw new DatasetFormatException(file, String.format("invalid IDX magic number 0x%08X: its first two"
                    + " bytes must be 0, so this is not an IDX file; pass an MNIST-style IDX file, raw or gzip",
                    bigEndianInt(magic, 0)));
        }
    }

    private void checkTypeCode(int typeCode) throws DatasetFormatException {
        if (typeCode == UNSIGNED_BYTE_TYPE) {
            return;
        }
        String typeName = switch (typeCode) {
            case 0x09 -> "0x09 (signed byte)";
            case 0x0B -> "0x0B (short)";
            case 0x0C -> "0x0C (int)";
            case 0x0D -> "0x0D (float)";
            case 0x0E -> "0x0E (double)";
            default -> null;
        };
        String detail = typeName == null
                ? String.format("IDX type code 0x%02X is invalid: IDX defines 0x08, 0x09, 0x0B, 0x0C, 0x0D and 0x0E",
                        typeCode)
                : "IDX type code " + typeName + " is not supported";
        throw new DatasetFormatException(file, detail
                + "; only 0x08 (unsigned byte) is supported, so convert the data to unsigned bytes");
    }

    private void checkDimensionCount(Kind kind, int dimensionCount) throws DatasetFormatException {
        if (dimensionCount < kind.minDimensions || dimensionCount > kind.maxDimensions) {
            throw new DatasetFormatException(file, "an IDX " + kind.noun + " file needs " + kind.allowed
                    + " but the header has " + dimensionCount
                    + ": check that the images and labels files are not swapped");
        }
    }

    private void checkSizes(Header header) throws DatasetFormatException {
        int[] sizes = header.sizes();
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] <= 0) {
                throw new DatasetFormatException(file, "size " + Integer.toUnsignedLong(sizes[d]) + " of dimension "
                        + d + " is invalid: every size must be between 1 and " + Integer.MAX_VALUE
                        + "; the header is corrupt");
            }
        }
        long product = 1;
        for (int size : sizes) {
            try {
                product = Math.multiplyExact(product, size);
            } catch (ArithmeticException e) {
                throw new DatasetFormatException(file, "sizes " + header.shape() + " are invalid: their product"
                        + " overflows a 64-bit byte count; the header is corrupt", e);
            }
        }
        long featureCount = product / header.sampleCount();
        if (featureCount > Integer.MAX_VALUE) {
            throw new DatasetFormatException(file, "sizes " + header.shape() + " give " + featureCount
                    + " features per sample, more than the maximum " + Integer.MAX_VALUE + "; the header is corrupt");
        }
    }

    /** Rejects a raw file whose length does not match its header, before any memory is allocated for it. */
    private void checkRawFileLength(Header header) throws DatasetFormatException {
        long actual = fileByteSize - header.headerByteCount();
        if (!gzip && actual != header.dataByteCount()) {
            throw dataLengthMismatch(header, actual);
        }
    }

    private DatasetFormatException dataLengthMismatch(Header header, long actual) {
        String fix = actual < header.dataByteCount()
                ? "the file is truncated, so download or copy it again"
                : "the file has " + Counts.of(actual - header.dataByteCount(), "trailing byte")
                        + " or a wrong header";
        return new DatasetFormatException(file, "data has " + Counts.of(actual, "byte") + " but the header ("
                + header.shape() + ") requires " + Counts.of(header.dataByteCount(), "byte") + " after the "
                + header.headerByteCount() + "-byte header: " + fix);
    }

    private DatasetFormatException moreDataThanHeaderDeclares(Header header) {
        return new DatasetFormatException(file, "contains more data than its header declares ("
                + Counts.of(header.dataByteCount(), "byte") + " after the header); the header (" + header.shape()
                + ") is wrong or data was appended to the file, so download or copy it again");
    }

    private DatasetFormatException trailingBytesAfterGzip(StrictGzipInputStream.TrailingBytesException e) {
        long trailing = fileByteSize - e.offset();
        String amount = trailing > 0 ? Counts.of(trailing, "byte") + " of data" : "data";
        return new DatasetFormatException(file, "gzip data ends at byte offset " + e.offset() + " and is followed by "
                + amount + " that is not a gzip member: truncate the file to " + e.offset()
                + " bytes if the gzip data is complete, or download or copy it again", e);
    }

    /** Allocates zeroed off-heap memory for data of {@code file}, naming the file if the allocation fails. */
    static MemorySegment allocate(Arena arena, long byteSize, long byteAlignment, Path file) {
        try {
            return arena.allocate(byteSize, byteAlignment);
        } catch (OutOfMemoryError e) {
            OutOfMemoryError named = new OutOfMemoryError("cannot allocate " + byteSize + " bytes off-heap for "
                    + file + ": free memory, or load a smaller data set");
            named.initCause(e);
            throw named;
        }
    }

    /** Gzip data stored in off-heap chunks of at most {@link #STAGING_CHUNK_BYTES}, allocated as it arrives. */
    private static final class StagedData implements Data {

        private final Path file;
        private final Arena arena;
        private final long byteCount;
        private final List<MemorySegment> chunks = new ArrayList<>();
        private long stagedBytes;
        private long lastChunkFill;

        /** Creates empty staging for {@code byteCount} bytes, which {@link #append} never exceeds. */
        StagedData(Path file, Arena arena, long byteCount) {
            this.file = file;
            this.arena = arena;
            this.byteCount = byteCount;
        }

        /** Copies {@code buffer[0 .. length - 1]} to the end of the staged data, allocating chunks as needed. */
        void append(byte[] buffer, int length, long byteOffset) {
            assert byteOffset == stagedBytes && stagedBytes + length <= byteCount;
            int copied = 0;
            while (copied < length) {
                if (chunks.isEmpty() || lastChunkFill == chunks.getLast().byteSize()) {
                    long chunkBytes = Math.min(STAGING_CHUNK_BYTES, byteCount - stagedBytes);
                    chunks.add(allocate(arena, chunkBytes, 1, file));
                    lastChunkFill = 0;
                }
                MemorySegment chunk = chunks.getLast();
                int count = (int) Math.min(length - copied, chunk.byteSize() - lastChunkFill);
                MemorySegment.copy(buffer, copied, chunk, ValueLayout.JAVA_BYTE, lastChunkFill, count);
                copied += count;
                lastChunkFill += count;
                stagedBytes += count;
            }
        }

        @Override
        public void copyTo(ChunkConsumer consumer) {
            long byteOffset = 0;
            for (MemorySegment chunk : chunks) {
                consumer.accept(chunk, byteOffset);
                byteOffset += chunk.byteSize();
            }
        }

        @Override
        public void close() {
            if (arena.scope().isAlive()) {
                arena.close();
            }
        }
    }
}
