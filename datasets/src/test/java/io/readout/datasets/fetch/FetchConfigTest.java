package io.readout.datasets.fetch;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The flags of {@code readout fetch}: dataset names, mirror URLs, the output folder. */
class FetchConfigTest {

    private static String refusal(String dataset, String out, String... mirrors) {
        return assertThrows(BadInputException.class,
                () -> new FetchConfig(dataset, out, List.of(mirrors)).validate()).getMessage();
    }

    @Test
    void theDatasetsOwnMirrorsUnlessMirrorsAreGiven() {
        FetchConfig own = new FetchConfig("fashion-mnist", "/tmp/f", List.of()).validate();
        assertEquals(List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
                own.mirrorUrls());
        assertEquals(List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
                new FetchConfig("MNIST", "/tmp/m", null).mirrorUrls());
        // Given mirrors replace them, in order; a missing final slash is added.
        assertEquals(List.of(URI.create("http://127.0.0.1:8080/data/"), URI.create("https://example.org/mnist/")),
                new FetchConfig("mnist", "/tmp/m", List.of("http://127.0.0.1:8080/data", "https://example.org/mnist/"))
                        .mirrorUrls());
    }

    @Test
    void theOutputFolderIsLocal() {
        assertEquals(Path.of("/tmp/x"), new FetchConfig("mnist", "file:///tmp/x", List.of()).outDir());
        assertEquals(Path.of("data/mnist").toAbsolutePath(), new FetchConfig("mnist", "data/mnist", List.of()).outDir());
        assertEquals("--out hdfs://nn/data: fetch downloads into a local folder; copy it to hdfs afterwards",
                refusal("mnist", "hdfs://nn/data"));
        assertEquals("--out: give the folder to download into", refusal("mnist", " "));
    }

    @Test
    void badInputIsOneLineNamingTheFlag() {
        assertEquals("--dataset 'cifar10': unknown; one of mnist, fashion-mnist", refusal("cifar10", "/tmp/x"));
        assertEquals("--mirror 'ftp://example.org/mnist/': not an http:// or https:// URL",
                refusal("mnist", "/tmp/x", "ftp://example.org/mnist/"));
        assertEquals("--mirror 'example.org/mnist': not an http:// or https:// URL",
                refusal("mnist", "/tmp/x", "example.org/mnist"));
        assertEquals("--mirror 'http:///mnist/': no host in the URL", refusal("mnist", "/tmp/x", "http:///mnist/"));
        assertEquals("--mirror 'http://exa mple.org/': not a URL (illegal character in authority at character 8)",
                refusal("mnist", "/tmp/x", "http://exa mple.org/"));
        assertEquals("--mirror 'https://example.org/get?file=': a folder URL has no ?query or #fragment",
                refusal("mnist", "/tmp/x", "https://example.org/get?file="));
    }

    @Test
    void everyFileHasItsFourNamesAndFullHashes() {
        for (String name : PublicIdxDatasets.names()) {
            PublicIdxDatasets.PublicDataset d = PublicIdxDatasets.named(name);
            assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz"), d.files().stream().map(PublicIdxDatasets.PublishedFile::name).toList());
            d.files().forEach(f -> f.variants().forEach(v -> assertEquals(true, v.sha256().matches("[0-9a-f]{64}"),
                    f.name() + " " + v)));
        }
    }
}
