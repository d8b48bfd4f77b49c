package io.readout.common.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Worst-group accuracy and its companions from per-group counts, without Spark: the Spark SQL
 * evaluation aggregates counts per (split, group) and hands them here, so local and distributed
 * evaluation share one definition. Input: the {@link GroupCount}s of one split; output: its
 * {@link SplitMetrics}.
 *
 * <ul>
 *   <li>average accuracy = total correct / total n;</li>
 *   <li>worst-group accuracy = min over groups with n &gt; 0 of correct / n; the worst group is
 *       the one attaining it, the smallest group id on a tie (compared exactly, as fractions);</li>
 *   <li>group-mean accuracy = mean of the per-group accuracies over groups with n &gt; 0;</li>
 *   <li>bias-conflicting accuracy = correct / n over the examples whose spurious attribute
 *       differs from their label; null when there are none (no attribute known, or none conflicting).</li>
 * </ul>
 * Groups with no examples stay in the per-group table (accuracy NaN) but count nowhere else.
 * Which group an example belongs to is the caller's business; the Spark evaluation puts an
 * example with a null group into the group of its label.
 */
public final class GroupMetrics {
    private GroupMetrics() {
    }

    /**
     * The metrics of one split.
     *
     * @throws IllegalArgumentException on a repeated group id or a split with no examples
     */
    public static SplitMetrics of(String split, List<GroupCount> counts) {
        List<GroupCount> sorted = new ArrayList<>(counts);
        sorted.sort(Comparator.comparingInt(GroupCount::group));
        Set<Integer> seen = new HashSet<>();
        long n = 0;
        long correct = 0;
        long conflictingN = 0;
        long conflictingCorrect = 0;
        GroupCount worst = null;
        double accuracySum = 0;
        int nonEmpty = 0;
        List<GroupAccuracy> table = new ArrayList<>();
        for (GroupCount g : sorted) {
            if (!seen.add(g.group())) {
                throw new IllegalArgumentException("split " + split + ": group " + g.group() + " is counted twice");
            }
            table.add(new GroupAccuracy(g.group(), g.n(), g.accuracy()));
            n += g.n();
            correct += g.correct();
            conflictingN += g.biasConflictingN();
            conflictingCorrect += g.biasConflictingCorrect();
            if (g.n() == 0) {
                continue;
            }
            accuracySum += g.accuracy();
            nonEmpty++;
            // Strictly lower only: groups arrive by id, so a tie keeps the smaller id.
            if (worst == null || lowerAccuracy(g, worst)) {
                worst = g;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("split " + split + " has no examples");
        }
        Double biasConflicting = conflictingN == 0 ? null : (double) conflictingCorrect / conflictingN;
        return new SplitMetrics(split, n, (double) correct / n, worst.accuracy(), worst.group(),
                accuracySum / nonEmpty, biasConflicting, table);
    }

    /** a.correct / a.n &lt; b.correct / b.n, exactly (no rounding can make two equal fractions differ). */
    private static boolean lowerAccuracy(GroupCount a, GroupCount b) {
        return Math.multiplyExact(a.correct(), b.n()) < Math.multiplyExact(b.correct(), a.n());
    }
}
