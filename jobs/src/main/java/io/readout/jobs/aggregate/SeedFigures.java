package io.readout.jobs.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures the aggregate takes from each run's {@code metrics/<split>.json} (the final model) and
 * {@code metrics/best/<split>.json} (the validation-selected one), under short names: {@code accuracy},
 * {@code wga}, {@code group_mean}, {@code bias_conflicting}. A figure that is null (bias-conflicting
 * accuracy without a spurious attribute) is left out, never counted as 0.
 */
public final class SeedFigures {
    public static final String FINAL = "final";
    public static final String BEST = "best";
    public static final List<String> MODELS = List.of(FINAL, BEST);
    public static final List<String> SPLITS = List.of("val", "test");
    public static final String ACCURACY = "accuracy";
    public static final String WGA = "wga";
    public static final String GROUP_MEAN = "group_mean";
    public static final String BIAS_CONFLICTING = "bias_conflicting";
    public static final List<String> METRICS = List.of(ACCURACY, WGA, GROUP_MEAN, BIAS_CONFLICTING);
    /** The runs every other run is compared with, seed by seed, when they are among the runs. */
    public static final List<String> BASELINES = List.of("student erm", "student kd");
    /** The metrics file's key of each figure. */
    private static final Map<String, String> KEYS = Map.of(ACCURACY, "accuracy", WGA, "worst_group_accuracy",
            GROUP_MEAN, "group_mean_accuracy", BIAS_CONFLICTING, "bias_conflicting_accuracy");

    private SeedFigures() {
    }

    /** A model's metrics file of a split, relative to its run folder. */
    public static String file(String model, String split) {
        return "metrics/" + (BEST.equals(model) ? "best/" : "") + split + ".json";
    }

    /**
     * The figures of one metrics file, in {@link #METRICS} order, without the null ones; bad input naming
     * {@code where} when accuracy, worst-group or group-mean accuracy is missing or not a number.
     */
    public static Map<String, Double> of(JsonNode metrics, String where) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String metric : METRICS) {
            JsonNode v = metrics.path(KEYS.get(metric));
            boolean missing = v.isMissingNode() || v.isNull();
            if (v.isNumber()) {
                out.put(metric, v.doubleValue());
            } else if (!missing || !metric.equals(BIAS_CONFLICTING)) {
                throw new BadInputException(where + ": malformed metrics (" + KEYS.get(metric) + " is "
                        + (missing ? "missing" : "not a number: " + (v.isValueNode() ? v.asText() : v)) + ")");
            }
        }
        return out;
    }
}
