package io.readout.jobs.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.run.RunDir;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A stage's bookkeeping, {@code ROOT/stages/<stage>.json} or, for a stage of one seed,
 * {@code ROOT/seed=S/stages/<stage>.json} (written atomically by rename): the hash it
 * ran with, {@code running} or {@code done}, and once done the id of its output, which the stages
 * downstream fold into their hashes.
 */
@JsonPropertyOrder({"stage", "hash", "status", "output_id", "started", "finished", "seconds", "commands"})
@JsonIgnoreProperties(ignoreUnknown = true)
record StageRecord(String stage, String hash, Status status, @JsonProperty("output_id") String outputId,
                   String started, String finished, Double seconds, List<List<String>> commands) {
    /** Where a stage is: started and not (yet) done, or done. */
    enum Status {
        @JsonProperty("running") RUNNING,
        @JsonProperty("done") DONE
    }

    static StageRecord running(Stage stage, String hash, Instant started, List<List<String>> commands) {
        return new StageRecord(stage.name(), hash, Status.RUNNING, null, started.toString(), null, null, commands);
    }

    static StageRecord done(Stage stage, String hash, Instant started, Instant finished, double seconds,
                            String outputId, List<List<String>> commands) {
        return new StageRecord(stage.name(), hash, Status.DONE, outputId, started.toString(), finished.toString(),
                seconds, commands);
    }

    /**
     * A record as its file holds it: a command is a list of arguments, or one string in the records of older
     * versions; a hash written as a number is read as its text; no commands, none; a status other than running
     * or done, none (the stage is not done).
     */
    @JsonCreator
    static StageRecord fromJson(@JsonProperty("stage") String stage, @JsonProperty("hash") JsonNode hash,
                                @JsonProperty("status") JsonNode status, @JsonProperty("output_id") String outputId,
                                @JsonProperty("started") String started, @JsonProperty("finished") String finished,
                                @JsonProperty("seconds") Double seconds, @JsonProperty("commands") JsonNode commands) {
        List<List<String>> cmds = new ArrayList<>();
        if (commands != null && commands.isArray()) {
            for (JsonNode c : commands) {
                cmds.add(c.isArray() ? texts(c) : List.of(text(c)));
            }
        }
        Status s = status == null ? null : "running".equals(status.textValue()) ? Status.RUNNING
                : "done".equals(status.textValue()) ? Status.DONE : null;
        return new StageRecord(stage, hash == null || hash.isNull() ? "null" : text(hash), s, outputId, started,
                finished, seconds, List.copyOf(cmds));
    }

    /** A JSON value as {@code String.valueOf} gave it for the value read into a map. */
    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : String.valueOf(Json.mapper().convertValue(v, Object.class));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.isNull() ? "null" : text(a)));
        return List.copyOf(out);
    }

    @JsonIgnore
    boolean isDone() {
        return status == Status.DONE && outputId != null;
    }

    /** The stage's record under {@code root}, or null when it never started. */
    static StageRecord read(RunDir root, Stage stage) {
        String name = stage.recordPath();
        if (!root.exists(name)) {
            return null;
        }
        return JsonFiles.read(root.readText(name), root.path(name), StageRecord.class);
    }

    void write(RunDir root, Stage stage) {
        root.writeText(stage.recordPath(), Json.write(this));
    }
}
