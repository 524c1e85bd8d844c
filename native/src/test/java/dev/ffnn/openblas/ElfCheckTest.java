package dev.ffnn.openblas;

import dev.ffnn.openblas.ElfCheck.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ElfCheckTest {

    private static final Platform X86_64 = Platform.of("amd64", ByteOrder.LITTLE_ENDIAN);
    private static final String TRUNCATED_FIX = "; it may be truncated: copy it again";

    @Test
    void bundledLibrariesPass(@TempDir Path directory) throws Exception {
        for (String fileName : BundledOpenBlas.FILE_NAMES) {
            Path file = copyResource(fileName, directory, Long.MAX_VALUE);

            assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, X86_64), fileName);
        }
    }

    @Test
    void currentPlatformAcceptsBundledLibrary(@TempDir Path directory) throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the bundled libraries are built for x86-64");
        Path file = copyResource("libgcc_s.so.1", directory, Long.MAX_VALUE);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file));
    }

    @Test
    void truncatedLibraryNamesProgramHeader(@TempDir Path directory) throws Exception {
        Path file = copyResource(BundledOpenBlas.LIBRARY_FILE_NAME, directory, 100_000);

        String message = rejection(file, X86_64);

        Pattern expected = Pattern.compile(Pattern.quote(file + " is not a complete ELF shared library (program "
                + "header ") + "\\d+ ends at byte (\\d+)" + Pattern.quote(" but the file has 100000 bytes)"
                + TRUNCATED_FIX));
        var matcher = expected.matcher(message);
        assertTrue(matcher.matches(), "message: " + message);
        assertTrue(Long.parseLong(matcher.group(1)) > 100_000, "segment end in: " + message);
    }

    @Test
    void missingLastByteNamesSectionTable(@TempDir Path directory) throws Exception {
        Path complete = copyResource("libgcc_s.so.1", Files.createDirectory(directory.resolve("complete")),
                Long.MAX_VALUE);
        long size = Files.size(complete);
        Path file = copyResource("libgcc_s.so.1", directory, size - 1);

        String message = rejection(file, X86_64);

        assertEquals(file + " is not a complete ELF shared library (the section header table ends at byte " + size
                + " but the file has " + (size - 1) + " bytes)" + TRUNCATED_FIX, message);
    }

    @Test
    void shortHeaderIsTruncated(@TempDir Path directory) throws Exception {
        Path file = copyResource("libgcc_s.so.1", directory, 20);

        String message = rejection(file, X86_64);

        assertEquals(file + " is not a complete ELF shared library (the ELF header ends at byte 64 but the file "
                + "has 20 bytes)" + TRUNCATED_FIX, message);
    }

    @Test
    void textFileIsNotElf(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n");

        String message = rejection(file, X86_64);

        assertEquals(file + " is not an ELF file (it does not start with the bytes 7f 45 4c 46), expected a "
                + "shared library file such as libopenblas.so.0", message);
    }

    @Test
    void zeroedFileIsNotElf(@TempDir Path directory) throws Exception {
        Path file = Files.write(directory.resolve("libopenblas.so.0"), new byte[4096]);

        String message = rejection(file, X86_64);

        assertTrue(message.startsWith(file + " is not an ELF file "), "message: " + message);
    }

    @Test
    void threeByteFileIsNotElf(@TempDir Path directory) throws Exception {
        Path file = Files.write(directory.resolve("libopenblas.so.0"), new byte[] {0x7f, 'E', 'L'});

        String message = rejection(file, X86_64);

        assertTrue(message.startsWith(file + " is not an ELF file "), "message: " + message);
    }

    @Test
    void emptyFileIsRejected(@TempDir Path directory) throws Exception {
        Path file = Files.createFile(directory.resolve("libopenblas.so.0"));

        assertEquals(file + " is empty, expected a shared library file such as libopenblas.so.0",
                rejection(file, X86_64));
    }

    @Test
    void thirtyTwoBitFileIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.elfClass = 1;
        Path file = elf.write(directory);

        assertEquals(file + " is a 32-bit ELF file, but this JVM runs on amd64 and ffnn loads only 64-bit "
                + "libraries", rejection(file, X86_64));
    }

    @Test
    void invalidClassByteIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.elfClass = 0;
        Path file = elf.write(directory);

        assertEquals(file + " is not a valid ELF file (its class byte is 0, expected 2 for 64-bit)",
                rejection(file, X86_64));
    }

    @Test
    void bigEndianFileIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.byteOrder = ByteOrder.BIG_ENDIAN;
        elf.dataEncoding = 2;
        Path file = elf.write(directory);

        assertEquals(file + " is a big-endian ELF file, but this JVM runs on amd64, which is little-endian",
                rejection(file, X86_64));
    }

    @Test
    void bigEndianPlatformAcceptsBigEndianFile(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.byteOrder = ByteOrder.BIG_ENDIAN;
        elf.dataEncoding = 2;
        elf.machine = 22;
        Path file = elf.write(directory);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, Platform.of("s390x", ByteOrder.BIG_ENDIAN)));
    }

    @Test
    void invalidDataEncodingIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.dataEncoding = 3;
        Path file = elf.write(directory);

        assertEquals(file + " is not a valid ELF file (its data encoding byte is 3, expected 1 for little-endian "
                + "or 2 for big-endian)", rejection(file, X86_64));
    }

    @Test
    void otherMachineIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.machine = 183;
        Path file = elf.write(directory);

        assertEquals(file + " is built for AArch64 (ELF machine 183), but this JVM runs on amd64 and needs a "
                + "library built for x86-64 (ELF machine 62)", rejection(file, X86_64));
    }

    @Test
    void bundledLibraryIsRejectedOnAarch64(@TempDir Path directory) throws Exception {
        Path file = copyResource("libgcc_s.so.1", directory, Long.MAX_VALUE);

        assertEquals(file + " is built for x86-64 (ELF machine 62), but this JVM runs on aarch64 and needs a "
                + "library built for AArch64 (ELF machine 183)",
                rejection(file, Platform.of("aarch64", ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void unknownMachineIsNamedByNumber(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.machine = 9999;
        Path file = elf.write(directory);

        String message = rejection(file, X86_64);

        assertTrue(message.startsWith(file + " is built for an unknown machine (ELF machine 9999)"),
                "message: " + message);
    }

    @Test
    void unknownOsArchSkipsMachineCheck(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.machine = 183;
        Path file = elf.write(directory);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, Platform.of("mips64el", ByteOrder.LITTLE_ENDIAN)));
    }

    @Test
    void platformMachineFollowsOsArch() {
        assertEquals(Optional.of(62), Platform.of("amd64", ByteOrder.LITTLE_ENDIAN).machine(), "amd64");
        assertEquals(Optional.of(62), Platform.of("x86_64", ByteOrder.LITTLE_ENDIAN).machine(), "x86_64");
        assertEquals(Optional.of(183), Platform.of("aarch64", ByteOrder.LITTLE_ENDIAN).machine(), "aarch64");
        assertEquals(Optional.of(243), Platform.of("riscv64", ByteOrder.LITTLE_ENDIAN).machine(), "riscv64");
        assertEquals(Optional.empty(), Platform.of("mips64el", ByteOrder.LITTLE_ENDIAN).machine(), "mips64el");
    }

    @Test
    void currentPlatformIsThisJvm() {
        Platform platform = Platform.current();

        assertEquals(System.getProperty("os.arch"), platform.osArch());
        assertEquals(ByteOrder.nativeOrder(), platform.byteOrder());
        if (System.getProperty("os.arch").equals("amd64")) {
            assertEquals(Optional.of(62), platform.machine(), "machine on amd64");
        }
    }

    @Test
    void executableIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.type = 2;
        Path file = elf.write(directory);

        assertEquals(file + " is an executable (ELF type ET_EXEC), not a shared library (ELF type ET_DYN)",
                rejection(file, X86_64));
    }

    @Test
    void objectFileIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.type = 1;
        Path file = elf.write(directory);

        assertEquals(file + " is a relocatable object file (ELF type ET_REL), not a shared library (ELF type "
                + "ET_DYN)", rejection(file, X86_64));
    }

    @Test
    void syntheticLibraryPasses(@TempDir Path directory) throws Exception {
        Path file = SyntheticElf.complete().write(directory);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, X86_64));
    }

    @Test
    void libraryWithoutSectionTablePasses(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.sectionHeaderOffset = 0;
        elf.sectionHeaderCountField = 0;
        elf.sectionHeaders.clear();
        Path file = elf.write(directory);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, X86_64));
    }

    @Test
    void noProgramHeadersIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.segments.clear();
        Path file = elf.write(directory);

        assertEquals(file + " is not a valid ELF shared library (it has no program headers, so the dynamic linker "
                + "has no segments to map)", rejection(file, X86_64));
    }

    @Test
    void wrongProgramHeaderSizeIsRejected(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.programHeaderSize = 32;
        Path file = elf.write(directory);

        assertEquals(file + " is not a valid ELF shared library (its program header size is 32 bytes, expected 56 "
                + "for a 64-bit file)", rejection(file, X86_64));
    }

    @Test
    void programHeaderTableBeyondEndIsTruncation(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.programHeaderCountField = 1000;
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (the program header table ends at byte "
                + (64 + 1000 * 56) + " but the file has " + Files.size(file) + " bytes)" + TRUNCATED_FIX,
                rejection(file, X86_64));
    }

    @Test
    void segmentBeyondEndIsTruncation(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.segments.add(new long[] {4000, 200});
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (program header 2 ends at byte 4200 but the "
                + "file has 4096 bytes)" + TRUNCATED_FIX, rejection(file, X86_64));
    }

    @Test
    void segmentEndOverflowIsTruncation(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        // The end, 2^64 + 0x100, wraps to 0x100 in 64-bit arithmetic, which would look inside the file.
        elf.segments.add(new long[] {0xFFFF_FFFF_FFFF_FF00L, 0x200});
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (program header 2 ends at byte "
                + "18446744073709551872 but the file has 4096 bytes)" + TRUNCATED_FIX, rejection(file, X86_64));
    }

    @Test
    void sectionTableBeyondEndIsTruncation(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.sectionHeaderCountField = 100;
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (the section header table ends at byte "
                + (3072 + 100 * 64) + " but the file has 4096 bytes)" + TRUNCATED_FIX, rejection(file, X86_64));
    }

    @Test
    void extendedProgramHeaderCountIsRead(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.programHeaderCountField = 0xffff;
        elf.sectionHeaders.getFirst()[1] = 3;
        elf.segments.add(new long[] {4000, 200});
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (program header 2 ends at byte 4200 but the "
                + "file has 4096 bytes)" + TRUNCATED_FIX, rejection(file, X86_64));
    }

    @Test
    void extendedSectionCountIsRead(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.sectionHeaderCountField = 0;
        elf.sectionHeaders.getFirst()[0] = 1000;
        Path file = elf.write(directory);

        assertEquals(file + " is not a complete ELF shared library (the section header table ends at byte "
                + (3072 + 1000 * 64) + " but the file has 4096 bytes)" + TRUNCATED_FIX, rejection(file, X86_64));
    }

    @Test
    void extendedCountsWithinFilePass(@TempDir Path directory) throws Exception {
        SyntheticElf elf = SyntheticElf.complete();
        elf.programHeaderCountField = 0xffff;
        elf.sectionHeaderCountField = 0;
        elf.sectionHeaders.getFirst()[0] = 2;
        elf.sectionHeaders.getFirst()[1] = 2;
        Path file = elf.write(directory);

        assertDoesNotThrow(() -> ElfCheck.requireSharedLibrary(file, X86_64));
    }

    @Test
    void unreadableFileSaysPermissionDenied(@TempDir Path directory) throws Exception {
        Path file = SyntheticElf.complete().write(directory);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeFalse(Files.isReadable(file), "this user reads files without read permission, e.g. root");

        assertEquals(file + " is not readable: permission denied", rejection(file, X86_64));
    }

    private static String rejection(Path file, Platform platform) {
        IOException e = assertThrows(IOException.class, () -> ElfCheck.requireSharedLibrary(file, platform));
        assertEquals(IOException.class, e.getClass(), "exception class, which decides how the load error shows it");
        return e.getMessage();
    }

    /** Copies at most {@code maxBytes} of a bundled library from the class path into {@code directory}. */
    private static Path copyResource(String fileName, Path directory, long maxBytes) throws IOException {
        String name = BundledOpenBlas.RESOURCE_FOLDER + fileName;
        Path target = directory.resolve(fileName);
        try (InputStream in = ElfCheckTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("class path resource " + name + " not found");
            }
            Files.write(target, in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8)));
        }
        return target;
    }

    /**
     * A 4096-byte ELF64 shared library for x86-64 that is complete by default: the ELF header, program headers
     * right after it, and a section header table at byte 3072. Tests change one field to break it.
     */
    private static final class SyntheticElf {

        private static final int FILE_SIZE = 4096;
        private static final int SECTION_TABLE_OFFSET = 3072;

        byte elfClass = 2;
        byte dataEncoding = 1;
        ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
        int type = 3;
        int machine = 62;
        int programHeaderSize = 56;
        /** The {@code e_phnum} field, or -1 for the number of segments. */
        int programHeaderCountField = -1;
        long sectionHeaderOffset = SECTION_TABLE_OFFSET;
        int sectionHeaderCountField = 2;
        /** File offset and file size of each segment. */
        List<long[]> segments = new ArrayList<>();
        /** Field {@code sh_size} and field {@code sh_info} of each section header. */
        List<long[]> sectionHeaders = new ArrayList<>();

        static SyntheticElf complete() {
            SyntheticElf elf = new SyntheticElf();
            elf.segments.add(new long[] {0, 1024});
            elf.segments.add(new long[] {1024, 2048});
            elf.sectionHeaders.add(new long[] {0, 0});
            elf.sectionHeaders.add(new long[] {512, 0});
            return elf;
        }

        Path write(Path directory) throws IOException {
            ByteBuffer file = ByteBuffer.allocate(FILE_SIZE).order(byteOrder);
            file.put(new byte[] {0x7f, 'E', 'L', 'F', elfClass, dataEncoding, 1});
            file.putShort(16, (short) type);
            file.putShort(18, (short) machine);
            file.putInt(20, 1);
            file.putLong(32, 64);
            file.putLong(40, sectionHeaderOffset);
            file.putShort(52, (short) 64);
            file.putShort(54, (short) programHeaderSize);
            int programHeaderCount = programHeaderCountField < 0 ? segments.size() : programHeaderCountField;
            file.putShort(56, (short) programHeaderCount);
            file.putShort(58, (short) 64);
            file.putShort(60, (short) sectionHeaderCountField);

            for (int i = 0; i < segments.size(); i++) {
                int entry = 64 + i * 56;
                file.putInt(entry, 1);
                file.putLong(entry + 8, segments.get(i)[0]);
                file.putLong(entry + 32, segments.get(i)[1]);
                file.putLong(entry + 40, segments.get(i)[1]);
            }
            for (int i = 0; i < sectionHeaders.size(); i++) {
                int entry = SECTION_TABLE_OFFSET + i * 64;
                file.putLong(entry + 32, sectionHeaders.get(i)[0]);
                file.putInt(entry + 44, (int) sectionHeaders.get(i)[1]);
            }
            return Files.write(directory.resolve("libsynthetic.so"), file.array());
        }
    }
}
