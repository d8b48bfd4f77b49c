package io.readout.datasets.fetch;

import io.readout.datasets.Example;
import io.readout.datasets.Split;
import io.readout.datasets.TestData;
import io.readout.datasets.builders.DominoesSource;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end without the network: fetch a full-MNIST layout (generated IDX files, served with the hashes pinned for
 * them) and Fashion-MNIST (Debian's copy in {@code ../shared/data}) from mirrors on 127.0.0.1, then build dominoes
 * from the two folders exactly as fetch left them, as {@code readout prepare --dataset dominoes} does.
 */
class FetchThenDominoesTest {
    private static final int TRAIN = 200;
    private static final int T10K = 50;
    private static final int T10K_BASE = 0x80; // t10k image i is filled with 0x80 + i, train image i with i % 100

    @TempDir
    Path tmp;

    /** A gzipped IDX pair, image i filled with {@code base + i % 100}, label i % 10. */
    private static Map<String, byte[]> pair(Path scratch, String prefix, int n, int base) throws Exception {
        byte[] pixels = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) (base + i % 100));
            labels[i] = (byte) (i % 10);
        }
        Path images = scratch.resolve(prefix + "images-idx3-ubyte.gz");
        Path labelFile = scratch.resolve(prefix + "labels-idx1-ubyte.gz");
        TestData.write(images, TestData.idxImages(2051, n, 28, 28, pixels), true);
        TestData.write(labelFile, TestData.idxLabels(2049, n, labels), true);
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(images.getFileName().toString(), Files.readAllBytes(images));
        out.put(labelFile.getFileName().toString(), Files.readAllBytes(labelFile));
        return out;
    }

    @Test
    void theFetchedFoldersAreWhatDominoesReads() throws Exception {
        Path scratch = tmp.resolve("generated");
        Map<String, byte[]> mnistFiles = new LinkedHashMap<>(pair(scratch, "train-", TRAIN, 0));
        mnistFiles.putAll(pair(scratch, "t10k-", T10K, T10K_BASE));
        List<PublicIdxDatasets.PublishedFile> pinned = new ArrayList<>();
        for (String name : mnistFiles.keySet()) {
            pinned.add(new PublicIdxDatasets.PublishedFile(name, List.of(new PublicIdxDatasets.Variant("generated",
                    Files.size(scratch.resolve(name)), FetchJob.sha256(scratch.resolve(name))))));
        }
        PublicIdxDatasets.PublicDataset generated = new PublicIdxDatasets.PublicDataset("mnist", List.of(), pinned);

        Path mnist = tmp.resolve("data/mnist");
        Path fashion = tmp.resolve("data/fashion-mnist");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (MirrorServer mnistMirror = MirrorServer.serving(mnistFiles);
             MirrorServer fashionMirror = MirrorServer.serving(Path.of(TestData.fashion()))) {
            FetchJob.run(new FetchConfig("mnist", mnist.toString(), List.of(mnistMirror.url())), generated,
                    HttpClient.newHttpClient(), quiet);
            FetchJob.run(new FetchConfig("fashion-mnist", fashion.toString(), List.of(fashionMirror.url())), quiet);
        }
        // The layout prepare reads: the four gzipped files as served, beside fetch's own record.
        for (Map.Entry<String, byte[]> f : mnistFiles.entrySet()) {
            assertTrue(Arrays.equals(f.getValue(), Files.readAllBytes(mnist.resolve(f.getKey()))), f.getKey());
        }
        try (Stream<Path> names = Files.list(fashion)) {
            assertEquals(List.of("_SUCCESS", "fetch.json", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
                    "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
                    names.map(p -> p.getFileName().toString()).sorted().toList());
        }

        DominoesSource source = new DominoesSource(HadoopInputs.local(), mnist.toString(), fashion.toString(), 0.95,
                1000, 0);
        List<Example> examples = source.build();
        Map<String, Integer> counts = new HashMap<>();
        for (Example e : examples) {
            counts.merge(e.split().column(), 1, Integer::sum);
            int v = e.image()[0] & 0xff;
            boolean test = e.split() == Split.TEST;
            assertEquals(test, v >= T10K_BASE, e.id() + ": test digits from t10k-*, the others from train-*");
            assertEquals(e.attribute().intValue(), (v - (test ? T10K_BASE : 0)) % 10, e.id());
            assertTrue(e.id().contains(test ? "-mt10k" : "-mtrain"), e.id());
        }
        // Fashion-MNIST has 6000 Dresses and 6000 Coats in train (1000 each held out for val), 1000 each in t10k.
        assertEquals(Map.of("train", 10_000, "val", 2_000, "test", 2_000), counts);
        assertEquals(9_500, examples.stream().filter(e -> e.split() == Split.TRAIN && e.label() == e.attribute()).count());
        assertEquals("train and val from train-*, test from t10k-*", source.describe().get("mnist_digits"));
        assertFalse(Files.exists(mnist.resolve(FetchJob.PARTIAL_DIR)));
    }
}
