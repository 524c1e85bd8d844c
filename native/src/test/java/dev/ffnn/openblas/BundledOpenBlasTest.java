package dev.ffnn.openblas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class BundledOpenBlasTest {

    private static final int THREAD_COUNT = 8;
    private static final long CHILD_TIMEOUT_SECONDS = 120;
    private static final String CACHE_FIX =
            "set environment variable FFNN_CACHE_DIR or system property ffnn.cache.dir to a writable directory";

    @Test
    void extractionCopiesFourFilesWithJarBytes(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(cacheDirectory, directory.getParent());
        assertEquals(List.of(directory), entries(cacheDirectory), "cache directory entries");
        assertEquals(List.copyOf(BundledOpenBlas.FILE_NAMES).stream().sorted().toList(),
                entries(directory).stream().map(path -> path.getFileName().toString()).toList(),
                "extracted file names");
        for (String fileName : BundledOpenBlas.FILE_NAMES) {
            assertEquals(resourceSha256(fileName), fileSha256(directory.resolve(fileName)),
                    "SHA-256 of extracted " + fileName + " against the jar's bytes");
        }
    }

    @Test
    void extractionNamesDirectoryByVersionAndChecksum(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String fileName : BundledOpenBlas.FILE_NAMES) {
            try (InputStream in = openResource(fileName);
                 OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
                in.transferTo(sink);
            }
        }
        String expectedName = "openblas-0.3.31-" + HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        assertEquals(expectedName, directory.getFileName().toString());
    }

    @Test
    void completeDirectoryIsReusedAsItIs(@TempDir Path cacheDirectory) throws Exception {
        Path first = BundledOpenBlas.extract(cacheDirectory);
        Path library = first.resolve(BundledOpenBlas.LIBRARY_FILE_NAME);
        FileTime marker = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(library, marker);

        Path second = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(first, second);
        assertEquals(marker, Files.getLastModifiedTime(library), "the reused library file was rewritten");
        assertEquals(List.of(first), entries(cacheDirectory), "cache directory entries");
    }

    @Test
    void truncatedFileIsReplaced(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);
        Path gfortran = directory.resolve("libgfortran.so.5");
        Files.write(gfortran, new byte[] {1, 2, 3});

        Path repaired = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(directory, repaired);
        assertEquals(resourceSha256("libgfortran.so.5"), fileSha256(gfortran), "SHA-256 of repaired libgfortran.so.5");
        assertEquals(List.of(directory), entries(cacheDirectory), "cache directory entries after the repair");
    }

    @Test
    void zeroedLibraryIsReplaced(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);
        Path library = directory.resolve(BundledOpenBlas.LIBRARY_FILE_NAME);
        Files.write(library, new byte[(int) Files.size(library)]);

        Path repaired = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(directory, repaired);
        assertEquals(resourceSha256(BundledOpenBlas.LIBRARY_FILE_NAME), fileSha256(library),
                "SHA-256 of repaired " + BundledOpenBlas.LIBRARY_FILE_NAME);
        assertEquals(List.of(directory), entries(cacheDirectory), "cache directory entries after the repair");
    }

    @Test
    void changedByteIsReplaced(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);
        Path gfortran = directory.resolve("libgfortran.so.5");
        // A byte in the middle lies inside a segment, so the file stays a complete ELF shared library.
        byte[] bytes = Files.readAllBytes(gfortran);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(gfortran, bytes);
        ElfCheck.requireSharedLibrary(gfortran, ElfCheck.Platform.of("amd64", ByteOrder.LITTLE_ENDIAN));

        Path repaired = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(directory, repaired);
        assertEquals(resourceSha256("libgfortran.so.5"), fileSha256(gfortran), "SHA-256 of repaired libgfortran.so.5");
    }

    @Test
    void zeroedCacheLoadsAfterRepair(@TempDir Path cacheDirectory) throws Exception {
        Path directory = BundledOpenBlas.extract(cacheDirectory);
        Path library = directory.resolve(BundledOpenBlas.LIBRARY_FILE_NAME);
        Files.write(library, new byte[(int) Files.size(library)]);

        Candidate.Opened opened = BundledOpenBlas.open(cacheDirectory);

        assertEquals(library, opened.path());
        assertTrue(opened.lookup().find("cblas_dgemm").isPresent(), "lookup of cblas_dgemm");
    }

    @Test
    void eightThreadsExtractIntoOneDirectory(@TempDir Path cacheDirectory) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Path>> results = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(THREAD_COUNT)) {
            for (int i = 0; i < THREAD_COUNT; i++) {
                results.add(executor.submit(() -> {
                    start.await();
                    return BundledOpenBlas.extract(cacheDirectory);
                }));
            }
            start.countDown();
        }

        Path expected = results.getFirst().get();
        for (int i = 0; i < THREAD_COUNT; i++) {
            assertEquals(expected, results.get(i).get(), "directory returned to thread " + i);
        }
        assertEquals(List.of(expected), entries(cacheDirectory), "cache directory entries, staging ones included");
        assertEquals(BundledOpenBlas.FILE_NAMES.size(), entries(expected).size(), "file count in " + expected);
    }

    @Test
    void twoProcessesExtractIntoOneDirectory(@TempDir Path cacheDirectory) throws Exception {
        List<Process> processes = List.of(startExtractor(cacheDirectory), startExtractor(cacheDirectory));
        List<BufferedReader> outputs = processes.stream()
                .map(process -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
                .toList();
        for (BufferedReader output : outputs) {
            assertEquals(ExtractionRaceMain.READY, output.readLine(), "first line of an extractor process");
        }

        // Release both processes at once.
        for (Process process : processes) {
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
        }

        List<String> directories = new ArrayList<>();
        for (int i = 0; i < processes.size(); i++) {
            directories.add(outputs.get(i).readLine());
            assertTrue(processes.get(i).waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "extractor process " + i + " did not exit within " + CHILD_TIMEOUT_SECONDS + " s");
            assertEquals(0, processes.get(i).exitValue(), "exit status of extractor process " + i);
        }
        assertEquals(directories.get(0), directories.get(1), "directories returned to the two processes");
        assertEquals(List.of(Path.of(directories.get(0))), entries(cacheDirectory), "cache directory entries");
    }

    @Test
    void cacheDirectoryOnFileSaysNotDirectory(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("cache"), "a file");

        IOException e = assertThrows(IOException.class, () -> BundledOpenBlas.extract(file));

        assertEquals("cache directory " + file + " is not a directory; " + CACHE_FIX, e.getMessage());
        assertInstanceOf(FileAlreadyExistsException.class, e.getCause());
    }

    @Test
    void cacheDirectoryInsideFileNamesThatFile(@TempDir Path directory) throws Exception {
        Path file = Files.writeString(directory.resolve("cache"), "a file");
        Path inside = file.resolve("ffnn");

        IOException e = assertThrows(IOException.class, () -> BundledOpenBlas.extract(inside));

        assertEquals("cache directory " + inside + " cannot be created, because " + file
                + " is a file, not a directory; " + CACHE_FIX, e.getMessage());
    }

    @Test
    void readOnlyCacheDirectorySaysNotWritable(@TempDir Path directory) throws Exception {
        Path cache = Files.createDirectory(directory.resolve("cache"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(cache), "this user writes into read-only directories, e.g. root");

            IOException e = assertThrows(IOException.class, () -> BundledOpenBlas.extract(cache));

            assertEquals("cache directory " + cache + " is not writable: permission denied; " + CACHE_FIX,
                    e.getMessage());
        } finally {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void extractionRemovesAbandonedStagingDirectories(@TempDir Path cacheDirectory) throws Exception {
        Path abandoned = stagingDirectory(cacheDirectory, ".openblas-0.3.30-0123456789abcdef.staging-1", 2);
        Path recent = stagingDirectory(cacheDirectory, ".openblas-0.3.30-0123456789abcdef.staging-2", 0);
        Path unrelated = stagingDirectory(cacheDirectory, ".other.staging-3", 2);

        Path target = BundledOpenBlas.extract(cacheDirectory);

        assertEquals(List.of(recent, unrelated, target).stream().sorted().toList(), entries(cacheDirectory),
                "cache directory entries: " + abandoned + " should be gone");
    }

    @Test
    void reuseRemovesAbandonedStagingDirectories(@TempDir Path cacheDirectory) throws Exception {
        Path target = BundledOpenBlas.extract(cacheDirectory);
        Path abandoned = stagingDirectory(cacheDirectory,
                BundledOpenBlas.stagingPrefix(BundledOpenBlas.Bundle.scan()) + "killed", 2);

        BundledOpenBlas.extract(cacheDirectory);

        assertEquals(List.of(target), entries(cacheDirectory), "cache directory entries: " + abandoned
                + " should be gone");
    }

    @Test
    void stagingNamesMatchOnlyThisLoader() {
        assertTrue(BundledOpenBlas.isStagingName(".openblas-0.3.31-0123456789abcdef.staging-123"), "staging");
        assertTrue(BundledOpenBlas.isStagingName(".openblas-0.3.31-0123456789abcdef.stale-123"), "moved aside");
        assertFalse(BundledOpenBlas.isStagingName("openblas-0.3.31-0123456789abcdef"), "target directory");
        assertFalse(BundledOpenBlas.isStagingName(".openblas-0.3.31-0123456789abcdef"), "hidden target name");
        assertFalse(BundledOpenBlas.isStagingName(".other.staging-123"), "another program's directory");
    }

    /**
     * Creates a staging directory with one partial file, as a killed extraction leaves it, last modified
     * {@code ageHours} hours ago.
     */
    private static Path stagingDirectory(Path cacheDirectory, String name, int ageHours) throws IOException {
        Path staging = Files.createDirectory(cacheDirectory.resolve(name));
        Files.write(staging.resolve("libgcc_s.so.1"), new byte[] {1, 2, 3});
        Instant modified = Instant.now().minus(Duration.ofHours(ageHours));
        Files.setLastModifiedTime(staging, FileTime.from(modified));
        return staging;
    }

    private static Process startExtractor(Path cacheDirectory) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                ExtractionRaceMain.class.getName(), cacheDirectory.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static List<Path> entries(Path directory) throws IOException {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.sorted().toList();
        }
    }

    private static String resourceSha256(String fileName) throws Exception {
        try (InputStream in = openResource(fileName)) {
            return sha256(in);
        }
    }

    private static String fileSha256(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return sha256(in);
        }
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
            in.transferTo(sink);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static InputStream openResource(String fileName) throws IOException {
        String name = "org/bytedeco/openblas/linux-x86_64/" + fileName;
        InputStream in = BundledOpenBlasTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("class path resource " + name + " not found");
        }
        return in;
    }
}
