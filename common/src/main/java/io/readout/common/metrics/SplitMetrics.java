package io.readout.common.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality of a model on one split, as the field reports it ({@code metrics/<split>.json}):
 * average accuracy, worst-group accuracy and which group it is, group-mean accuracy, the
 * accuracy on bias-conflicting examples (null when the split has none, e.g. no spurious
 * attribute), and the per-group table sorted by group id. Built by {@link GroupMetrics}.
 */
public record SplitMetrics(String split, long n, double accuracy, double worstGroupAccuracy, int worstGroup,
                           double groupMeanAccuracy, Double biasConflictingAccuracy, List<GroupAccuracy> groups) {

    public SplitMetrics {
        groups = List.copyOf(groups);
    }

    /** The JSON object of the contract, keys in the contract's order. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split);
        m.put("n", n);
        m.put("accuracy", accuracy);
        m.put("worst_group_accuracy", worstGroupAccuracy);
        m.put("worst_group", worstGroup);
        m.put("group_mean_accuracy", groupMeanAccuracy);
        m.put("bias_conflicting_accuracy", biasConflictingAccuracy);
        List<Map<String, Object>> g = new ArrayList<>();
        for (GroupAccuracy a : groups) {
            g.add(a.toJson());
        }
        m.put("groups", g);
        return m;
    }

    /** Reads back what {@link #toJson()} wrote (e.g. parsed by {@code Json.readObject}). */
    @SuppressWarnings("unchecked")
    public static SplitMetrics fromJson(Map<String, Object> m) {
        List<GroupAccuracy> groups = new ArrayList<>();
        for (Map<String, Object> g : (List<Map<String, Object>>) m.get("groups")) {
            Number acc = (Number) g.get("accuracy");
            groups.add(new GroupAccuracy(((Number) g.get("group")).intValue(), ((Number) g.get("n")).longValue(),
                    acc == null ? Double.NaN : acc.doubleValue()));
        }
        Number bc = (Number) m.get("bias_conflicting_accuracy");
        return new SplitMetrics((String) m.get("split"), ((Number) m.get("n")).longValue(),
                ((Number) m.get("accuracy")).doubleValue(), ((Number) m.get("worst_group_accuracy")).doubleValue(),
                ((Number) m.get("worst_group")).intValue(), ((Number) m.get("group_mean_accuracy")).doubleValue(),
                bc == null ? null : bc.doubleValue(), groups);
    }
}
