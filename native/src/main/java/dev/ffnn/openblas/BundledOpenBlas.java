package dev.ffnn.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * The OpenBLAS that {@code org.bytedeco:openblas} ships for linux-x86_64, copied out of the class path
 * into a per-user cache directory and opened from there.
 *
 * <p>Only the shared libraries of that jar are used, never its JNI libraries. The copy lives in
 * {@code <cache>/openblas-<version>-<first 16 hex digits of the SHA-256 over the four files>/}, so a
 * changed jar gets a new directory. Extraction is safe when several threads or processes start at
 * once: each one writes into its own staging directory beside the target, syncs it to disk and
 * renames it into place atomically. A process that loses the race deletes its copy and uses the
 * winner's. Every call of {@link #extract} also deletes the staging and stale directories that killed
 * processes left behind, once they are older than {@link CacheDirectory#ABANDONED_AFTER}.
 *
 * <p>A cache directory counts as complete only when every file has the jar's size and the SHA-256 over all four
 * files matches the jar's. {@link #extract} replaces any other directory with a fresh copy, so a truncated or
 * damaged file is repaired on the next start.
 */
final class BundledOpenBlas {

    /** Class path folder of the linux-x86_64 libraries inside the openblas jar. */
    static final String RESOURCE_FOLDER = "org/bytedeco/openblas/linux-x86_64/";

    /** File name of OpenBLAS itself inside {@link #RESOURCE_FOLDER}. */
    static final String LIBRARY_FILE_NAME = "libopenblas.so.0";

    /**
     * The files copied, dependencies before dependents, with OpenBLAS last. libopenblas.so.0 needs libgfortran.so.5, which
     * needs libquadmath.so.0 and libgcc_s.so.1 (readelf -d on the 0.3.31-1.5.13 jar).
     */
    static final List<String> FILE_NAMES =
            List.of("libgcc_s.so.1", "libquadmath.so.0", "libgfortran.so.5", LIBRARY_FILE_NAME);

    /** Start of the name of every cache directory, whatever the version and checksum. */
    private static final String DIRECTORY_NAME_PREFIX = "openblas-";

    /** Part of a staging directory's name between the target directory's name and a random suffix. */
    private static final String STAGING_INFIX = ".staging-";

    /** Part of the name of an incomplete cache directory that is being deleted, before a random suffix. */
    private static final String STALE_INFIX = ".stale-";

    private static final String PROPERTIES_RESOURCE = "bundled.properties";
    private static final Properties PROPERTIES = readProperties();

    private BundledOpenBlas() {
    }

    /** Returns the OpenBLAS version of the bundled copy, such as {@code 0.3.31}. */
    static String version() {
        return PROPERTIES.getProperty("openblas.version");
    }

    /** Returns the Maven coordinates of the jar that ships the bundled copy. */
    static String artifact() {
        return PROPERTIES.getProperty("openblas.artifact");
    }

    /** Describes the bundled copy, such as "bundled OpenBLAS 0.3.31 from org.bytedeco:...". */
    static String describe() {
        return "bundled OpenBLAS " + version() + " from " + artifact();
    }

    /**
     * Copies the bundled libraries into the cache if needed, then opens them for the life of the
     * process.
     *
     * <p>The dependencies open first, by absolute path. The dynamic linker then finds each of them
     * among the loaded libraries by soname. This matters for libgfortran.so.5, which has no RUNPATH:
     * without it loaded first, the linker would look for libquadmath.so.0 and libgcc_s.so.1 on the
     * system search path only. {@link Candidate#openFile} checks each file with {@link ElfCheck} before the
     * dynamic linker opens it.
     *
     * @throws IOException if this platform is not linux-x86_64, or a resource is missing, or a file
     *                     cannot be written
     */
    static Candidate.Opened open(Path cacheDirectory) throws IOException {
        requireSupportedPlatform();
        Path directory = extract(cacheDirectory);
        for (String dependency : FILE_NAMES.subList(0, FILE_NAMES.size() - 1)) {
            Candidate.openFile(directory.resolve(dependency));
        }
        return Candidate.openFile(directory.resolve(LIBRARY_FILE_NAME));
    }

    /**
     * Copies the bundled libraries into a directory under {@code cacheDirectory} unless a complete copy
     * is already there, and returns that directory. An incomplete or damaged copy is replaced.
     *
     * @throws IOException if a resource is missing or a file cannot be written
     */
    static Path extract(Path cacheDirectory) throws IOException {
        Bundle bundle = Bundle.scan();
        Path target = cacheDirectory.resolve(bundle.directoryName());
        if (bundle.isCompleteIn(target)) {
            CacheDirectory.removeAbandonedStaging(cacheDirectory, BundledOpenBlas::isStagingName, Instant.now());
            return target;
        }

        // Stage a full copy beside the target, so the rename below stays on one file system.
        CacheDirectory.create(cacheDirectory);
        CacheDirectory.removeAbandonedStaging(cacheDirectory, BundledOpenBlas::isStagingName, Instant.now());
        Path staging = CacheDirectory.createStagingDirectory(cacheDirectory, stagingPrefix(bundle));
        Path published;
        try {
            bundle.copyInto(staging, cacheDirectory);
            syncDirectory(staging);
            published = publish(staging, target, bundle);
        } catch (IOException | RuntimeException failure) {
            deleteAfterFailure(staging, failure);
            throw failure;
        }

        // The staging directory is still there only when another thread or process published first.
        CacheDirectory.deleteDirectory(staging);
        return published;
    }

    /**
     * Returns the name prefix of staging directories. It starts with a dot, so it never clashes with a
     * target directory.
     */
    static String stagingPrefix(Bundle bundle) {
        return "." + bundle.directoryName() + STAGING_INFIX;
    }

    /**
     * Returns whether {@code fileName} is the name of a staging directory, or of an incomplete directory moved
     * aside for deletion, of any bundle version.
     */
    static boolean isStagingName(String fileName) {
        return fileName.startsWith("." + DIRECTORY_NAME_PREFIX)
                && (fileName.contains(STAGING_INFIX) || fileName.contains(STALE_INFIX));
    }

    /**
     * Renames a complete staging directory to {@code target}, unless another thread or process
     * published a complete copy first, and returns the target.
     */
    private static Path publish(Path staging, Path target, Bundle bundle) throws IOException {
        try {
            moveAtomically(staging, target);
            return target;
        } catch (IOException renameFailure) {
            if (bundle.isCompleteIn(target)) {
                return target;
            }
            if (!Files.exists(target)) {
                throw renameFailure;
            }
        }

        // The target exists but is incomplete, for example after someone deleted a file in it.
        moveAside(target);
        try {
            moveAtomically(staging, target);
        } catch (IOException renameFailure) {
            if (!bundle.isCompleteIn(target)) {
                throw renameFailure;
            }
        }
        return target;
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.getParent());
    }

    /** Renames an incomplete cache directory to a unique hidden name and deletes it. */
    private static void moveAside(Path directory) throws IOException {
        Path stale = directory.resolveSibling("." + directory.getFileName() + STALE_INFIX + UUID.randomUUID());
        try {
            Files.move(directory, stale, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException movedByAnotherProcess) {
            return;
        }
        CacheDirectory.deleteDirectory(stale);
    }

    private static void deleteAfterFailure(Path directory, Exception failure) {
        try {
            CacheDirectory.deleteDirectory(directory);
        } catch (IOException cleanupFailure) {
            failure.addSuppressed(cleanupFailure);
        }
    }

    private static void requireSupportedPlatform() throws IOException {
        String osName = System.getProperty("os.name");
        String osArch = System.getProperty("os.arch");
        if (!osName.equals("Linux") || !(osArch.equals("amd64") || osArch.equals("x86_64"))) {
            throw new IOException("the bundled OpenBLAS is built for linux-x86_64, but this JVM runs on "
                    + osName + "/" + osArch);
        }
    }

    /**
     * Flushes a directory's entries to disk, so a rename into it or of a file in it survives a crash.
     * Linux allows opening a directory for reading to call fsync on it.
     */
    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static InputStream openResource(String fileName) throws IOException {
        String name = RESOURCE_FOLDER + fileName;
        InputStream in = BundledOpenBlas.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("class path resource " + name + " not found: add " + artifact()
                    + " to the class path");
        }
        return in;
    }

    private static Properties readProperties() {
        try (InputStream in = BundledOpenBlas.class.getResourceAsStream(PROPERTIES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class path resource dev/ffnn/openblas/" + PROPERTIES_RESOURCE
                        + " not found: the ffnn-native jar is incomplete, rebuild it with Maven");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dev/ffnn/openblas/" + PROPERTIES_RESOURCE, e);
        }
    }

    /** One bundled file and its size in bytes. */
    record BundledFile(String name, long byteSize) {
    }

    /**
     * The bundled files with their sizes, and the cache directory name derived from their contents.
     *
     * @param directoryName {@code openblas-<version>-<16 hex digits of SHA-256>}
     * @param files         the files in {@link #FILE_NAMES} order
     * @param sha256        the SHA-256 of the files' bytes joined in that order, as 64 hex digits
     */
    record Bundle(String directoryName, List<BundledFile> files, String sha256) {

        private static final int DIRECTORY_CHECKSUM_HEX_DIGITS = 16;

        /** Reads every bundled file once, streaming, to measure it and to compute the checksum. */
        static Bundle scan() throws IOException {
            MessageDigest sha256 = newSha256();
            List<BundledFile> files = new ArrayList<>();
            try (OutputStream digestSink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
                for (String fileName : FILE_NAMES) {
                    try (InputStream in = openResource(fileName)) {
                        files.add(new BundledFile(fileName, in.transferTo(digestSink)));
                    }
                }
            }
            String checksum = HexFormat.of().formatHex(sha256.digest());
            String directoryName = DIRECTORY_NAME_PREFIX + version() + "-"
                    + checksum.substring(0, DIRECTORY_CHECKSUM_HEX_DIGITS);
            return new Bundle(directoryName, List.copyOf(files), checksum);
        }

        /**
         * Returns whether {@code directory} contains every file with its expected size and with the jar's bytes,
         * compared by SHA-256.
         *
         * <p>The SHA-256 catches a file damaged inside, such as one overwritten with zeros, which the dynamic
         * linker could crash on or reject with a misleading error. Hashing the files again costs less than
         * {@link #scan}, which every start already runs and which inflates the same bytes before hashing them.
         */
        boolean isCompleteIn(Path directory) throws IOException {
            try {
                for (BundledFile file : files) {
                    Path path = directory.resolve(file.name());
                    if (!Files.isRegularFile(path) || Files.size(path) != file.byteSize()) {
                        return false;
                    }
                }
                return sha256Of(directory).equals(sha256);
            } catch (NoSuchFileException movedAsideByAnotherProcess) {
                return false;
            }
        }

        private String sha256Of(Path directory) throws IOException {
            MessageDigest digest = newSha256();
            try (OutputStream digestSink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
                for (BundledFile file : files) {
                    try (InputStream in = Files.newInputStream(directory.resolve(file.name()))) {
                        in.transferTo(digestSink);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        }

        /**
         * Copies every file into {@code directory}, a staging directory in {@code cacheDirectory}, and syncs
         * each one to disk.
         */
        void copyInto(Path directory, Path cacheDirectory) throws IOException {
            for (BundledFile file : files) {
                copyResource(file, directory.resolve(file.name()), cacheDirectory);
            }
        }

        private static void copyResource(BundledFile file, Path target, Path cacheDirectory) throws IOException {
            long byteCount;
            try (InputStream in = openResource(file.name())) {
                try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    byteCount = in.transferTo(Channels.newOutputStream(out));
                    out.force(true);
                } catch (IOException e) {
                    throw CacheDirectory.writeFailure(cacheDirectory, target, e);
                }
            }
            if (byteCount != file.byteSize()) {
                throw new IOException("class path resource " + RESOURCE_FOLDER + file.name() + " changed while "
                        + "it was copied: read " + byteCount + " bytes, expected " + file.byteSize());
            }
        }

        private static MessageDigest newSha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform must support SHA-256", e);
            }
        }
    }
}
