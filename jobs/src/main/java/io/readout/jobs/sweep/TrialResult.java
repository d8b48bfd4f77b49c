package io.readout.jobs.sweep;

import io.readout.common.BadInputException;
import io.readout.common.metrics.SplitMetrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A finished trial, as its row of {@code sweep.parquet} and its {@code trial.json} hold it: the epoch its
 * run selected on validation ({@code best.zip}), that model's accuracy, worst-group accuracy and
 * group-mean accuracy on val and test, the same figures of the final epoch's model ({@code model.zip};
 * null in records written before they were kept), and the trial's seconds (training epochs from history.json plus
 * the final evaluation). A trial whose training diverged (NaN loss) is finished too, without figures,
 * so a sweep over learning rates survives its largest one.
 *
 * @param config the trial's resolved train config (config.json on one line)
 */
public record TrialResult(int trial, String run, String status, Map<String, Object> values, String config,
                          Integer selectedEpoch, Scores val, Scores test, Scores finalVal, Scores finalTest,
                          double seconds, String message) {
    public static final String COMPLETE = "complete";
    public static final String DIVERGED = "diverged";

    public TrialResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The three figures the table keeps of a split. */
    public record Scores(double accuracy, double worstGroupAccuracy, double groupMeanAccuracy) {
        static Scores of(SplitMetrics m) {
            return new Scores(m.accuracy(), m.worstGroupAccuracy(), m.groupMeanAccuracy());
        }

        /** {@code val_accuracy}, {@code val_wga} or {@code val_group_mean} without its split. */
        double get(String select) {
            return switch (select.substring(select.indexOf('_') + 1)) {
                case "accuracy" -> accuracy;
                case "wga" -> worstGroupAccuracy;
                case "group_mean" -> groupMeanAccuracy;
                default -> throw new IllegalArgumentException("no figure " + select);
            };
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("accuracy", accuracy);
            m.put("worst_group_accuracy", worstGroupAccuracy);
            m.put("group_mean_accuracy", groupMeanAccuracy);
            return m;
        }

        static Scores fromJson(Object o) {
            if (!(o instanceof Map<?, ?> m)) {
                return null;
            }
            return new Scores(number(m, "accuracy"), number(m, "worst_group_accuracy"), number(m, "group_mean_accuracy"));
        }
    }

    public boolean isComplete() {
        return COMPLETE.equals(status);
    }

    /** The validation figure the sweep selects by ({@code val_accuracy}, {@code val_wga}, {@code val_group_mean}). */
    public double selected(String select) {
        return val == null ? Double.NaN : val.get(select);
    }

    /** trial.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trial", trial);
        m.put("run", run);
        m.put("status", status);
        m.put("values", values);
        m.put("selected_epoch", selectedEpoch);
        m.put("val", val == null ? null : val.toJson());
        m.put("test", test == null ? null : test.toJson());
        m.put("final_val", finalVal == null ? null : finalVal.toJson());
        m.put("final_test", finalTest == null ? null : finalTest.toJson());
        m.put("seconds", seconds);
        if (message != null) {
            m.put("message", message);
        }
        return m;
    }

    /** A trial.json read back for a trial of the plan (its values and config come from the plan). */
    static TrialResult fromJson(Map<String, Object> m, Trial trial, String run, String where) {
        try {
            Number epoch = (Number) m.get("selected_epoch");
            return new TrialResult(trial.id(), run, (String) m.get("status"), trial.values(),
                    SweepSpec.compactJson(trial.config().toJson()), epoch == null ? null : epoch.intValue(),
                    Scores.fromJson(m.get("val")), Scores.fromJson(m.get("test")), Scores.fromJson(m.get("final_val")),
                    Scores.fromJson(m.get("final_test")), number(m, "seconds"),
                    (String) m.get("message"));
        } catch (RuntimeException e) {
            throw new BadInputException(where + ": not a sweep trial record (" + e.getMessage() + ")", e);
        }
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Double.NaN;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if ("NaN".equals(v)) {
            return Double.NaN; // how Jackson writes a NaN
        }
        throw new IllegalArgumentException("'" + key + "' is not a number");
    }
}
