package io.readout.jobs.pipeline;

import io.readout.common.Json;
import io.readout.jobs.run.RunDir;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's bookkeeping, {@code ROOT/stages/<stage>.json} or, for a stage of one seed,
 * {@code ROOT/seed=S/stages/<stage>.json} (written atomically by rename): the hash it
 * ran with, {@code running} or {@code done}, and once done the id of its output, which the stages
 * downstream fold into their hashes.
 */
record StageRecord(String stage, String hash, String status, String outputId, String started, String finished,
                   Double seconds, List<List<String>> commands) {
    static final String RUNNING = "running";
    static final String DONE = "done";

    static StageRecord running(Stage stage, String hash, Instant started, List<List<String>> commands) {
        return new StageRecord(stage.name(), hash, RUNNING, null, started.toString(), null, null, commands);
    }

    static StageRecord done(Stage stage, String hash, Instant started, Instant finished, double seconds,
                            String outputId, List<List<String>> commands) {
        return new StageRecord(stage.name(), hash, DONE, outputId, started.toString(), finished.toString(), seconds,
                commands);
    }

    boolean isDone() {
        return DONE.equals(status) && outputId != null;
    }

    /** The stage's record under {@code root}, or null when it never started. */
    static StageRecord read(RunDir root, Stage stage) {
        String name = stage.recordPath();
        if (!root.exists(name)) {
            return null;
        }
        Map<String, Object> m = Json.readObject(root.readText(name), root.path(name));
        Object cmd = m.get("commands");
        return new StageRecord((String) m.get("stage"), String.valueOf(m.get("hash")), (String) m.get("status"),
                (String) m.get("output_id"), (String) m.get("started"), (String) m.get("finished"),
                m.get("seconds") instanceof Number n ? n.doubleValue() : null,
                cmd instanceof List<?> l ? l.stream().map(c -> c instanceof List<?> args
                        ? args.stream().map(String::valueOf).toList() : List.of(String.valueOf(c))).toList() : List.of());
    }

    void write(RunDir root, Stage stage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", this.stage);
        m.put("hash", hash);
        m.put("status", status);
        m.put("output_id", outputId);
        m.put("started", started);
        m.put("finished", finished);
        m.put("seconds", seconds);
        m.put("commands", commands);
        root.writeText(stage.recordPath(), Json.write(m));
    }
}
