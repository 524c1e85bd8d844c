package dev.ffnn.engine.data;

import static dev.ffnn.engine.data.IdxTestFiles.UNSIGNED_BYTE;
import static dev.ffnn.engine.data.IdxTestFiles.concat;
import static dev.ffnn.engine.data.IdxTestFiles.gzip;
import static dev.ffnn.engine.data.IdxTestFiles.header;
import static dev.ffnn.engine.data.IdxTestFiles.pixelPattern;
import static dev.ffnn.engine.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks how much memory {@link IdxReader#readData} allocates before the data length is known. */
class IdxReaderTest {

    @TempDir
    Path directory;

    @Test
    void gzipStagingGrowsOnlyWithDecompressedData() throws IOException {
        // The header claims 64 MiB, but the file contains 100 000 bytes of data.
        byte[] data = new byte[100_000];
        new Random(7).nextBytes(data);
        Path file = write(directory, "claims-64-mib.gz", gzip(concat(header(UNSIGNED_BYTE, 64, 1024, 1024), data)));
        RecordingArena staging = new RecordingArena();

        try (IdxReader reader = IdxReader.open(file)) {
            IdxReader.Header header = reader.readHeader(IdxReader.Kind.IMAGES);
            DatasetFormatException e = assertThrows(DatasetFormatException.class,
                    () -> reader.readData(header, new byte[IdxReader.BUFFER_BYTES], staging));

            assertTrue(e.getMessage().contains("data has 100000 bytes but the header (64 x 1024 x 1024) requires"
                    + " 67108864 bytes"), e.getMessage());
        }
        assertEquals(List.of((long) IdxReader.STAGING_CHUNK_BYTES), staging.allocations,
                "staging allocations, in bytes");
        assertFalse(staging.scope().isAlive(), "staging arena closed after the failure");
    }

    @Test
    void gzipStagingHoldsExactlyTheData() throws IOException {
        // 3 000 000 bytes fill 2 chunks of 1 MiB and a last chunk of 902 848 bytes.
        byte[] data = pixelPattern(3_000_000);
        Path file = write(directory, "images.gz", gzip(concat(header(UNSIGNED_BYTE, 3, 1000, 1000), data)));
        RecordingArena staging = new RecordingArena();
        byte[] copied = new byte[data.length];

        try (IdxReader reader = IdxReader.open(file)) {
            IdxReader.Header header = reader.readHeader(IdxReader.Kind.IMAGES);
            try (IdxReader.Data staged = reader.readData(header, new byte[IdxReader.BUFFER_BYTES], staging)) {
                staged.copyTo((chunk, byteOffset) ->
                        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, copied, (int) byteOffset,
                                (int) chunk.byteSize()));
            }
        }
        assertEquals(List.of(1_048_576L, 1_048_576L, 902_848L), staging.allocations,
                "staging allocations, in bytes");
        assertArrayEquals(data, copied);
        assertFalse(staging.scope().isAlive(), "staging arena closed with the data");
    }

    @Test
    void rawDataStreamedWithoutStaging() throws IOException {
        byte[] data = pixelPattern(70_000);
        Path file = write(directory, "images", concat(header(UNSIGNED_BYTE, 7, 100, 100), data));
        RecordingArena staging = new RecordingArena();
        byte[] copied = new byte[data.length];

        try (IdxReader reader = IdxReader.open(file)) {
            IdxReader.Header header = reader.readHeader(IdxReader.Kind.IMAGES);
            try (IdxReader.Data streamed = reader.readData(header, new byte[IdxReader.BUFFER_BYTES], staging)) {
                streamed.copyTo((chunk, byteOffset) ->
                        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, copied, (int) byteOffset,
                                (int) chunk.byteSize()));
            }
        }
        assertEquals(List.of(), staging.allocations, "staging allocations, in bytes");
        assertArrayEquals(data, copied);
    }

    /** Arena that records the size of each allocation, in bytes. */
    private static final class RecordingArena implements Arena {

        final List<Long> allocations = new ArrayList<>();
        private final Arena arena = Arena.ofConfined();

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            allocations.add(byteSize);
            return arena.allocate(byteSize, byteAlignment);
        }

        @Override
        public MemorySegment.Scope scope() {
            return arena.scope();
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
