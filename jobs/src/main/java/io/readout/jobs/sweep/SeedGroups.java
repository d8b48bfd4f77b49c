package io.readout.jobs.sweep;

import io.readout.jobs.aggregate.SeedSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A sweep over seeds, read as repeated measurements: the complete trials grouped by every searched value but
 * {@value #SEED}, and per group the mean, sample standard deviation (n − 1; null for one seed), minimum and
 * maximum of each figure of the selected ({@code best}) and final epoch's model on val and test. A difference
 * between two groups means something only when it is larger than their spread over seeds.
 */
public final class SeedGroups {
    public static final String SEED = "seed";
    private static final Map<String, ToDoubleFunction<TrialResult.Scores>> METRICS = new LinkedHashMap<>();

    static {
        METRICS.put("accuracy", TrialResult.Scores::accuracy);
        METRICS.put("worst_group_accuracy", TrialResult.Scores::worstGroupAccuracy);
        METRICS.put("group_mean_accuracy", TrialResult.Scores::groupMeanAccuracy);
    }

    private SeedGroups() {
    }

    /** The groups of {@code results} in order of their first trial; empty when the space has no seed. */
    public static List<Map<String, Object>> of(List<TrialResult> results, Map<String, List<Object>> space) {
        if (!space.containsKey(SEED)) {
            return List.of();
        }
        Map<Map<String, Object>, List<TrialResult>> groups = new LinkedHashMap<>();
        for (TrialResult r : results) {
            if (!r.isComplete()) {
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>(r.values());
            values.remove(SEED);
            groups.computeIfAbsent(values, v -> new ArrayList<>()).add(r);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        groups.forEach((values, trials) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("values", values);
            g.put("n", trials.size());
            g.put("seeds", trials.stream().map(t -> t.values().get(SEED)).toList());
            g.put("trials", trials.stream().map(TrialResult::trial).toList());
            put(g, "best", "val", trials, TrialResult::val);
            put(g, "best", "test", trials, TrialResult::test);
            put(g, "final", "val", trials, TrialResult::finalVal);
            put(g, "final", "test", trials, TrialResult::finalTest);
            out.add(g);
        });
        return out;
    }

    private static void put(Map<String, Object> group, String model, String split, List<TrialResult> trials,
                            Function<TrialResult, TrialResult.Scores> scores) {
        if (trials.stream().anyMatch(t -> scores.apply(t) == null)) {
            return; // trials recorded before final figures were kept
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        METRICS.forEach((metric, figure) -> figures.put(metric,
                stats(trials.stream().map(scores).mapToDouble(figure).toArray())));
        @SuppressWarnings("unchecked")
        Map<String, Object> byModel = (Map<String, Object>) group.computeIfAbsent(model, k -> new LinkedHashMap<>());
        byModel.put(split, figures);
    }

    /** mean, std (sample; null for n = 1), min, max of {@code v}, summed in trial order ({@link SeedSummary}). */
    static Map<String, Object> stats(double[] v) {
        SeedSummary s = SeedSummary.of(v);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", s.mean());
        m.put("std", s.std());
        m.put("min", s.min());
        m.put("max", s.max());
        return m;
    }

    /** The printed table: one line per group, final and best test figures as mean ± std. */
    public static String format(List<Map<String, Object>> groups) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-40s %3s  %-15s  %-15s  %-15s%n",
                "over seeds", "n", "final test acc", "final test wga", "best test wga"));
        for (Map<String, Object> g : groups) {
            b.append(String.format(Locale.ROOT, "%-40s %3d  %-15s  %-15s  %-15s%n", g.get("values"), g.get("n"),
                    cell(g, "final", "accuracy"), cell(g, "final", "worst_group_accuracy"),
                    cell(g, "best", "worst_group_accuracy")));
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static String cell(Map<String, Object> g, String model, String metric) {
        Map<String, Object> m = (Map<String, Object>) g.get(model);
        if (m == null) {
            return "-";
        }
        Map<String, Object> s = (Map<String, Object>) ((Map<String, Object>) m.get("test")).get(metric);
        Object std = s.get("std");
        return String.format(Locale.ROOT, "%.4f", (Double) s.get("mean"))
                + (std == null ? "" : String.format(Locale.ROOT, " ± %.4f", (Double) std));
    }
}
