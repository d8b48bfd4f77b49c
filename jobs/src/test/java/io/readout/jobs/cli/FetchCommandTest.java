package io.readout.jobs.cli;

import io.readout.datasets.TestData;
import io.readout.datasets.fetch.FetchJob;
import io.readout.datasets.fetch.MirrorServer;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout fetch} on the command line, against mirrors on 127.0.0.1: what it prints, its exit codes; no Spark. */
class FetchCommandTest {
    private static final Path FASHION = Path.of(TestData.fashion());

    @TempDir
    Path tmp;

    @Test
    void fetchesPrintingOneLinePerFileThenSaysItIsUpToDate() throws Exception {
        Path out = tmp.resolve("fashion-mnist");
        try (MirrorServer mirror = MirrorServer.serving(FASHION)) {
            CliRun run = CliRun.of("fetch", "--dataset", "fashion-mnist", "--out", out.toString(), "--mirror", mirror.url());
            assertEquals(0, run.code(), run.err());
            assertEquals("", run.err());
            String u = mirror.url();
            assertEquals(List.of(
                    "train-images-idx3-ubyte.gz     26421856 bytes  downloaded from " + u + "train-images-idx3-ubyte.gz",
                    "train-labels-idx1-ubyte.gz        29491 bytes  downloaded from " + u + "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz       4422079 bytes  downloaded from " + u + "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz          5125 bytes  downloaded from " + u + "t10k-labels-idx1-ubyte.gz",
                    "wrote " + out), run.out().lines().toList());
            assertTrue(Files.exists(out.resolve(FetchJob.SUCCESS)));

            mirror.clearRequests();
            CliRun again = CliRun.of("fetch", "--dataset", "fashion-mnist", "--out", out.toString(), "--mirror", u);
            assertEquals(0, again.code(), again.err());
            assertEquals(out + ": up to date (fashion-mnist, 4 files, sha256 checked)" + System.lineSeparator(), again.out());
            assertEquals(List.of(), mirror.requests());
        }
    }

    @Test
    void aWrongHashIsExitCodeTwoInOneLine() throws Exception {
        Path out = tmp.resolve("fashion-mnist");
        try (MirrorServer bad = MirrorServer.serving(FASHION).corrupting("train-labels-idx1-ubyte.gz", 8)) {
            CliRun run = CliRun.of("fetch", "--dataset", "fashion-mnist", "--out", out.toString(), "--mirror", bad.url());
            assertEquals(2, run.code(), run.err());
            assertEquals(1, run.errLines().length, run.err());
            assertTrue(run.errLines()[0].matches("readout fetch: train-labels-idx1-ubyte\\.gz from "
                    + java.util.regex.Pattern.quote(bad.url()) + "train-labels-idx1-ubyte\\.gz: sha256 [0-9a-f]{64} "
                    + "\\(29491 bytes\\), expected a04f1713\\S+ \\(29515 bytes, Zalando's release\\) or 0ae29f65\\S+ "
                    + "\\(29491 bytes, Debian's dataset-fashion-mnist\\); deleted the download"), run.err());
        }
        assertFalse(Files.exists(out.resolve("train-labels-idx1-ubyte.gz")));
        assertFalse(Files.exists(out.resolve(".partial/train-labels-idx1-ubyte.gz")));
        assertFalse(Files.exists(out.resolve("train-images-idx3-ubyte.gz")), "nothing enters the folder");
    }

    @Test
    void mnistFromAMirrorWithOtherFilesIsExitCodeTwo() throws Exception {
        byte[] labels = Files.readAllBytes(Path.of(TestData.mnist()).resolve("labels-idx1-ubyte.gz"));
        byte[] images = Files.readAllBytes(Path.of(TestData.mnist()).resolve("images-idx3-ubyte.gz"));
        try (MirrorServer other = MirrorServer.serving(Map.of("train-images-idx3-ubyte.gz", images,
                "train-labels-idx1-ubyte.gz", labels))) {
            CliRun run = CliRun.of("fetch", "--dataset", "mnist", "--out", tmp.resolve("mnist").toString(),
                    "--mirror", other.url());
            assertEquals(2, run.code(), run.err());
            assertEquals(1, run.errLines().length, run.err());
            assertTrue(run.errLines()[0].startsWith("readout fetch: train-images-idx3-ubyte.gz from " + other.url()
                    + "train-images-idx3-ubyte.gz: sha256 "), run.err());
            assertTrue(run.errLines()[0].contains(", expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
                    + " (9912422 bytes, the MNIST release); deleted the download"), run.err());
        }
    }

    @Test
    void anUnreachableMirrorIsExitCodeTwoInOneLine() {
        Path out = tmp.resolve("mnist");
        String closed = MirrorServer.closedUrl();
        CliRun run = CliRun.of("fetch", "--dataset", "mnist", "--out", out.toString(), "--mirror", closed);
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.errLines()[0].startsWith("readout fetch: train-images-idx3-ubyte.gz: no mirror serves it: " + closed
                + "train-images-idx3-ubyte.gz: cannot connect"), run.err());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aDownloadCutShortIsExitCodeOneAndTheRerunResumesIt() throws Exception {
        Path out = tmp.resolve("fashion-mnist");
        String name = "t10k-images-idx3-ubyte.gz";
        try (MirrorServer cutting = MirrorServer.serving(FASHION).cuttingAfter(name, 100_000)) {
            CliRun run = CliRun.of("fetch", "--dataset", "fashion-mnist", "--out", out.toString(), "--mirror", cutting.url());
            assertEquals(1, run.code(), run.err());
            assertEquals(1, run.errLines().length, run.err());
            assertTrue(run.errLines()[0].startsWith("readout fetch: " + name + ": no mirror sent it: " + cutting.url() + name),
                    run.err());
            assertTrue(run.errLines()[0].endsWith("; 100000 bytes kept in " + out.resolve(".partial").resolve(name)
                    + " for the next run"), run.err());
        }
        try (java.util.stream.Stream<Path> top = Files.list(out)) {
            assertEquals(List.of(".partial"), top.map(p -> p.getFileName().toString()).toList(), "nothing in place yet");
        }
        try (MirrorServer mirror = MirrorServer.serving(FASHION)) {
            CliRun again = CliRun.of("fetch", "--dataset", "fashion-mnist", "--out", out.toString(), "--mirror", mirror.url());
            assertEquals(0, again.code(), again.err());
            assertEquals(List.of(new MirrorServer.Request(name, "bytes=100000-"),
                    new MirrorServer.Request("t10k-labels-idx1-ubyte.gz", null)), mirror.requests());
            assertTrue(again.out().contains(name + "       4422079 bytes  resumed at byte 100000 from "), again.out());
        }
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", name, "t10k-labels-idx1-ubyte.gz")) {
            assertEquals(-1, Files.mismatch(FASHION.resolve(f), out.resolve(f)), f);
        }
        assertFalse(Files.exists(out.resolve(".partial")));
    }

    @Test
    void badFlagsAndAFolderHoldingOtherThingsAreExitCodeTwo() throws Exception {
        Path out = tmp.resolve("out");
        CliRun unknown = CliRun.of("fetch", "--dataset", "cifar10", "--out", out.toString());
        assertEquals(2, unknown.code(), unknown.err());
        assertArrayEquals(new String[] {"readout fetch: --dataset 'cifar10': unknown; one of mnist, fashion-mnist"},
                unknown.errLines());

        CliRun malformed = CliRun.of("fetch", "--dataset", "mnist", "--out", out.toString(), "--mirror", "127.0.0.1:8000/mnist");
        assertEquals(2, malformed.code(), malformed.err());
        assertArrayEquals(new String[] {"readout fetch: --mirror '127.0.0.1:8000/mnist': not an http:// or https:// URL"},
                malformed.errLines());
        assertFalse(Files.exists(out));

        Files.createDirectories(out);
        Files.writeString(out.resolve("results.csv"), "a,b\n");
        CliRun occupied = CliRun.of("fetch", "--dataset", "mnist", "--out", out.toString(), "--mirror", "http://127.0.0.1:9/");
        assertEquals(2, occupied.code(), occupied.err());
        assertArrayEquals(new String[] {"readout fetch: --out " + out + ": holds other things (results.csv); fetch writes"
                + " into an empty folder or one it wrote"}, occupied.errLines());
        try (java.util.stream.Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(out.resolve("results.csv")), left.toList());
        }

        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun isFile = CliRun.of("fetch", "--dataset", "mnist", "--out", file.toString(), "--mirror", "http://127.0.0.1:9/");
        assertEquals(2, isFile.code(), isFile.err());
        assertArrayEquals(new String[] {"readout fetch: --out " + file + ": is a file, not a folder"}, isFile.errLines());
        assertEquals("x", Files.readString(file));

        CliRun noOut = CliRun.of("fetch", "--dataset", "mnist");
        assertEquals(2, noOut.code(), noOut.err());
        assertEquals(1, noOut.errLines().length, noOut.err());
    }

    @Test
    void helpNamesTheMirrorsAndTheExitCodes() {
        CliRun help = CliRun.of("fetch", "--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().contains("--mirror=URL"), help.out());
        assertTrue(help.out().contains("https://ossci-datasets.s3.amazonaws.com/mnist/"), help.out());
        assertTrue(help.out().contains("Exit codes: 0 complete; 2 bad flags"), help.out());
        assertTrue(help.out().lines().allMatch(l -> l.length() <= 80), help.out());
    }
}
