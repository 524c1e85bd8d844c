package dev.ffnn.engine.data;

import static dev.ffnn.engine.data.IdxTestFiles.concat;
import static dev.ffnn.engine.data.IdxTestFiles.gzip;
import static dev.ffnn.engine.data.IdxTestFiles.pixelPattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class StrictGzipInputStreamTest {

    private static final byte[] DATA = pixelPattern(5000);

    // Header flags of RFC 1952, section 2.3.1.
    private static final int FTEXT = 0x01;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;

    @Test
    void singleMemberDecodes() throws IOException {
        assertArrayEquals(DATA, decode(gzip(DATA)));
    }

    @Test
    void concatenatedMembersDecode() throws IOException {
        byte[] first = Arrays.copyOfRange(DATA, 0, 1234);
        byte[] second = Arrays.copyOfRange(DATA, 1234, DATA.length);

        assertArrayEquals(DATA, decode(concat(concat(gzip(first), gzip(new byte[0])), gzip(second))));
    }

    @Test
    void headerWithEveryOptionalFieldDecodes() throws IOException {
        byte[] member = member(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT, DATA);

        assertArrayEquals(DATA, decode(member));
        assertArrayEquals(DATA, new GZIPInputStream(new ByteArrayInputStream(member)).readAllBytes(),
                "the JDK decoder reads the same member");
    }

    @Test
    void singleByteReadsDecode() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new StrictGzipInputStream(new ByteArrayInputStream(gzip(DATA)), 64)) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                out.write(b);
            }
        }
        assertArrayEquals(DATA, out.toByteArray());
    }

    @Test
    void trailingGarbageRejectedWithOffset() {
        byte[] members = concat(gzip(DATA), gzip(DATA));
        byte[] file = concat(members, "PK\u0003\u0004".getBytes(StandardCharsets.ISO_8859_1));

        StrictGzipInputStream.TrailingBytesException e = assertThrows(
                StrictGzipInputStream.TrailingBytesException.class, () -> decode(file));
        assertEquals(members.length, e.offset());
    }

    @Test
    void wrongHeaderCrcRejected() {
        byte[] member = member(FHCRC | FNAME, DATA);
        member[headerLength(member) - 1] ^= 1; // the high byte of the CRC16, which ends the header

        assertFailure(ZipException.class, () -> decode(member), "header CRC16");
    }

    @Test
    void reservedFlagRejected() {
        byte[] member = gzip(DATA);
        member[3] = (byte) 0x20;

        assertFailure(ZipException.class, () -> decode(member), "reserved bits");
    }

    @Test
    void wrongLengthInTrailerRejected() {
        byte[] member = gzip(DATA);
        member[member.length - 4] ^= 1; // ISIZE is the last 4 bytes

        assertFailure(ZipException.class, () -> decode(member), "data length 5000", "member trailer");
    }

    @Test
    void wrongCrcInTrailerRejected() {
        byte[] member = gzip(DATA);
        member[member.length - 8] ^= 1; // CRC-32 precedes ISIZE

        assertFailure(ZipException.class, () -> decode(member), "CRC-32", "member trailer");
    }

    @Test
    void truncationRejectedWherever() {
        byte[] member = gzip(DATA);

        assertFailure(EOFException.class, () -> decode(Arrays.copyOf(member, 5)), "inside a member header");
        assertFailure(EOFException.class, () -> decode(Arrays.copyOf(member, member.length / 2)),
                "inside the compressed data");
        assertFailure(EOFException.class, () -> decode(Arrays.copyOf(member, member.length - 3)),
                "inside a member trailer");
        assertFailure(EOFException.class, () -> decode(concat(member, Arrays.copyOf(member, 6))),
                "inside a member header");
    }

    @Test
    void nonGzipInputRejectedAtOpen() {
        byte[] bytes = {0x1f, 0x00, 8, 0, 0, 0, 0, 0, 0, 3};

        assertFailure(ZipException.class, () -> decode(bytes), "not the gzip magic");
    }

    private static byte[] decode(byte[] compressed) throws IOException {
        // A small buffer makes headers, trailers and members cross buffer boundaries.
        try (InputStream in = new StrictGzipInputStream(new ByteArrayInputStream(compressed), 7)) {
            return in.readAllBytes();
        }
    }

    /** Returns a gzip member with the header fields that {@code flags} selects, each with content. */
    private static byte[] member(int flags, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 1, 2, 3, 4, 0, 3});
        if ((flags & FEXTRA) != 0) {
            out.writeBytes(new byte[] {4, 0, 'x', 'y', 0, 0}); // one subfield 'xy' with no data
        }
        if ((flags & FNAME) != 0) {
            out.writeBytes("images.idx\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        if ((flags & FCOMMENT) != 0) {
            out.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        }
        if ((flags & FHCRC) != 0) {
            CRC32 headerCrc = new CRC32();
            headerCrc.update(out.toByteArray());
            writeLittleEndian(out, headerCrc.getValue(), 2);
        }

        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();

        CRC32 crc = new CRC32();
        crc.update(data);
        writeLittleEndian(out, crc.getValue(), 4);
        writeLittleEndian(out, data.length, 4);
        return out.toByteArray();
    }

    /** Returns the header length of a member from {@link #member} with FNAME and FHCRC set. */
    private static int headerLength(byte[] member) {
        int nameEnd = 10;
        while (member[nameEnd] != 0) {
            nameEnd++;
        }
        return nameEnd + 1 + 2;
    }

    private static void writeLittleEndian(ByteArrayOutputStream out, long value, int byteCount) {
        for (int i = 0; i < byteCount; i++) {
            out.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    private static void assertFailure(Class<? extends IOException> type, Executable decode, String... fragments) {
        IOException e = assertThrows(type, decode);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "message lacks \"" + fragment + "\": "
                    + e.getMessage());
        }
    }
}
