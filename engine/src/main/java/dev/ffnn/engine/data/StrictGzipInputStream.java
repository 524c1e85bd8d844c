package dev.ffnn.engine.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serial;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data of one or more concatenated members (RFC 1952), checking each member's header,
 * CRC-32 and length, and rejecting any bytes after the last member.
 *
 * <p>{@link java.util.zip.GZIPInputStream} of JDK 25 returns end of stream when the bytes after a member do not
 * parse as a gzip header, so it silently accepts garbage appended to a file. This stream throws a
 * {@link TrailingBytesException} there instead. Truncated input raises an {@link EOFException}, and corrupt
 * input a {@link ZipException}. Both have a message of their own.
 */
final class StrictGzipInputStream extends InputStream {

    /**
     * Signals bytes after the last gzip member that do not start another member.
     */
    static final class TrailingBytesException extends ZipException {

        @Serial
        private static final long serialVersionUID = 1L;

        private final long offset;

        TrailingBytesException(long offset) {
            super("the bytes from offset " + offset + " on are not a gzip member");
            this.offset = offset;
        }

        /** Returns the offset in the input of the first byte after the last member. */
        long offset() {
            return offset;
        }
    }

    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int DEFLATE_METHOD = 8;
    private static final int FLAG_HEADER_CRC = 0x02;
    private static final int FLAG_EXTRA = 0x04;
    private static final int FLAG_NAME = 0x08;
    private static final int FLAG_COMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xE0;
    private static final int MTIME_XFL_OS_BYTES = 6;

    private final InputStream in;
    private final byte[] input;
    private final Inflater inflater = new Inflater(true); // true: raw deflate data, gzip framing parsed here
    private final CRC32 crc = new CRC32();
    private long inputOffset;  // offset in the input of input[0]
    private int inputStart;    // first byte of input[] not yet parsed or passed to the inflater
    private int inputEnd;      // end of the bytes read into input[]
    private boolean endOfStream;
    private boolean closed;

    /**
     * Reads the header of the first member from {@code in}, so that a stream that is not gzip fails here.
     *
     * @throws EOFException if {@code in} ends inside the header
     * @throws ZipException if the header is invalid or uses an unsupported compression method
     */
    StrictGzipInputStream(InputStream in, int bufferBytes) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.input = new byte[bufferBytes];
        try {
            int id1 = requireByte("header");
            int id2 = requireByte("header");
            if (id1 != ID1 || id2 != ID2) {
                throw new ZipException(String.format("magic bytes %02x %02x are not the gzip magic 1f 8b", id1, id2));
            }
            readHeaderAfterMagic();
        } catch (IOException | RuntimeException e) {
            inflater.end();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : Byte.toUnsignedInt(one[0]);
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        if (closed) {
            throw new IOException("stream is closed");
        }
        if (length == 0) {
            return 0;
        }
        while (!endOfStream) {
            int count = inflate(buffer, offset, length);
            if (count > 0) {
                crc.update(buffer, offset, count);
                return count;
            }
            if (inflater.finished()) {
                endMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("deflate data requests a preset dictionary, which gzip does not allow");
            } else if (inflater.needsInput()) {
                if (inputStart == inputEnd && !fill()) {
                    throw new EOFException("input ends inside the compressed data of a member");
                }
                inflater.setInput(input, inputStart, inputEnd - inputStart);
                inputStart = inputEnd;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            in.close();
        }
    }

    private int inflate(byte[] buffer, int offset, int length) throws ZipException {
        try {
            return inflater.inflate(buffer, offset, length);
        } catch (DataFormatException e) {
            ZipException zip = new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            zip.initCause(e);
            throw zip;
        }
    }

    /**
     * Checks the trailer of the member whose deflate data just ended, then reads the header of the next member,
     * or sets {@link #endOfStream} if the input ends here.
     */
    private void endMember() throws IOException {
        // The inflater has not consumed the bytes after the deflate data, so parsing goes on from there.
        inputStart = inputEnd - inflater.getRemaining();
        long storedCrc = readTrailerInt();
        long storedSize = readTrailerInt();
        if (storedCrc != crc.getValue()) {
            throw new ZipException(String.format("CRC-32 %08x of the data does not match %08x in the member trailer",
                    crc.getValue(), storedCrc));
        }
        long size = inflater.getBytesWritten() & 0xFFFF_FFFFL; // ISIZE is the length modulo 2^32
        if (storedSize != size) {
            throw new ZipException("data length " + size + " (modulo 2^32) does not match " + storedSize
                    + " in the member trailer");
        }

        long memberEnd = inputOffset + inputStart;
        int id1 = nextByte();
        if (id1 < 0) {
            endOfStream = true;
            return;
        }
        int id2 = nextByte();
        if (id1 != ID1 || id2 != ID2) {
            throw new TrailingBytesException(memberEnd);
        }
        readHeaderAfterMagic();
        inflater.reset();
        crc.reset();
    }

    /** Reads a member header from its compression method on, the 2 magic bytes being read already. */
    private void readHeaderAfterMagic() throws IOException {
        CRC32 headerCrc = new CRC32();
        headerCrc.update(ID1);
        headerCrc.update(ID2);
        int method = headerByte(headerCrc);
        if (method != DEFLATE_METHOD) {
            throw new ZipException("compression method " + method + " is not supported: gzip defines only "
                    + DEFLATE_METHOD + " (deflate)");
        }
        int flags = headerByte(headerCrc);
        if ((flags & RESERVED_FLAGS) != 0) {
            throw new ZipException(String.format("header flags 0x%02x set reserved bits", flags));
        }

        for (int i = 0; i < MTIME_XFL_OS_BYTES; i++) {
            headerByte(headerCrc);
        }
        if ((flags & FLAG_EXTRA) != 0) {
            int extraLength = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            for (int i = 0; i < extraLength; i++) {
                headerByte(headerCrc);
            }
        }

        if ((flags & FLAG_NAME) != 0) {
            skipZeroTerminated(headerCrc);
        }
        if ((flags & FLAG_COMMENT) != 0) {
            skipZeroTerminated(headerCrc);
        }

        if ((flags & FLAG_HEADER_CRC) != 0) {
            int expected = (int) (headerCrc.getValue() & 0xFFFF); // CRC16 is the low 16 bits of the CRC-32
            int stored = requireByte("header") | requireByte("header") << 8;
            if (stored != expected) {
                throw new ZipException(String.format("header CRC16 %04x does not match %04x computed from the header",
                        stored, expected));
            }
        }
    }

    private void skipZeroTerminated(CRC32 headerCrc) throws IOException {
        while (headerByte(headerCrc) != 0) {
            // Skip the file name or comment up to and including its zero byte.
        }
    }

    private int headerByte(CRC32 headerCrc) throws IOException {
        int b = requireByte("header");
        headerCrc.update(b);
        return b;
    }

    /** Reads a little-endian unsigned 32-bit trailer field. */
    private long readTrailerInt() throws IOException {
        long value = 0;
        for (int i = 0; i < Integer.BYTES; i++) {
            value |= (long) requireByte("trailer") << (8 * i);
        }
        return value;
    }

    private int requireByte(String part) throws IOException {
        int b = nextByte();
        if (b < 0) {
            throw new EOFException("input ends inside a member " + part);
        }
        return b;
    }

    /** Returns the next input byte that the inflater has not consumed, or -1 at the end of the input. */
    private int nextByte() throws IOException {
        if (inputStart == inputEnd && !fill()) {
            return -1;
        }
        return Byte.toUnsignedInt(input[inputStart++]);
    }

    /** Replaces the fully consumed {@link #input} with the next bytes of {@link #in}; false at its end. */
    private boolean fill() throws IOException {
        inputOffset += inputEnd;
        inputStart = 0;
        inputEnd = 0;
        int count = in.read(input, 0, input.length);
        if (count <= 0) {
            return false;
        }
        inputEnd = count;
        return true;
    }
}
