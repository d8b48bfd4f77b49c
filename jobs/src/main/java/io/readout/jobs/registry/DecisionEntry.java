package io.readout.jobs.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One decision of the registry: an entry of its {@code history.json} ({@code "decisions"}) and the
 * {@code "decision"} of a promoted version's {@code version.json}.
 *
 * @param time              when it was decided (ISO-8601, UTC)
 * @param candidate         the candidate run dir
 * @param candidateVal      the candidate's {@code metrics/val.json}, as that file holds it
 * @param current           the version current when deciding, or null
 * @param currentVal        that version's {@code metrics/val.json}, or null
 * @param decision          {@value Registry#ACCEPTED} or {@value Registry#REFUSED}
 * @param reason            the policy's one-line reason
 * @param version           the new version when accepted, else null
 * @param decidedBy         {@code HOST pid PID} of the process that decided
 * @param recovered         true when a later run appended this decision from the version's version.json (its
 *                          own run died after moving the pointer); absent otherwise
 */
@JsonPropertyOrder({"time", "candidate", "candidate_val", "current", "current_val", "tolerance", "accuracy_tolerance",
        "decision", "reason", "version", "decided_by", "recovered"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record DecisionEntry(@JsonProperty("time") String time, @JsonProperty("candidate") String candidate,
                            @JsonProperty("candidate_val") JsonNode candidateVal,
                            @JsonProperty("current") String current,
                            @JsonProperty("current_val") JsonNode currentVal,
                            @JsonProperty("tolerance") double tolerance,
                            @JsonProperty("accuracy_tolerance") double accuracyTolerance,
                            @JsonProperty("decision") String decision, @JsonProperty("reason") String reason,
                            @JsonProperty("version") String version, @JsonProperty("decided_by") String decidedBy,
                            @JsonProperty("recovered") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean recovered) {

    /** A JSON null read back stays a Java null. */
    public DecisionEntry {
        candidateVal = candidateVal == null || candidateVal.isNull() ? null : candidateVal;
        currentVal = currentVal == null || currentVal.isNull() ? null : currentVal;
    }

    /** True when the candidate became the current version. */
    public boolean accepted() {
        return Registry.ACCEPTED.equals(decision);
    }

    /** This decision as a later run appends it to the history: marked recovered. */
    DecisionEntry markedRecovered() {
        return new DecisionEntry(time, candidate, candidateVal, current, currentVal, tolerance, accuracyTolerance,
                decision, reason, version, decidedBy, true);
    }
}
