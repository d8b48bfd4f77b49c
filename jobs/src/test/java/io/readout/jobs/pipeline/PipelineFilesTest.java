package io.readout.jobs.pipeline;

import io.readout.jobs.TestResources;

import io.readout.common.Json;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's files as the code before the typed records wrote them ({@code today/}, written by that code
 * from these inputs): written byte for byte the same, and read back.
 */
class PipelineFilesTest {
    private static final Stage TEACHER = new Stage("teacher", List.of(List.of("train", "--arch=teacher", "--lr=0.01")),
            "teacher", Stage.Kind.RUN, List.of("prepare"), List.of());
    private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.123Z");

    @TempDir
    Path dir;

    static String fixture(String name) throws IOException {
        return TestResources.text(PipelineFilesTest.class, "today/" + name);
    }

    @Test
    void stageRecordsAreWrittenAsBefore() throws IOException {
        RunDir root = new RunDir(new Configuration(), dir.toString());
        StageRecord.running(TEACHER, "abc123", STARTED, TEACHER.commands()).write(root, TEACHER);
        assertEquals(fixture("stage-running.json"), Files.readString(dir.resolve(TEACHER.recordPath())));
        StageRecord.done(TEACHER, "abc123", STARTED, Instant.parse("2026-01-02T03:05:06Z"), 61.25, "out-9f",
                TEACHER.commands()).write(root, TEACHER);
        assertEquals(fixture("stage-done.json"), Files.readString(dir.resolve(TEACHER.recordPath())));
    }

    @Test
    void stageRecordsWrittenBeforeAreRead() throws IOException {
        RunDir root = new RunDir(new Configuration(), dir.toString());
        Files.createDirectories(dir.resolve(TEACHER.recordPath()).getParent());
        Files.writeString(dir.resolve(TEACHER.recordPath()), fixture("stage-done.json"));
        StageRecord done = StageRecord.read(root, TEACHER);
        assertEquals(new StageRecord("teacher", "abc123", StageRecord.Status.DONE, "out-9f", "2026-01-02T03:04:05.123Z",
                "2026-01-02T03:05:06Z", 61.25, TEACHER.commands()), done);
        assertTrue(done.isDone());
        Files.writeString(dir.resolve(TEACHER.recordPath()), fixture("stage-running.json"));
        StageRecord running = StageRecord.read(root, TEACHER);
        assertFalse(running.isDone());
        assertEquals(null, running.seconds());
    }

    @Test
    void olderStageRecordsWithOneStringPerCommandAndANumericHashAreRead() throws IOException {
        RunDir root = new RunDir(new Configuration(), dir.toString());
        Files.createDirectories(dir.resolve(TEACHER.recordPath()).getParent());
        Files.writeString(dir.resolve(TEACHER.recordPath()), "{\"stage\": \"teacher\", \"hash\": 12, \"status\": \"done\","
                + " \"output_id\": \"o\", \"commands\": [\"train --arch=teacher\", [\"evaluate\", 3]], \"extra\": 1}");
        StageRecord r = StageRecord.read(root, TEACHER);
        assertEquals("12", r.hash());
        assertEquals(List.of(List.of("train --arch=teacher"), List.of("evaluate", "3")), r.commands());
        Files.writeString(dir.resolve(TEACHER.recordPath()), "{\"stage\": \"teacher\", \"hash\": \"h\"}");
        assertEquals(List.of(), StageRecord.read(root, TEACHER).commands());
        Files.writeString(dir.resolve(TEACHER.recordPath()), "{\"stage\": \"teacher\", \"hash\": \"h\","
                + " \"status\": \"finished\", \"output_id\": \"o\"}");
        assertFalse(StageRecord.read(root, TEACHER).isDone());
    }

    @Test
    void aPipelineConfigIsSavedAsBefore() throws IOException {
        String json = fixture("pipeline-given.json");
        PipelineSpec spec = PipelineSpec.parse(json, "pipeline.json", List.of("students.methods=erm,sifer",
                "methods.sifer.forget-every=5", "train.lr=0.5", "teacher.epochs=null", "evaluate.batch=256",
                "data_seed=3"));
        assertEquals(fixture("pipeline-written.json"), Json.write(spec.toJson()));
        PipelineSpec again = PipelineSpec.parse(fixture("pipeline-written.json"), "pipeline.json", List.of());
        assertEquals(fixture("pipeline-written.json"), Json.write(again.toJson()));
        assertEquals(List.of("erm", "sifer"), again.methods());
        assertEquals("0.5", again.flags(PipelineSpec.TRAIN).get("lr"));
        assertEquals("5", again.methodFlags("sifer").get("forget-every"));
        assertEquals(3L, again.dataSeed());
    }
}
