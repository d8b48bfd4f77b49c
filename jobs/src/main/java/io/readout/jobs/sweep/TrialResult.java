package io.readout.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
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
public record TrialResult(int trial, String run, String status, Map<String, FlagValue> values, String config,
                          Integer selectedEpoch, Scores val, Scores test, Scores finalVal, Scores finalTest,
                          double seconds, String message) {
    public static final String COMPLETE = "complete";
    public static final String DIVERGED = "diverged";

    public TrialResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The three figures the table keeps of a split; in JSON {@code accuracy, worst_group_accuracy, group_mean_accuracy}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"accuracy", "worst_group_accuracy", "group_mean_accuracy"})
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

        /** The scores of a trial.json, null when it has none (an object is expected; anything else reads as none). */
        static Scores fromJson(JsonNode o) {
            if (o == null || !o.isObject()) {
                return null;
            }
            return new Scores(number(o, "accuracy"), number(o, "worst_group_accuracy"), number(o, "group_mean_accuracy"));
        }
    }

    /** trial.json: the result without the config (config.json of the run holds it); {@code message} only when there is one. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"trial", "run", "status", "values", "selected_epoch", "val", "test", "final_val", "final_test",
            "seconds", "message"})
    public record Recorded(int trial, String run, String status, Map<String, FlagValue> values, Integer selectedEpoch,
                           Scores val, Scores test, Scores finalVal, Scores finalTest, double seconds,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String message) {
    }

    public boolean isComplete() {
        return COMPLETE.equals(status);
    }

    /** The validation figure the sweep selects by ({@code val_accuracy}, {@code val_wga}, {@code val_group_mean}). */
    public double selected(String select) {
        return val == null ? Double.NaN : val.get(select);
    }

    /** trial.json. */
    public Recorded toJson() {
        return new Recorded(trial, run, status, values, selectedEpoch, val, test, finalVal, finalTest, seconds, message);
    }

    /** A trial.json read back for a trial of the plan (its values and config come from the plan). */
    static TrialResult fromJson(JsonNode m, Trial trial, String run, String where) {
        try {
            JsonNode epoch = m.get("selected_epoch");
            if (epoch != null && !epoch.isNull() && !epoch.isNumber()) {
                throw new IllegalArgumentException("'selected_epoch' is not a number");
            }
            return new TrialResult(trial.id(), run, text(m, "status"), trial.values(),
                    SweepSpec.compactJson(trial.config().toJson()),
                    epoch == null || epoch.isNull() ? null : epoch.intValue(),
                    Scores.fromJson(m.get("val")), Scores.fromJson(m.get("test")), Scores.fromJson(m.get("final_val")),
                    Scores.fromJson(m.get("final_test")), number(m, "seconds"), text(m, "message"));
        } catch (RuntimeException e) {
            throw new BadInputException(where + ": not a sweep trial record (" + e.getMessage() + ")", e);
        }
    }

    private static String text(JsonNode m, String key) {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("'" + key + "' is not text");
        }
        return v.textValue();
    }

    private static double number(JsonNode m, String key) {
        JsonNode v = m.get(key);
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if ("NaN".equals(v.textValue())) {
            return Double.NaN; // how Jackson writes a NaN
        }
        throw new IllegalArgumentException("'" + key + "' is not a number");
    }
}
