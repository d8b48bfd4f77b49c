package io.readout.datasets.idx;

import io.readout.common.BadInputException;
import io.readout.common.Seeds;
import io.readout.datasets.Split;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Assigns the images of an IDX folder to train/val/test. A folder with a {@code train} and a
 * {@code t10k} part: test is the t10k part, val a seeded {@code valFraction} of each class of the
 * train part. A folder with a single pair: each class is shuffled with the seed and cut into
 * test ({@code testFraction}), val ({@code valFraction}) and train (the rest).
 */
public final class IdxSplits {

    /** One kept image: where it goes, where it comes from, and its mapped label. */
    public record Item(Split split, IdxFolder.Pair source, int index, int label) {
        /** A stable id naming the source part and index, e.g. {@code train-04711}. */
        public String sourceId() {
            return source.part().name().toLowerCase(Locale.ROOT) + "-" + String.format("%05d", index);
        }
    }

    private IdxSplits() {
    }

    public static List<Item> assign(IdxFolder folder, LabelMap labels, double valFraction, double testFraction,
                                    long seed) {
        requireFraction(valFraction, "--val-fraction");
        requireFraction(testFraction, "--test-fraction");
        List<Item> out = new ArrayList<>();
        if (folder.has(IdxFolder.Part.TRAIN) && folder.has(IdxFolder.Part.T10K)) {
            IdxFolder.Pair train = folder.read(IdxFolder.Part.TRAIN);
            IdxFolder.Pair test = folder.read(IdxFolder.Part.T10K);
            LabelMap map = labels != null ? labels : identityFor(train);
            map.requirePresent(train.labels());
            for (int label = 0; label < map.numClasses(); label++) {
                List<Integer> idx = indicesOf(train, map, label);
                int[] perm = Seeds.permutation(idx.size(), Seeds.random(seed, "idx/val-holdout/" + label));
                int nVal = (int) Math.round(valFraction * idx.size());
                for (int k = 0; k < perm.length; k++) {
                    int i = idx.get(perm[k]);
                    out.add(new Item(k < nVal ? Split.VAL : Split.TRAIN, train, i, label));
                }
            }
            for (int i = 0; i < test.count(); i++) {
                int label = map.labelOf(test.labels().label(i));
                if (label >= 0) {
                    out.add(new Item(Split.TEST, test, i, label));
                }
            }
        } else if (folder.has(IdxFolder.Part.SINGLE)) {
            if (valFraction + testFraction >= 1.0) {
                throw new BadInputException("--val-fraction " + valFraction + " + --test-fraction " + testFraction
                        + " leave no training data");
            }
            IdxFolder.Pair all = folder.read(IdxFolder.Part.SINGLE);
            LabelMap map = labels != null ? labels : identityFor(all);
            map.requirePresent(all.labels());
            for (int label = 0; label < map.numClasses(); label++) {
                List<Integer> idx = indicesOf(all, map, label);
                int[] perm = Seeds.permutation(idx.size(), Seeds.random(seed, "idx/split/" + label));
                int nTest = (int) Math.round(testFraction * idx.size());
                int nVal = (int) Math.round(valFraction * idx.size());
                for (int k = 0; k < perm.length; k++) {
                    Split s = k < nTest ? Split.TEST : k < nTest + nVal ? Split.VAL : Split.TRAIN;
                    out.add(new Item(s, all, idx.get(perm[k]), label));
                }
            }
        } else {
            // Let the folder name what it expected.
            folder.read(IdxFolder.Part.TRAIN);
        }
        return out;
    }

    private static LabelMap identityFor(IdxFolder.Pair pair) {
        int max = 0;
        for (int i = 0; i < pair.count(); i++) {
            max = Math.max(max, pair.labels().label(i));
        }
        return LabelMap.identity(max + 1);
    }

    private static List<Integer> indicesOf(IdxFolder.Pair pair, LabelMap map, int label) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < pair.count(); i++) {
            if (map.labelOf(pair.labels().label(i)) == label) {
                idx.add(i);
            }
        }
        return idx;
    }

    static void requireFraction(double f, String flag) {
        if (!(f >= 0 && f < 1)) {
            throw new BadInputException(flag + " " + f + " is outside [0, 1)");
        }
    }

    /** A seeded choice of exactly {@code round(rho * n)} positions out of n (the benchmarks' meaning of "with probability rho"). */
    public static boolean[] exactAgreement(int n, double rho, Random random) {
        int agree = (int) Math.round(rho * n);
        int[] perm = Seeds.permutation(n, random);
        boolean[] out = new boolean[n];
        for (int k = 0; k < agree; k++) {
            out[perm[k]] = true;
        }
        return out;
    }
}
