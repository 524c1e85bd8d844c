package dev.ffnn.openblas;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

/**
 * Checks, before the dynamic linker opens a file, that it is a complete ELF shared library for this JVM's
 * platform. It reads only the ELF header, the program header table and, for counts that do not fit into 16
 * bits, section header 0.
 *
 * <p>glibc's dlopen maps each segment with the file length that its program header states, so a truncated file
 * makes it touch pages past the end of the file, and the JVM dies with SIGBUS. For a file that is not ELF at all,
 * HotSpot 25.0.3 prints a two-line warning about the stack guard before dlopen rejects the file, because its
 * {@code os::dll_load} (os_linux.cpp) looks for the PT_GNU_STACK program header first. Rejecting such files here
 * keeps them away from dlopen and HotSpot.
 *
 * <p>NOTE: a file that passes can still crash the JVM in dlopen if it shrinks after this check, or if its headers
 * are complete but the bytes inside its segments are damaged.
 */
final class ElfCheck {

    /** Machine names for the ELF {@code e_machine} values in messages, from glibc's elf.h. */
    private static final Map<Integer, String> MACHINE_NAMES = Map.of(
            3, "x86 (32-bit)",
            20, "PowerPC",
            21, "PowerPC64",
            22, "IBM S/390",
            40, "ARM (32-bit)",
            62, "x86-64",
            183, "AArch64",
            243, "RISC-V",
            258, "LoongArch");

    /** ELF machine of each 64-bit {@code os.arch} value that OpenJDK reports on Linux. */
    private static final Map<String, Integer> MACHINE_BY_OS_ARCH = Map.of(
            "amd64", 62,
            "x86_64", 62,
            "aarch64", 183,
            "riscv64", 243,
            "ppc64le", 21,
            "ppc64", 21,
            "s390x", 22,
            "loongarch64", 258);

    private static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final int EI_CLASS = 4;
    private static final int EI_DATA = 5;
    private static final byte ELFCLASS32 = 1;
    private static final byte ELFCLASS64 = 2;
    private static final byte ELFDATA2LSB = 1;
    private static final byte ELFDATA2MSB = 2;
    private static final int ET_DYN = 3;

    /** Value of {@code e_phnum} that moves the real program header count into section header 0. */
    private static final int PN_XNUM = 0xffff;

    /** Sizes in bytes of the ELF64 header, of one program header and of one section header. */
    private static final int HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;
    private static final int SECTION_HEADER_SIZE = 64;

    private static final String TRUNCATED_FIX = "it may be truncated: copy it again";

    /**
     * The ELF file kind that this JVM can load.
     *
     * @param osArch    the JVM's {@code os.arch}, for messages
     * @param machine   the ELF {@code e_machine} value, or empty when {@code os.arch} is not in the table above
     * @param byteOrder the byte order of the platform
     */
    record Platform(String osArch, Optional<Integer> machine, ByteOrder byteOrder) {

        /** Returns the platform of this JVM. */
        static Platform current() {
            return of(System.getProperty("os.arch"), ByteOrder.nativeOrder());
        }

        /** Returns the platform for an {@code os.arch} value and a byte order. */
        static Platform of(String osArch, ByteOrder byteOrder) {
            return new Platform(osArch, Optional.ofNullable(MACHINE_BY_OS_ARCH.get(osArch)), byteOrder);
        }
    }

    private ElfCheck() {
    }

    /**
     * Checks that {@code file} is a complete ELF shared library for this JVM's platform.
     *
     * @throws IOException if the file is not one, with a message that names the file, the problem and the fix,
     *                     or if it cannot be read
     */
    static void requireSharedLibrary(Path file) throws IOException {
        requireSharedLibrary(file, Platform.current());
    }

    /**
     * Checks that {@code file} is a complete ELF shared library for {@code platform}.
     *
     * @throws IOException if the file is not one, or cannot be read
     */
    static void requireSharedLibrary(Path file, Platform platform) throws IOException {
        try (FileChannel channel = openForReading(file)) {
            long fileSize = channel.size();
            ByteBuffer header = readHeader(channel, file, fileSize);
            requireClassAndByteOrder(header, file, platform);
            header.order(platform.byteOrder());
            requireMachine(header, file, platform);
            requireSharedObjectType(header, file);
            requireCompleteTables(channel, header, file, fileSize);
        }
    }

    private static FileChannel openForReading(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (AccessDeniedException e) {
            throw new IOException(file + " is not readable: permission denied", e);
        }
    }

    /** Reads the ELF header after checking the magic bytes and that the file is long enough to contain it. */
    private static ByteBuffer readHeader(FileChannel channel, Path file, long fileSize) throws IOException {
        if (fileSize == 0) {
            throw new IOException(file + " is empty, expected a shared library file such as libopenblas.so.0");
        }
        ByteBuffer header = read(channel, file, 0, (int) Math.min(fileSize, HEADER_SIZE));
        if (fileSize < MAGIC.length || !header.slice(0, MAGIC.length).equals(ByteBuffer.wrap(MAGIC))) {
            throw new IOException(file + " is not an ELF file (it does not start with the bytes 7f 45 4c 46), "
                    + "expected a shared library file such as libopenblas.so.0");
        }
        if (fileSize < HEADER_SIZE) {
            throw truncated(file, "the ELF header", BigInteger.valueOf(HEADER_SIZE), fileSize);
        }
        return header;
    }

    private static void requireClassAndByteOrder(ByteBuffer header, Path file, Platform platform)
            throws IOException {
        byte elfClass = header.get(EI_CLASS);
        if (elfClass == ELFCLASS32) {
            throw new IOException(file + " is a 32-bit ELF file, but this JVM runs on " + platform.osArch()
                    + " and ffnn loads only 64-bit libraries");
        }
        if (elfClass != ELFCLASS64) {
            throw new IOException(file + " is not a valid ELF file (its class byte is " + elfClass
                    + ", expected 2 for 64-bit)");
        }

        byte dataEncoding = header.get(EI_DATA);
        ByteOrder fileOrder;
        if (dataEncoding == ELFDATA2LSB) {
            fileOrder = ByteOrder.LITTLE_ENDIAN;
        } else if (dataEncoding == ELFDATA2MSB) {
            fileOrder = ByteOrder.BIG_ENDIAN;
        } else {
            throw new IOException(file + " is not a valid ELF file (its data encoding byte is " + dataEncoding
                    + ", expected 1 for little-endian or 2 for big-endian)");
        }
        if (fileOrder != platform.byteOrder()) {
            throw new IOException(file + " is a " + endianness(fileOrder) + " ELF file, but this JVM runs on "
                    + platform.osArch() + ", which is " + endianness(platform.byteOrder()));
        }
    }

    /** Checks {@code e_machine}. The caller must have set {@code header} to the file's byte order. */
    private static void requireMachine(ByteBuffer header, Path file, Platform platform) throws IOException {
        // NOTE: for an os.arch missing from MACHINE_BY_OS_ARCH, the machine is not checked here, and dlopen
        // rejects a library for another machine itself.
        int machine = Short.toUnsignedInt(header.getShort(18));
        if (platform.machine().isPresent() && machine != platform.machine().get()) {
            int expected = platform.machine().get();
            throw new IOException(file + " is built for " + machineName(machine) + " (ELF machine " + machine
                    + "), but this JVM runs on " + platform.osArch() + " and needs a library built for "
                    + machineName(expected) + " (ELF machine " + expected + ")");
        }
    }

    private static void requireSharedObjectType(ByteBuffer header, Path file) throws IOException {
        int type = Short.toUnsignedInt(header.getShort(16));
        if (type != ET_DYN) {
            throw new IOException(file + " is " + typeName(type) + ", not a shared library (ELF type ET_DYN)");
        }
    }

    /**
     * Checks that the program header table, every segment's bytes in the file and the section header table lie
     * within the file.
     */
    private static void requireCompleteTables(FileChannel channel, ByteBuffer header, Path file, long fileSize)
            throws IOException {
        long programHeaderOffset = header.getLong(32);
        long sectionHeaderOffset = header.getLong(40);
        int programHeaderSize = Short.toUnsignedInt(header.getShort(54));
        long programHeaderCount = Short.toUnsignedInt(header.getShort(56));
        int sectionHeaderSize = Short.toUnsignedInt(header.getShort(58));
        long sectionHeaderCount = Short.toUnsignedInt(header.getShort(60));

        // Section header 0 contains a count that does not fit into 16 bits: the section count in sh_size, marked
        // by e_shnum 0, and the program header count in sh_info, marked by e_phnum PN_XNUM.
        boolean extendedSectionCount = sectionHeaderOffset != 0 && sectionHeaderCount == 0;
        if (extendedSectionCount || programHeaderCount == PN_XNUM) {
            requireWithin(file, "section header 0", sectionHeaderOffset, SECTION_HEADER_SIZE, fileSize);
            requireEntrySize(file, "section header", sectionHeaderSize, SECTION_HEADER_SIZE);
            ByteBuffer firstSection = read(channel, file, sectionHeaderOffset, SECTION_HEADER_SIZE)
                    .order(header.order());
            if (extendedSectionCount) {
                sectionHeaderCount = firstSection.getLong(32);
            }
            if (programHeaderCount == PN_XNUM) {
                programHeaderCount = Integer.toUnsignedLong(firstSection.getInt(44));
            }
        }

        requireEntrySize(file, "program header", programHeaderSize, PROGRAM_HEADER_SIZE);
        requireCompleteProgramHeaders(channel, header.order(), file, programHeaderOffset, programHeaderCount,
                fileSize);

        if (sectionHeaderOffset != 0 && sectionHeaderCount != 0) {
            requireEntrySize(file, "section header", sectionHeaderSize, SECTION_HEADER_SIZE);
            BigInteger sectionTableSize = unsigned(sectionHeaderCount)
                    .multiply(BigInteger.valueOf(SECTION_HEADER_SIZE));
            requireWithin(file, "the section header table", unsigned(sectionHeaderOffset), sectionTableSize,
                    fileSize);
        }
    }

    /** Checks that the program header table and every segment's bytes in the file lie within the file. */
    private static void requireCompleteProgramHeaders(FileChannel channel, ByteOrder byteOrder, Path file,
                                                      long tableOffset, long count, long fileSize)
            throws IOException {
        if (count == 0) {
            throw new IOException(file + " is not a valid ELF shared library (it has no program headers, so the "
                    + "dynamic linker has no segments to map)");
        }
        long tableSize = count * PROGRAM_HEADER_SIZE;
        requireWithin(file, "the program header table", tableOffset, tableSize, fileSize);
        if (tableSize > Integer.MAX_VALUE) {
            throw new IOException(file + " is not a valid ELF shared library (its program header table has "
                    + tableSize + " bytes, more than this check reads)");
        }

        ByteBuffer table = read(channel, file, tableOffset, (int) tableSize).order(byteOrder);
        for (int i = 0; i < count; i++) {
            int entry = i * PROGRAM_HEADER_SIZE;
            long segmentOffset = table.getLong(entry + 8);
            long segmentFileSize = table.getLong(entry + 32);
            requireWithin(file, "program header " + i, segmentOffset, segmentFileSize, fileSize);
        }
    }

    private static void requireEntrySize(Path file, String entryName, int actual, int expected) throws IOException {
        if (actual != expected) {
            throw new IOException(file + " is not a valid ELF shared library (its " + entryName + " size is "
                    + actual + " bytes, expected " + expected + " for a 64-bit file)");
        }
    }

    /** Checks that the {@code length} bytes from {@code offset}, both unsigned 64-bit values, lie within the file. */
    private static void requireWithin(Path file, String part, long offset, long length, long fileSize)
            throws IOException {
        requireWithin(file, part, unsigned(offset), unsigned(length), fileSize);
    }

    private static void requireWithin(Path file, String part, BigInteger offset, BigInteger length, long fileSize)
            throws IOException {
        BigInteger end = offset.add(length);
        if (end.compareTo(BigInteger.valueOf(fileSize)) > 0) {
            throw truncated(file, part, end, fileSize);
        }
    }

    private static IOException truncated(Path file, String part, BigInteger end, long fileSize) {
        return new IOException(file + " is not a complete ELF shared library (" + part + " ends at byte " + end
                + " but the file has " + fileSize + " bytes); " + TRUNCATED_FIX);
    }

    /** Reads {@code length} bytes from {@code position}, which the caller has checked to lie within the file. */
    private static ByteBuffer read(FileChannel channel, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException(file + " ended at byte " + (position + buffer.position()) + " while its ELF "
                        + "headers were read, so another program changed it meanwhile; try again");
            }
        }
        return buffer.flip();
    }

    private static BigInteger unsigned(long value) {
        return new BigInteger(Long.toUnsignedString(value));
    }

    private static String endianness(ByteOrder order) {
        return order == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian";
    }

    private static String machineName(int machine) {
        return MACHINE_NAMES.getOrDefault(machine, "an unknown machine");
    }

    private static String typeName(int type) {
        return switch (type) {
            case 1 -> "a relocatable object file (ELF type ET_REL)";
            case 2 -> "an executable (ELF type ET_EXEC)";
            case 4 -> "a core dump (ELF type ET_CORE)";
            default -> "an ELF file of type " + type;
        };
    }
}
