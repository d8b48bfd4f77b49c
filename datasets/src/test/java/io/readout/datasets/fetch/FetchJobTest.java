package io.readout.datasets.fetch;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.TestData;
import io.readout.datasets.idx.IdxFolder;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout fetch} against mirrors on 127.0.0.1 serving {@code ../shared/data/fashion-mnist} (Debian's copy of
 * Fashion-MNIST): what lands in the folder, resuming, servers that ignore Range, corrupt and cut-short bodies.
 */
class FetchJobTest {
    private static final Path FASHION = Path.of(TestData.fashion());
    private static final List<String> NAMES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
    private static final String DEBIAN = "Debian's dataset-fashion-mnist";
    private static MirrorServer mirror;

    @TempDir
    Path tmp;
    private Path dir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void start() {
        mirror = MirrorServer.serving(FASHION);
    }

    @AfterAll
    static void stop() {
        mirror.close();
    }

    @BeforeEach
    void fresh() {
        dir = tmp.resolve("fashion");
        mirror.clearRequests();
    }

    private FetchJob.Result fetch(String dataset, String... mirrors) {
        return FetchJob.run(new FetchConfig(dataset, dir.toString(), List.of(mirrors)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    private static List<MirrorServer.Request> plain(String... names) {
        return Stream.of(names).map(n -> new MirrorServer.Request(n, null)).toList();
    }

    private void assertComplete(String form) throws IOException {
        for (String name : NAMES) {
            assertEquals(-1, Files.mismatch(FASHION.resolve(name), dir.resolve(name)), name + " identical");
        }
        assertTrue(Files.exists(dir.resolve(FetchJob.SUCCESS)));
        assertFalse(Files.exists(dir.resolve(FetchJob.PARTIAL_DIR)), "no partial folder left");
        Map<String, Object> record = Json.readObject(Files.readString(dir.resolve(FetchJob.RECORD)), "fetch.json");
        assertEquals("fashion-mnist", record.get("dataset"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) record.get("files");
        assertEquals(NAMES, files.stream().map(f -> f.get("name")).toList());
        for (Map<String, Object> f : files) {
            Path file = FASHION.resolve((String) f.get("name"));
            assertEquals(Files.size(file), ((Number) f.get("bytes")).longValue());
            assertEquals(FetchJob.sha256(file), f.get("sha256"));
            assertEquals(form, f.get("form"));
        }
    }

    @Test
    void fetchesFashionMnistIntoAFolderPrepareReads() throws Exception {
        FetchJob.Result result = fetch("fashion-mnist", mirror.url());

        assertComplete(DEBIAN);
        assertEquals(plain(NAMES.toArray(String[]::new)), mirror.requests());
        assertFalse(result.upToDate());
        Map<String, Object> record = Json.readObject(Files.readString(dir.resolve(FetchJob.RECORD)), "fetch.json");
        assertEquals(List.of(mirror.url()), record.get("mirrors_used"));
        assertEquals(String.format("%-28s %10d bytes  downloaded from %s%s%n", NAMES.get(0), 26_421_856L, mirror.url(),
                NAMES.get(0)), printed().lines().findFirst().orElseThrow() + System.lineSeparator());
        assertTrue(printed().endsWith("wrote " + dir + System.lineSeparator()), printed());

        IdxFolder folder = new IdxFolder(HadoopInputs.local(), dir.toString(), "--images");
        assertEquals(60_000, folder.read(IdxFolder.Part.TRAIN).count());
        assertEquals(10_000, folder.read(IdxFolder.Part.T10K).count());
    }

    /** Zalando's release is Debian's data under the original gzip header: restoring it must give the pinned hashes. */
    @Test
    void zalandosReleaseIsAcceptedWithItsOwnHashes() throws Exception {
        Map<String, byte[]> release = new LinkedHashMap<>();
        for (String name : NAMES) {
            byte[] debian = Files.readAllBytes(FASHION.resolve(name));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            // FNAME flag, the release's time stamps (2017-08-31), XFL 0, OS Unix, then the file name.
            int mtime = name.startsWith("train") ? 0x59a7e9de : 0x59a7e9f3;
            b.write(new byte[] {0x1f, (byte) 0x8b, 8, 8, (byte) mtime, (byte) (mtime >> 8), (byte) (mtime >> 16),
                (byte) (mtime >>> 24), 0, 3});
            b.write(name.substring(0, name.length() - 3).getBytes(StandardCharsets.US_ASCII));
            b.write(0);
            b.write(debian, 10, debian.length - 10);
            release.put(name, b.toByteArray());
        }
        try (MirrorServer zalando = MirrorServer.serving(release)) {
            fetch("fashion-mnist", zalando.url());
        }
        PublicIdxDatasets.PublicDataset pinned = PublicIdxDatasets.named("fashion-mnist");
        for (PublicIdxDatasets.PublishedFile file : pinned.files()) {
            PublicIdxDatasets.Variant zalando = file.variants().get(0);
            assertEquals("Zalando's release", zalando.source());
            assertEquals(zalando.sha256(), FetchJob.sha256(dir.resolve(file.name())), file.name());
            assertEquals(zalando.bytes(), Files.size(dir.resolve(file.name())), file.name());
        }
        assertEquals(60_000, new IdxFolder(HadoopInputs.local(), dir.toString(), "--images")
                .read(IdxFolder.Part.TRAIN).count());
    }

    @Test
    void aPartialFileIsResumedWithARangeRequest() throws Exception {
        int n = 1_000_003;
        Path partial = Files.createDirectories(dir.resolve(FetchJob.PARTIAL_DIR)).resolve(NAMES.get(0));
        Files.write(partial, Arrays.copyOf(Files.readAllBytes(FASHION.resolve(NAMES.get(0))), n));

        fetch("fashion-mnist", mirror.url());

        assertComplete(DEBIAN);
        assertEquals(new MirrorServer.Request(NAMES.get(0), "bytes=" + n + "-"), mirror.requests().get(0));
        assertEquals(plain(NAMES.subList(1, 4).toArray(String[]::new)), mirror.requests().subList(1, 4));
        assertTrue(printed().contains("resumed at byte " + n + " from " + mirror.url() + NAMES.get(0)), printed());
    }

    @Test
    void aServerThatIgnoresRangeSendsTheWholeFileAgain() throws Exception {
        int n = 70_001;
        Path partial = Files.createDirectories(dir.resolve(FetchJob.PARTIAL_DIR)).resolve(NAMES.get(2));
        Files.write(partial, Arrays.copyOf(Files.readAllBytes(FASHION.resolve(NAMES.get(2))), n));
        try (MirrorServer ignoring = MirrorServer.serving(FASHION).ignoringRange()) {
            fetch("fashion-mnist", ignoring.url());
            assertEquals(new MirrorServer.Request(NAMES.get(2), "bytes=" + n + "-"), ignoring.requests().get(2));
            assertTrue(printed().contains("downloaded again from " + ignoring.url() + NAMES.get(2)
                    + " (the server ignored Range)"), printed());
        }
        assertComplete(DEBIAN);
    }

    @Test
    void aPartialLongerThanTheServedFileStartsAgain() throws Exception {
        // 5130 bytes: between Debian's 5125 and Zalando's 5148, so resumable in principle; the server says 416.
        Path partial = Files.createDirectories(dir.resolve(FetchJob.PARTIAL_DIR)).resolve(NAMES.get(3));
        Files.write(partial, new byte[5130]);
        fetch("fashion-mnist", mirror.url());
        assertComplete(DEBIAN);
        assertEquals(List.of(new MirrorServer.Request(NAMES.get(3), "bytes=5130-"),
                new MirrorServer.Request(NAMES.get(3), null)), mirror.requests().subList(3, 5));
    }

    @Test
    void aCorruptByteIsRefusedNamingTheHashesAndNothingIsCommitted() throws Exception {
        String name = NAMES.get(3);
        byte[] corrupt = Files.readAllBytes(FASHION.resolve(name));
        corrupt[100] ^= (byte) 0xff;
        Path corruptCopy = tmp.resolve("corrupt");
        Files.write(corruptCopy, corrupt);
        try (MirrorServer bad = MirrorServer.serving(FASHION).corrupting(name, 100)) {
            BadInputException e = assertThrows(BadInputException.class, () -> fetch("fashion-mnist", bad.url()));
            assertEquals(name + " from " + bad.url() + name + ": sha256 " + FetchJob.sha256(corruptCopy) + " (5125 bytes),"
                    + " expected 67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5 (5148 bytes, Zalando's"
                    + " release) or 8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05 (5125 bytes, Debian's"
                    + " dataset-fashion-mnist); deleted the download", e.getMessage());
        }
        try (Stream<Path> inDir = Files.list(dir)) {
            assertEquals(List.of(FetchJob.PARTIAL_DIR), inDir.map(p -> p.getFileName().toString()).toList());
        }
        try (Stream<Path> staged = Files.list(dir.resolve(FetchJob.PARTIAL_DIR))) {
            assertEquals(List.of(NAMES.get(0), NAMES.get(1), NAMES.get(2)),
                    staged.map(p -> p.getFileName().toString()).sorted((a, b) -> NAMES.indexOf(a) - NAMES.indexOf(b)).toList());
        }

        // The next run checks the three staged files without asking for them and downloads the fourth.
        fetch("fashion-mnist", mirror.url());
        assertEquals(plain(name), mirror.requests());
        assertComplete(DEBIAN);
    }

    @Test
    void aConnectionCutShortKeepsWhatCameAndTheNextRunResumes() throws Exception {
        String name = NAMES.get(1);
        try (MirrorServer cutting = MirrorServer.serving(FASHION).cuttingAfter(name, 10_000)) {
            FetchFailedException e = assertThrows(FetchFailedException.class,
                    () -> fetch("fashion-mnist", cutting.url()));
            assertTrue(e.getMessage().startsWith(name + ": no mirror sent it: " + cutting.url() + name + ": "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; 10000 bytes kept in " + dir.resolve(FetchJob.PARTIAL_DIR).resolve(name)
                    + " for the next run"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertFalse(Files.exists(dir.resolve(name)));
        assertFalse(Files.exists(dir.resolve(FetchJob.SUCCESS)));

        fetch("fashion-mnist", mirror.url());
        assertEquals(List.of(new MirrorServer.Request(name, "bytes=10000-"), new MirrorServer.Request(NAMES.get(2), null),
                new MirrorServer.Request(NAMES.get(3), null)), mirror.requests());
        assertComplete(DEBIAN);
    }

    @Test
    void mirrorsAreTriedInOrderOnNetworkErrors() throws Exception {
        try (MirrorServer empty = MirrorServer.serving(Map.of())) {
            String closed = MirrorServer.closedUrl();
            fetch("fashion-mnist", closed, empty.url(), mirror.url());
            assertEquals(plain(NAMES.toArray(String[]::new)), empty.requests());
            Map<String, Object> record = Json.readObject(Files.readString(dir.resolve(FetchJob.RECORD)), "fetch.json");
            assertEquals(List.of(closed, empty.url(), mirror.url()), record.get("mirrors"));
            assertEquals(List.of(mirror.url()), record.get("mirrors_used"));
        }
        assertComplete(DEBIAN);

    }

    /** No mirror reachable or serving the file: the user's input (exit code 2), and no folder is left behind. */
    @Test
    void mirrorsThatSendNothingAreBadInputAndLeaveNoFolder() throws Exception {
        Path other = tmp.resolve("other");
        String closed = MirrorServer.closedUrl();
        try (MirrorServer empty = MirrorServer.serving(Map.of())) {
            MirrorUnreachableException e = assertThrows(MirrorUnreachableException.class, () -> FetchJob.run(
                    new FetchConfig("fashion-mnist", other.toString(), List.of(closed, empty.url())),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().matches("train-images-idx3-ubyte\\.gz: no mirror serves it: "
                    + java.util.regex.Pattern.quote(closed) + "train-images-idx3-ubyte\\.gz: cannot connect.*; "
                    + java.util.regex.Pattern.quote(empty.url() + "train-images-idx3-ubyte.gz: HTTP 404")), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        assertFalse(Files.exists(other), "no folder made for nothing");

        // A folder that was there stays, with what it held (here: a partial download kept for a later run).
        Files.createDirectories(dir.resolve(FetchJob.PARTIAL_DIR));
        Files.write(dir.resolve(FetchJob.PARTIAL_DIR).resolve(NAMES.get(0)), new byte[] {0x1f});
        MirrorUnreachableException kept = assertThrows(MirrorUnreachableException.class,
                () -> fetch("fashion-mnist", closed));
        assertTrue(kept.getMessage().endsWith("; 1 bytes kept in " + dir.resolve(FetchJob.PARTIAL_DIR).resolve(NAMES.get(0))
                + " for the next run"), kept.getMessage());
        assertArrayEquals(new byte[] {0x1f}, Files.readAllBytes(dir.resolve(FetchJob.PARTIAL_DIR).resolve(NAMES.get(0))));
    }

    @Test
    void aRerunAsksForNothingPresent() throws Exception {
        fetch("fashion-mnist", mirror.url());
        mirror.clearRequests();
        assertTrue(fetch("fashion-mnist", mirror.url()).upToDate());
        assertEquals(List.of(), mirror.requests());

        // One file lost: only it is downloaded, and _SUCCESS comes back when the folder is whole again.
        Files.delete(dir.resolve(NAMES.get(1)));
        printed.reset();
        fetch("fashion-mnist", mirror.url());
        assertEquals(plain(NAMES.get(1)), mirror.requests());
        assertTrue(printed().contains(String.format("%-28s %10d bytes  already present", NAMES.get(0), 26_421_856L)),
                printed());
        assertComplete(DEBIAN);
        Map<String, Object> record = Json.readObject(Files.readString(dir.resolve(FetchJob.RECORD)), "fetch.json");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) record.get("files");
        assertEquals(Arrays.asList(null, mirror.url() + NAMES.get(1), null, null),
                files.stream().map(f -> f.get("url")).toList());
    }

    @Test
    void mnistIsRefusedFromAMirrorWhoseFilesAreNotTheRelease() throws Exception {
        // The 10k sample's images under the full training file's name: other bytes, other hash.
        byte[] sample = Files.readAllBytes(Path.of(TestData.mnist()).resolve("images-idx3-ubyte.gz"));
        try (MirrorServer other = MirrorServer.serving(Map.of("train-images-idx3-ubyte.gz", sample))) {
            BadInputException e = assertThrows(BadInputException.class, () -> fetch("mnist", other.url()));
            assertEquals("train-images-idx3-ubyte.gz from " + other.url() + "train-images-idx3-ubyte.gz: sha256 "
                    + FetchJob.sha256(Path.of(TestData.mnist()).resolve("images-idx3-ubyte.gz")) + " (" + sample.length
                    + " bytes), expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609 (9912422 bytes,"
                    + " the MNIST release); deleted the download", e.getMessage());
        }
        assertFalse(Files.exists(dir), "nothing left: the download deleted, no empty folder");
        // Fashion-MNIST's (larger) training images are not MNIST's: refused as soon as they outgrow MNIST's size.
        BadInputException fashionAsMnist = assertThrows(BadInputException.class, () -> fetch("mnist", mirror.url()));
        assertEquals("train-images-idx3-ubyte.gz from " + mirror.url() + "train-images-idx3-ubyte.gz: the server sends"
                + " more than 9912422 bytes, expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
                + " (9912422 bytes, the MNIST release); deleted the download", fashionAsMnist.getMessage());
        assertFalse(Files.exists(dir), "nothing left: the download deleted, no empty folder");
    }

    @Test
    void aFolderHoldingSomethingElseIsRefusedBeforeAnyRequest() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        BadInputException other = assertThrows(BadInputException.class, () -> fetch("fashion-mnist", mirror.url()));
        assertEquals("--out " + dir + ": holds other things (notes.txt); fetch writes into an empty folder or one it wrote",
                other.getMessage());
        Files.delete(dir.resolve("notes.txt"));

        // A file with a dataset's name but other contents is the user's: named, left alone.
        byte[] labels = Files.readAllBytes(Path.of(TestData.mnist()).resolve("labels-idx1-ubyte.gz"));
        Files.write(dir.resolve(NAMES.get(3)), labels);
        BadInputException wrong = assertThrows(BadInputException.class, () -> fetch("fashion-mnist", mirror.url()));
        assertTrue(wrong.getMessage().startsWith("--out " + dir + ": " + NAMES.get(3) + " is not fashion-mnist's: sha256 "
                + FetchJob.sha256(dir.resolve(NAMES.get(3))) + " (" + labels.length + " bytes), expected 67da17c7"),
                wrong.getMessage());
        assertArrayEquals(labels, Files.readAllBytes(dir.resolve(NAMES.get(3))));
        Files.delete(dir.resolve(NAMES.get(3)));

        fetch("fashion-mnist", mirror.url());
        mirror.clearRequests();
        BadInputException mnistOverFashion = assertThrows(BadInputException.class, () -> fetch("mnist", mirror.url()));
        assertEquals("--out " + dir + ": holds fashion-mnist, fetched before; fetch mnist into another folder",
                mnistOverFashion.getMessage());
        Files.delete(dir.resolve(FetchJob.RECORD));
        BadInputException mnistOverFiles = assertThrows(BadInputException.class, () -> fetch("mnist", mirror.url()));
        assertTrue(mnistOverFiles.getMessage().startsWith("--out " + dir + ": " + NAMES.get(0) + " is not mnist's: sha256 "
                + "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7 (26421856 bytes), expected 440fcabf"),
                mnistOverFiles.getMessage());
        assertEquals(List.of(), mirror.requests());
        try (Stream<Path> inDir = Files.list(dir)) {
            assertFalse(inDir.anyMatch(p -> p.getFileName().toString().equals(FetchJob.PARTIAL_DIR)));
        }

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        BadInputException notAFolder = assertThrows(BadInputException.class, () -> FetchJob.run(
                new FetchConfig("mnist", file.toString(), List.of(mirror.url())), System.out));
        assertEquals("--out " + file + ": is a file, not a folder", notAFolder.getMessage());
    }
}
