package io.readout.jobs.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A promoted version's {@code version.json}.
 *
 * @param version  its name, e.g. {@code v000002}
 * @param created  the time of its decision
 * @param source   the run dir it was copied from
 * @param metrics  the run's {@code metrics/*.json} by name ({@code val}, {@code test}…), in the order they were
 *                 listed, each as its file holds it
 * @param decision the decision that promoted it
 */
@JsonPropertyOrder({"version", "created", "source", "metrics", "decision"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record VersionFile(@JsonProperty("version") String version, @JsonProperty("created") String created,
                          @JsonProperty("source") String source, @JsonProperty("metrics") Map<String, JsonNode> metrics,
                          @JsonProperty("decision") DecisionEntry decision) {

    public VersionFile {
        metrics = metrics == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Reads a version.json; {@code where} names it in the one-line error. */
    public static VersionFile read(String json, String where) {
        try {
            return Json.mapper().readValue(json, VersionFile.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }
}
