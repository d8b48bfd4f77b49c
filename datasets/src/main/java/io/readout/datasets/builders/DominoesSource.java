package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.common.Seeds;
import io.readout.datasets.Example;
import io.readout.datasets.ImageShape;
import io.readout.datasets.InMemorySource;
import io.readout.datasets.Split;
import io.readout.datasets.idx.IdxFile;
import io.readout.datasets.idx.IdxFolder;
import io.readout.datasets.idx.IdxSplits;
import io.readout.datasets.io.HadoopInputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The dominoes benchmark: an MNIST digit (rows 0-27, the spurious
 * attribute a = digit 0 or 1) stacked on a Fashion-MNIST Dress or Coat (rows 28-55, the label
 * y = 0 Dress, 1 Coat); group g = 2y + a. In train exactly round(rho * n) of each class have a == y;
 * val and test are balanced (rho 0.5). Fashion-MNIST's train part gives train and a seeded
 * hold-out of {@code valPerClass} per class for val, its t10k part gives test. The MNIST sample (one
 * unprefixed pair, or a {@code train-*} pair alone) is shuffled with the seed; of its 0 and 1 digits the
 * first 80% serve train and val, the rest test, so no digit image appears in both train and test. Full
 * MNIST ({@code train-*} and {@code t10k-*}, as {@code readout fetch} writes it) keeps its own split instead:
 * the 0s and 1s of {@code train-*} serve train and val, those of {@code t10k-*} test (disjoint by
 * construction, and each pool as large as MNIST gives). Digits are drawn with replacement. With
 * {@code trainPerClass} &gt; 0 only that many of each class's remaining training images are kept (the first of
 * the seeded permutation after the hold-out): the same benchmark at a smaller size.
 */
public final class DominoesSource extends InMemorySource {
    public static final int DRESS = 3;
    public static final int COAT = 4;
    public static final ImageShape SHAPE = new ImageShape(56, 28, 1);
    static final double TRAIN_DIGIT_SHARE = 0.8;

    private final HadoopInputs inputs;
    private final String mnistDir;
    private final String fashionDir;
    private final double rho;
    private final int valPerClass;
    private final int trainPerClass;
    private final long seed;

    public DominoesSource(HadoopInputs inputs, String mnistDir, String fashionDir, double rho, int valPerClass,
                          long seed) {
        this(inputs, mnistDir, fashionDir, rho, valPerClass, 0, seed);
    }

    /** @param trainPerClass training images kept per class (0: all that the hold-out leaves) */
    public DominoesSource(HadoopInputs inputs, String mnistDir, String fashionDir, double rho, int valPerClass,
                          int trainPerClass, long seed) {
        this.inputs = inputs;
        this.mnistDir = mnistDir;
        this.fashionDir = fashionDir;
        this.rho = Rho.require(rho);
        if (valPerClass < 1) {
            throw new BadInputException("--val-per-class " + valPerClass + " must be at least 1");
        }
        this.valPerClass = valPerClass;
        if (trainPerClass < 0) {
            throw new BadInputException("--n-train " + 2 * trainPerClass + " must be positive");
        }
        this.trainPerClass = trainPerClass;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "dominoes";
    }

    @Override
    public List<Example> build() {
        IdxFolder fashion = new IdxFolder(inputs, fashionDir, "--fashion");
        IdxFolder mnist = new IdxFolder(inputs, mnistDir, "--mnist");
        IdxFolder.Pair fashionTrain = fashion.read(IdxFolder.Part.TRAIN);
        IdxFolder.Pair fashionTest = fashion.read(IdxFolder.Part.T10K);
        requireSide(fashionTrain.images());
        requireSide(fashionTest.images());
        DigitPool trainDigits;
        DigitPool testDigits;
        if (fullMnist(mnist)) {
            IdxFolder.Pair train = mnist.read(IdxFolder.Part.TRAIN);
            IdxFolder.Pair test = mnist.read(IdxFolder.Part.T10K);
            requireSide(train.images());
            requireSide(test.images());
            trainDigits = new DigitPool(train, "train", byDigit(zeroOnes(train, "dominoes/mnist-shuffle/train"), train));
            testDigits = new DigitPool(test, "t10k", byDigit(zeroOnes(test, "dominoes/mnist-shuffle/t10k"), test));
            for (int d = 0; d < 2; d++) {
                for (DigitPool pool : List.of(trainDigits, testDigits)) {
                    if (pool.byDigit().get(d).isEmpty()) {
                        throw new BadInputException("--mnist " + mnistDir + ": no image of digit " + d + " in its "
                                + pool.part() + "-* files");
                    }
                }
            }
        } else {
            // The sample's order is cut 80/20 into train+val and test digits.
            IdxFolder.Pair digits = mnist.read(mnist.has(IdxFolder.Part.SINGLE) ? IdxFolder.Part.SINGLE : IdxFolder.Part.TRAIN);
            requireSide(digits.images());
            List<Integer> zeroOne = zeroOnes(digits, "dominoes/mnist-shuffle");
            int cut = (int) Math.round(TRAIN_DIGIT_SHARE * zeroOne.size());
            trainDigits = new DigitPool(digits, "", byDigit(zeroOne.subList(0, cut), digits));
            testDigits = new DigitPool(digits, "", byDigit(zeroOne.subList(cut, zeroOne.size()), digits));
            for (int d = 0; d < 2; d++) {
                if (trainDigits.byDigit().get(d).isEmpty() || testDigits.byDigit().get(d).isEmpty()) {
                    throw new BadInputException("--mnist " + mnistDir + ": too few images of digit " + d
                            + " to serve both train and test");
                }
            }
        }

        List<Example> out = new ArrayList<>();
        Random digitDraws = Seeds.random(seed, "dominoes/digit-draws");
        for (int y = 0; y < 2; y++) {
            int cls = y == 0 ? DRESS : COAT;
            List<Integer> items = indicesOf(fashionTrain, cls);
            if (items.size() <= valPerClass) {
                throw new BadInputException("--fashion " + fashionDir + ": only " + items.size()
                        + " training images of class " + cls + ", cannot hold out " + valPerClass + " for val");
            }
            int[] perm = Seeds.permutation(items.size(), Seeds.random(seed, "dominoes/val-holdout/" + y));
            List<Integer> val = new ArrayList<>();
            List<Integer> train = new ArrayList<>();
            if (trainPerClass > items.size() - valPerClass) {
                throw new BadInputException("--n-train " + 2 * trainPerClass + ": class " + cls + " has only "
                        + (items.size() - valPerClass) + " training images after the " + valPerClass + " held out for val");
            }
            int keep = trainPerClass > 0 ? valPerClass + trainPerClass : perm.length;
            for (int k = 0; k < keep; k++) {
                (k < valPerClass ? val : train).add(items.get(perm[k]));
            }
            val.sort(null);
            train.sort(null);
            add(out, Split.TRAIN, y, train, fashionTrain, "train", rho, trainDigits, digitDraws);
            add(out, Split.VAL, y, val, fashionTrain, "train", 0.5, trainDigits, digitDraws);
            add(out, Split.TEST, y, indicesOf(fashionTest, cls), fashionTest, "t10k", 0.5, testDigits, digitDraws);
        }
        return out;
    }

    private void add(List<Example> out, Split split, int y, List<Integer> fashionIdx, IdxFolder.Pair fashion,
                     String part, double agreement, DigitPool digitPool, Random digitDraws) {
        boolean[] agree = IdxSplits.exactAgreement(fashionIdx.size(), agreement,
                Seeds.random(seed, "dominoes/agreement/" + split.column() + "/" + y));
        for (int k = 0; k < fashionIdx.size(); k++) {
            int a = agree[k] ? y : 1 - y;
            List<Integer> pool = digitPool.byDigit().get(a);
            int digit = pool.get(digitDraws.nextInt(pool.size()));
            byte[] pixels = new byte[SHAPE.pixels()];
            System.arraycopy(digitPool.pair().images().pixels(), digit * 784, pixels, 0, 784);
            System.arraycopy(fashion.images().pixels(), fashionIdx.get(k) * 784, pixels, 784, 784);
            String id = String.format("%s-%s%05d-m%s%05d", split.column(), part, fashionIdx.get(k), digitPool.part(),
                    digit);
            out.add(Example.image(id, split, y, a, Example.group(y, a, 2), pixels, SHAPE));
        }
    }

    /**
     * The digits one split's examples are drawn from: indices into {@code pair} by digit (0, 1), and the MNIST part
     * they come from for the ids ({@code ""} for the sample, whose ids stay {@code -m00042}).
     */
    private record DigitPool(IdxFolder.Pair pair, String part, List<List<Integer>> byDigit) {
    }

    /** Full MNIST: both parts, and no unprefixed pair (which the sample layout prefers). */
    private static boolean fullMnist(IdxFolder mnist) {
        return !mnist.has(IdxFolder.Part.SINGLE) && mnist.has(IdxFolder.Part.TRAIN) && mnist.has(IdxFolder.Part.T10K);
    }

    /** The 0s and 1s of a pair, in an order shuffled with the seed. */
    private List<Integer> zeroOnes(IdxFolder.Pair digits, String stream) {
        int[] order = Seeds.permutation(digits.count(), Seeds.random(seed, stream));
        List<Integer> out = new ArrayList<>();
        for (int i : order) {
            int d = digits.labels().label(i);
            if (d == 0 || d == 1) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<Integer> indicesOf(IdxFolder.Pair pair, int cls) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < pair.count(); i++) {
            if (pair.labels().label(i) == cls) {
                out.add(i);
            }
        }
        return out;
    }

    private static List<List<Integer>> byDigit(List<Integer> idx, IdxFolder.Pair digits) {
        List<List<Integer>> out = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i : idx) {
            out.get(digits.labels().label(i)).add(i);
        }
        return out;
    }

    private static void requireSide(IdxFile.Images images) {
        if (images.rows() != 28 || images.cols() != 28) {
            throw new BadInputException(images.source() + ": images are " + images.rows() + "x" + images.cols()
                    + ", dominoes needs 28x28");
        }
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mnist", mnistDir);
        if (fullMnist(new IdxFolder(inputs, mnistDir, "--mnist"))) {
            d.put("mnist_digits", "train and val from train-*, test from t10k-*");
        }
        if (trainPerClass > 0) {
            d.put("train_per_class", trainPerClass);
        }
        d.put("fashion", fashionDir);
        d.put("rho", rho);
        d.put("val_per_class", valPerClass);
        d.put("seed", seed);
        d.put("label_names", List.of("Dress", "Coat"));
        d.put("attribute_names", List.of("digit 0", "digit 1"));
        d.put("image_shape", SHAPE.toJson());
        return d;
    }
}
