package io.readout.jobs.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.metrics.SplitMetrics;

import java.util.Map;

/**
 * The two validation figures a promotion is decided on: worst-group accuracy and average accuracy,
 * as {@code metrics/val.json} holds them ({@code worst_group_accuracy}, {@code accuracy}).
 */
public record ValidationScores(double worstGroupAccuracy, double accuracy) {

    public ValidationScores {
        if (!(worstGroupAccuracy >= 0 && worstGroupAccuracy <= 1) || !(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("accuracies must lie in [0, 1]: worst group " + worstGroupAccuracy
                    + ", average " + accuracy);
        }
    }

    /** From a parsed {@code metrics/val.json}; {@code where} names the file in the one-line error. */
    public static ValidationScores fromJson(JsonNode json, String where) {
        SplitMetrics m;
        try {
            // SplitMetrics (common) reads the file's map.
            @SuppressWarnings("unchecked")
            Map<String, Object> file = Json.mapper().convertValue(json, Map.class);
            m = SplitMetrics.fromJson(file);
        } catch (RuntimeException e) {
            throw new BadInputException(where + ": not a metrics file of the contract (" + e + ")", e);
        }
        if (!"val".equals(m.split())) {
            throw new BadInputException(where + ": holds split '" + m.split() + "', expected val");
        }
        if (!(m.worstGroupAccuracy() >= 0 && m.worstGroupAccuracy() <= 1) || !(m.accuracy() >= 0 && m.accuracy() <= 1)) {
            throw new BadInputException(where + ": worst_group_accuracy " + m.worstGroupAccuracy() + " and accuracy "
                    + m.accuracy() + " must lie in [0, 1]");
        }
        return new ValidationScores(m.worstGroupAccuracy(), m.accuracy());
    }
}
