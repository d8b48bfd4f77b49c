package io.readout.datasets.fetch;

import io.readout.common.BadInputException;

import java.util.List;
import java.util.Locale;

/**
 * The public IDX datasets {@code readout fetch} downloads: their four files, the exact bytes accepted for
 * each (size and SHA-256) and the mirrors that serve them, tried in order.
 *
 * <p>MNIST: sizes and SHA-256 from TensorFlow Datasets' {@code tensorflow_datasets/url_checksums/mnist.txt}
 * (the files of {@code storage.googleapis.com/cvdf-datasets/mnist/}). Loaders that pin the same four SHA-256
 * values fetch them from {@code yann.lecun.com} and from {@code ossci-datasets.s3.amazonaws.com}; torchvision's
 * {@code datasets/mnist.py}, whose mirrors are those two, gives the MD5s f68b3c2dcbeaaa9fbdd348bbdeb94873,
 * d53e105ee54ea40749a09fcbcd1e9432, 9fb629c4189551a2d022fa330f9573f3 and ec29112dd5afa0611ce80d1b7f02629c
 * (in the order below). No full MNIST file was at hand to hash here.
 *
 * <p>Fashion-MNIST: two forms of the same data are accepted.
 * <ul>
 *   <li>Zalando's release (its S3 site and the GitHub repository's {@code data/fashion/}): sizes and SHA-256
 *   from TensorFlow Datasets' {@code url_checksums/fashion_mnist.txt}. Checked here: the two label files of
 *   the repository hash to these values and to the MD5s of Zalando's README; the two image files, rebuilt from
 *   Debian's (below) by restoring the release's gzip header, hash to these values and to the README's MD5s.</li>
 *   <li>Debian's package {@code dataset-fashion-mnist} 0.0~git20200523.55506a9-1
 *   ({@code /usr/share/datasets/fashion-mnist/}, the copy in {@code ../shared/data/fashion-mnist}): the same
 *   compressed data under a rewritten 10-byte gzip header (no file name, another time stamp), hence other
 *   sizes and hashes; computed from the package's files.</li>
 * </ul>
 */
public final class PublicIdxDatasets {
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";

    private static final String MNIST_RELEASE = "the MNIST release";
    private static final String ZALANDO = "Zalando's release";
    private static final String DEBIAN = "Debian's dataset-fashion-mnist";

    /** One accepted form of a file: where it comes from, its size and its SHA-256 (lower-case hex). */
    public record Variant(String source, long bytes, String sha256) {
    }

    /** One file of a dataset and every form of it that is accepted. */
    public record PublishedFile(String name, List<Variant> variants) {
        /** The form with this size and hash, or null. */
        public Variant match(long bytes, String sha256) {
            for (Variant v : variants) {
                if (v.bytes() == bytes && v.sha256().equals(sha256)) {
                    return v;
                }
            }
            return null;
        }

        public boolean hasSize(long bytes) {
            return variants.stream().anyMatch(v -> v.bytes() == bytes);
        }

        public long maxBytes() {
            return variants.stream().mapToLong(Variant::bytes).max().orElse(0);
        }

        /** The accepted hashes for a message, e.g. {@code 3aede3… (Zalando's release) or b0564c… (Debian's …)}. */
        public String expected() {
            StringBuilder s = new StringBuilder();
            for (Variant v : variants) {
                if (s.length() > 0) {
                    s.append(" or ");
                }
                s.append(v.sha256()).append(" (").append(v.bytes()).append(" bytes, ").append(v.source()).append(')');
            }
            return s.toString();
        }
    }

    /** A dataset: its name, the mirrors tried in order (each ends with '/') and its files in download order. */
    public record PublicDataset(String name, List<String> mirrors, List<PublishedFile> files) {
    }

    private static final PublicDataset MNIST_DATASET = new PublicDataset(MNIST,
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/",
                    "https://storage.googleapis.com/cvdf-datasets/mnist/"),
            List.of(
                    file("train-images-idx3-ubyte.gz", new Variant(MNIST_RELEASE, 9_912_422,
                            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")),
                    file("train-labels-idx1-ubyte.gz", new Variant(MNIST_RELEASE, 28_881,
                            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c")),
                    file("t10k-images-idx3-ubyte.gz", new Variant(MNIST_RELEASE, 1_648_877,
                            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6")),
                    file("t10k-labels-idx1-ubyte.gz", new Variant(MNIST_RELEASE, 4_542,
                            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"))));

    private static final PublicDataset FASHION_DATASET = new PublicDataset(FASHION_MNIST,
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            List.of(
                    file("train-images-idx3-ubyte.gz",
                            new Variant(ZALANDO, 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
                            new Variant(DEBIAN, 26_421_856, "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7")),
                    file("train-labels-idx1-ubyte.gz",
                            new Variant(ZALANDO, 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
                            new Variant(DEBIAN, 29_491, "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056")),
                    file("t10k-images-idx3-ubyte.gz",
                            new Variant(ZALANDO, 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
                            new Variant(DEBIAN, 4_422_079, "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa")),
                    file("t10k-labels-idx1-ubyte.gz",
                            new Variant(ZALANDO, 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
                            new Variant(DEBIAN, 5_125, "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"))));

    private PublicIdxDatasets() {
    }

    private static PublishedFile file(String name, Variant... variants) {
        return new PublishedFile(name, List.of(variants));
    }

    public static List<String> names() {
        return List.of(MNIST, FASHION_MNIST);
    }

    /** The dataset of this name; an unknown one is a {@link BadInputException} naming the choices. */
    public static PublicDataset named(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (n) {
            case MNIST -> MNIST_DATASET;
            case FASHION_MNIST -> FASHION_DATASET;
            default -> throw new BadInputException("--dataset '" + name + "': unknown; one of "
                    + String.join(", ", names()));
        };
    }
}
