package io.readout.common.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/** One row of a split's per-group table: group id, examples and accuracy (NaN when the group has none). */
public record GroupAccuracy(int group, long n, double accuracy) {

    /** {@code {"group", "n", "accuracy"}}, accuracy null for an empty group (JSON has no NaN). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", group);
        m.put("n", n);
        m.put("accuracy", Double.isNaN(accuracy) ? null : accuracy);
        return m;
    }
}
