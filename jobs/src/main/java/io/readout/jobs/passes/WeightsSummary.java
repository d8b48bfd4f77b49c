package io.readout.jobs.passes;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The summary of a weights pass, from per-group figures of the raw weights (one Spark aggregation over
 * the readout's verdicts, before anything is written): normalisation multiplies every raw weight by one
 * factor, so counts, sums and maxima carry over exactly, and the histogram bins each weight as the table
 * stores it, {@code (float) (raw · scale)}. Examples whose raw weight is exactly 1 (the readout was right)
 * come as a count; the others as their raw weights.
 */
final class WeightsSummary {
    /** Lower edges of the summary's weight histogram bins; the last bin has no upper edge. */
    public static final double[] HISTOGRAM_EDGES = {0, 0.5, 1, 1.5, 2, 3, 4, 6, 8};
    /**
     * One group's figures.
     *
     * @param group           the group (an example without one counts in the group of its label)
     * @param n               examples
     * @param flagged         examples the readout got wrong
     * @param rawSum          sum of the raw weights
     * @param errorConfidence sum of the readout's top-1 probability over its errors
     * @param ones            examples whose raw weight is exactly 1
     * @param otherRaw        the raw weights that are not 1
     */
    record Group(int group, long n, long flagged, double rawSum, double errorConfidence, long ones,
                 List<Float> otherRaw) {
    }

    private WeightsSummary() {
    }

    /**
     * Per-group figures of some verdicts, added one by one (a partition's, on an executor) and merged (on the
     * driver): a task's result, so a retried task counts once.
     */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        private final TreeMap<Integer, Counts> groups = new TreeMap<>();

        /** One group's running figures. */
        private static final class Counts implements Serializable {
            private static final long serialVersionUID = 1L;
            long n;
            long flagged;
            double rawSum;
            double errorConfidence;
            long ones;
            ArrayList<Float> otherRaw = new ArrayList<>();
        }

        /** One verdict: its group, whether the readout was wrong, its raw weight and the readout's top-1 probability. */
        void add(int group, boolean wrong, float raw, float confidence) {
            Counts c = groups.computeIfAbsent(group, g -> new Counts());
            c.n++;
            c.rawSum += raw;
            if (wrong) {
                c.flagged++;
                c.errorConfidence += confidence;
            }
            if (raw == 1f) {
                c.ones++;
            } else {
                c.otherRaw.add(raw);
            }
        }

        /** Adds another tally's figures to this one. */
        Tally merge(Tally other) {
            other.groups.forEach((g, o) -> {
                Counts c = groups.computeIfAbsent(g, k -> new Counts());
                c.n += o.n;
                c.flagged += o.flagged;
                c.rawSum += o.rawSum;
                c.errorConfidence += o.errorConfidence;
                c.ones += o.ones;
                c.otherRaw.addAll(o.otherRaw);
            });
            return this;
        }

        /** The groups, sorted by group. */
        List<Group> groups() {
            List<Group> out = new ArrayList<>();
            groups.forEach((g, c) -> out.add(new Group(g, c.n, c.flagged, c.rawSum, c.errorConfidence, c.ones,
                    List.copyOf(c.otherRaw))));
            return out;
        }
    }

    /** The mean raw weight over all groups (NaN without examples). */
    static double meanRaw(List<Group> groups) {
        long n = groups.stream().mapToLong(Group::n).sum();
        return groups.stream().mapToDouble(Group::rawSum).sum() / n;
    }

    /** The weight a raw weight becomes in the table. */
    static float weight(float raw, double scale) {
        return (float) (raw * scale);
    }

    /**
     * The summary of groups sorted by group, weights scaled by {@code scale}: {@code examples}, {@code flagged}
     * and {@code flagged_fraction}, {@code mean_weight}, {@code mean_error_confidence} (the readout's mean
     * top-1 probability over its errors; null without errors), {@code mean_raw_weight} (the normalising
     * mean), {@code max_weight}, {@code histogram} (examples per weight bin,
     * {@link ReadoutWeightsPass#HISTOGRAM_EDGES}) and {@code groups}: per group n, flagged, flagged
     * fraction, mean weight and mean readout confidence on errors.
     */
    @JsonPropertyOrder({"examples", "flagged", "flagged_fraction", "mean_weight", "mean_error_confidence",
            "mean_raw_weight", "max_weight", "histogram", "groups"})
    record Summary(long examples, long flagged, @JsonProperty("flagged_fraction") double flaggedFraction,
                   @JsonProperty("mean_weight") Double meanWeight,
                   @JsonProperty("mean_error_confidence") Double meanErrorConfidence,
                   @JsonProperty("mean_raw_weight") Double meanRawWeight, @JsonProperty("max_weight") Double maxWeight,
                   List<Bin> histogram, List<GroupSummary> groups) {
    }

    /** Examples whose weight is in {@code [from, to)}; the last bin has no upper edge ({@code to} null). */
    @JsonPropertyOrder({"from", "to", "count"})
    record Bin(double from, Double to, long count) {
    }

    /** One group's line of the summary. */
    @JsonPropertyOrder({"group", "n", "flagged", "flagged_fraction", "mean_weight", "mean_error_confidence"})
    record GroupSummary(int group, long n, long flagged, @JsonProperty("flagged_fraction") double flaggedFraction,
                        @JsonProperty("mean_weight") Double meanWeight,
                        @JsonProperty("mean_error_confidence") Double meanErrorConfidence) {
    }

    static Summary of(List<Group> groups, double scale) {
        long n = 0;
        long flagged = 0;
        double rawSum = 0;
        double weightSum = 0;
        double confidence = 0;
        double maxWeight = Double.NEGATIVE_INFINITY;
        long[] histogram = new long[HISTOGRAM_EDGES.length];
        List<GroupSummary> perGroup = new ArrayList<>();
        for (Group g : groups) {
            double groupWeights = 0;
            if (g.ones() > 0) {
                float w = weight(1f, scale);
                groupWeights += (double) w * g.ones();
                histogram[bin(w)] += g.ones();
                maxWeight = Math.max(maxWeight, w);
            }
            for (float raw : g.otherRaw()) {
                float w = weight(raw, scale);
                groupWeights += w;
                histogram[bin(w)]++;
                maxWeight = Math.max(maxWeight, w);
            }
            n += g.n();
            flagged += g.flagged();
            rawSum += g.rawSum();
            weightSum += groupWeights;
            confidence += g.errorConfidence();
            perGroup.add(new GroupSummary(g.group(), g.n(), g.flagged(), flaggedFraction(g.n(), g.flagged()),
                    meanWeight(g.n(), groupWeights), errorConfidence(g.flagged(), g.errorConfidence())));
        }
        List<Bin> bins = new ArrayList<>();
        double[] edges = HISTOGRAM_EDGES;
        for (int b = 0; b < edges.length; b++) {
            bins.add(new Bin(edges[b], b + 1 < edges.length ? edges[b + 1] : null, histogram[b]));
        }
        return new Summary(n, flagged, flaggedFraction(n, flagged), meanWeight(n, weightSum),
                errorConfidence(flagged, confidence), n == 0 ? null : rawSum / n, n == 0 ? null : maxWeight,
                List.copyOf(bins), List.copyOf(perGroup));
    }

    /** The histogram bin of a weight: the last edge at or below it (weights below 0 do not occur). */
    static int bin(double weight) {
        double[] edges = HISTOGRAM_EDGES;
        int b = 0;
        while (b + 1 < edges.length && weight >= edges[b + 1]) {
            b++;
        }
        return b;
    }

    private static double flaggedFraction(long n, long flagged) {
        return n == 0 ? 0.0 : (double) flagged / n;
    }

    private static Double meanWeight(long n, double weightSum) {
        return n == 0 ? null : weightSum / n;
    }

    private static Double errorConfidence(long flagged, double confidence) {
        return flagged == 0 ? null : confidence / flagged;
    }
}
