package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.datasets.Example;
import io.readout.datasets.Split;
import io.readout.datasets.TestData;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dominoes from full MNIST ({@code train-*} and {@code t10k-*}, as {@code readout fetch} writes it): train and val
 * digits come from {@code train-*}, test digits from {@code t10k-*}. Small 28x28 IDX folders written here, each
 * image filled with one value that names its part and index.
 */
class DominoesFullMnistTest {
    private static final int MNIST_TRAIN = 60;
    private static final int MNIST_T10K = 30;
    private static final int T10K_BASE = 100; // t10k image i is filled with 100 + i, train image i with 1 + i

    @TempDir
    Path tmp;

    /** n images of 28x28, image i filled with {@code base + i}, label {@code labels[i % labels.length]}. */
    private static void pair(Path dir, String prefix, int n, int base, int[] labels) throws IOException {
        byte[] pixels = new byte[n * 784];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(pixels, i * 784, (i + 1) * 784, (byte) (base + i));
            lab[i] = (byte) labels[i % labels.length];
        }
        TestData.write(dir.resolve(prefix + "images-idx3-ubyte.gz"), TestData.idxImages(2051, n, 28, 28, pixels), true);
        TestData.write(dir.resolve(prefix + "labels-idx1-ubyte.gz"), TestData.idxLabels(2049, n, lab), true);
    }

    private static final int[] DIGITS = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    private static final int[] GARMENTS = {3, 4, 0}; // Dress, Coat, and a class dominoes leaves out

    private Path fashion() throws IOException {
        Path dir = tmp.resolve("fashion");
        pair(dir, "train-", 60, 0, GARMENTS); // 20 of each class
        pair(dir, "t10k-", 18, 0, GARMENTS); // 6 of each class
        return dir;
    }

    private List<Example> build(Path mnist, Path fashion, long seed) {
        return new DominoesSource(HadoopInputs.local(), mnist.toString(), fashion.toString(), 0.8, 5, seed).build();
    }

    @Test
    void trainAndValDigitsComeFromTrainTestDigitsFromT10k() throws Exception {
        Path mnist = tmp.resolve("mnist");
        pair(mnist, "train-", MNIST_TRAIN, 1, DIGITS);
        pair(mnist, "t10k-", MNIST_T10K, T10K_BASE, DIGITS);
        List<Example> examples = build(mnist, fashion(), 0);

        Map<String, Integer> counts = new HashMap<>();
        for (Example e : examples) {
            counts.merge(e.split().column(), 1, Integer::sum);
            int v = e.image()[0] & 0xff;
            boolean test = e.split() == Split.TEST;
            int index = test ? v - T10K_BASE : v - 1;
            assertTrue(index >= 0 && index < (test ? MNIST_T10K : MNIST_TRAIN), e.id() + " has a digit of its part: " + v);
            assertEquals(e.attribute().intValue(), index % 10, "digit of " + e.id());
            assertTrue(e.id().endsWith(String.format("-m%s%05d", test ? "t10k" : "train", index)), e.id());
            for (int p = 0; p < 784; p++) {
                assertEquals(v, e.image()[p] & 0xff, "the top of " + e.id() + " is one digit image");
            }
        }
        // 20 per class in train-*, 5 held out: 15 train and 5 val per class; test: the 6 t10k images of each class.
        assertEquals(Map.of("train", 30, "val", 10, "test", 12), counts);
        // round(0.8 * 15) = 12 of each class agree in train.
        assertEquals(24, examples.stream().filter(e -> e.split() == Split.TRAIN && e.label() == e.attribute()).count());

        Map<String, Object> described = new DominoesSource(HadoopInputs.local(), mnist.toString(),
                tmp.resolve("fashion").toString(), 0.8, 5, 0).describe();
        assertEquals("train and val from train-*, test from t10k-*", described.get("mnist_digits"));

        List<Example> again = build(mnist, tmp.resolve("fashion"), 0);
        assertEquals(examples.stream().map(Example::id).toList(), again.stream().map(Example::id).toList());
    }

    /** Without t10k-* the train-* pair is the sample: shuffled and cut 80/20, so test digits come from train-* too. */
    @Test
    void aTrainPairAloneIsCutLikeTheSample() throws Exception {
        Path mnist = tmp.resolve("mnist-train-only");
        pair(mnist, "train-", 200, 1, DIGITS);
        List<Example> examples = build(mnist, fashion(), 0);
        Set<Integer> trainDigits = new HashSet<>();
        Set<Integer> testDigits = new HashSet<>();
        for (Example e : examples) {
            int v = e.image()[0] & 0xff;
            assertTrue(v >= 1 && v <= 200, e.id());
            assertTrue(e.id().matches(".*-m\\d{5}$"), e.id());
            (e.split() == Split.TEST ? testDigits : trainDigits).add(v);
        }
        assertFalse(testDigits.isEmpty());
        testDigits.retainAll(trainDigits);
        assertEquals(Set.of(), testDigits, "the 80/20 cut keeps test digits out of train and val");
        assertFalse(new DominoesSource(HadoopInputs.local(), mnist.toString(), tmp.resolve("fashion").toString(), 0.8, 5, 0)
                .describe().containsKey("mnist_digits"));
    }

    @Test
    void aPartWithoutZerosIsNamed() throws Exception {
        Path mnist = tmp.resolve("mnist");
        pair(mnist, "train-", MNIST_TRAIN, 1, DIGITS);
        pair(mnist, "t10k-", MNIST_T10K, T10K_BASE, new int[] {1, 2, 3});
        BadInputException e = assertThrows(BadInputException.class, () -> build(mnist, fashion(), 0));
        assertEquals("--mnist " + mnist + ": no image of digit 0 in its t10k-* files", e.getMessage());
    }
}
