package io.readout.jobs.pipeline;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.io.FolderLock;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout pipeline} on a small synthetic dataset with every student method: a complete first run,
 * a rerun that skips everything, a changed method option that reruns only that student and its
 * evaluation, a student that died mid-run resumed from its checkpoint, changed data that reruns
 * everything downstream, and bad configs refused before anything is written.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT extends SharedSparkSession {
    private static final List<String> STAGES = List.of("prepare", "teacher", "teacher-probs", "students/erm",
            "students/kd", "students/jtt", "students/dedier", "students/sifer", "evaluate/teacher",
            "evaluate/students/erm", "evaluate/students/kd", "evaluate/students/jtt", "evaluate/students/dedier",
            "evaluate/students/sifer", "report");
    private static final Pattern OUTCOME = Pattern.compile("(?m)^\\[\\d+/\\d+] (\\S+): (done in|up to date|failed)");

    @TempDir
    static Path tmp;

    private static Path config() throws IOException {
        Path file = tmp.resolve("pipeline.json");
        if (!Files.exists(file)) {
            Files.writeString(file, """
                    {"out": "%s", "seed": 5,
                     "prepare": {"dataset": "synthetic", "n-train": 256, "n-val": 64, "n-test": 64, "shards": 2},
                     "train": {"epochs": 2, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2,
                               "eval-batch": 64},
                     "teacher": {"arch": "student"},
                     "teacher_probs": {"temperature": 2},
                     "students": {"arch": "student", "methods": ["erm", "kd", "jtt", "dedier", "sifer"]},
                     "methods": {"jtt": {"jtt-epochs": 1, "upweight": 3}, "sifer": {"forget-every": 3}},
                     "report": {"examples-per-group": 1}}
                    """.formatted(root()));
        }
        return file;
    }

    private static Path root() {
        return tmp.resolve("root");
    }

    private static CliRun pipeline(String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("pipeline", "--config", config().toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    /** Stage → "done in" / "up to date" / "failed", from the run's own lines. */
    private static Map<String, String> outcomes(CliRun run) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = OUTCOME.matcher(run.out());
        while (matcher.find()) {
            m.put(matcher.group(1), matcher.group(2));
        }
        return m;
    }

    private static List<String> ran(CliRun run) {
        return outcomes(run).entrySet().stream().filter(e -> e.getValue().equals("done in")).map(Map.Entry::getKey)
                .toList();
    }

    private static Map<String, Object> record(String stage) throws IOException {
        Path p = root().resolve("stages").resolve(stage.replace('/', '-') + ".json");
        return Json.readObject(Files.readString(p), p.toString());
    }

    @Test
    @Order(1)
    void aFirstRunCompletesEveryStage() throws IOException {
        CliRun run = pipeline();
        assertEquals(0, run.code(), run.err() + run.out());
        assertEquals(STAGES, ran(run));
        for (String r : List.of("teacher", "students/erm", "students/kd", "students/jtt", "students/dedier",
                "students/sifer")) {
            Path dir = root().resolve(r);
            for (String f : List.of("_SUCCESS", "model.zip", "best.zip", "history.json", "metrics/val.json",
                    "metrics/test.json", "metrics/best/val.json", "metrics/best/test.json")) {
                assertTrue(Files.exists(dir.resolve(f)), dir.resolve(f).toString());
            }
        }
        assertTrue(Files.exists(root().resolve("data/_SUCCESS")));
        assertTrue(Files.exists(root().resolve("teacher-probs/_SUCCESS")));
        assertTrue(Files.exists(root().resolve("students/dedier/weights/epoch=0002/summary.json")));
        assertTrue(Files.exists(root().resolve("pipeline.json")));
        assertTrue(Files.exists(root().resolve("report/_SUCCESS")));
        assertTrue(run.out().contains("report: " + root().resolve("report/report.html")), run.out());
        for (String s : STAGES) {
            assertEquals("done", record(s).get("status"), s);
        }
        // Progress a person can follow: per stage a start and an end with elapsed time, per epoch an ETA.
        assertTrue(run.out().contains("[2/15] teacher: starting at "), run.out());
        assertTrue(run.out().contains("    readout train --method=erm --arch=student --epochs=2"), run.out());
        assertTrue(run.out().contains("epoch 1/2  loss "), run.out());
        assertTrue(run.out().contains("  eta "), run.out());
        assertTrue(run.out().contains("pipeline done in "), run.out());
        // The methods table, final and best model of every run.
        assertTrue(run.out().matches("(?s).*\\nstudent dedier +final +[01]\\.\\d{4} .*"), run.out());
        assertTrue(run.out().matches("(?s).*\\nstudent sifer +best +[01]\\.\\d{4} .*"), run.out());
    }

    @Test
    @Order(2)
    void aRerunSkipsEveryCompleteStage() throws IOException {
        CliRun run = pipeline();
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of(), ran(run));
        assertEquals(STAGES.size(), outcomes(run).values().stream().filter("up to date"::equals).count());
        assertFalse(run.out().contains("epoch 1/"), run.out());
    }

    @Test
    @Order(3)
    void aChangedMethodOptionRerunsThatStudentAndItsEvaluationOnly() throws IOException {
        String before = (String) record("students/sifer").get("hash");
        CliRun run = pipeline("--set", "methods.sifer.forget-every=2");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("students/sifer", "evaluate/students/sifer", "report"), ran(run));
        assertFalse(before.equals(record("students/sifer").get("hash")));
        Map<String, Object> config = Json.readObject(Files.readString(root().resolve("students/sifer/config.json")), "c");
        assertEquals(2, ((Map<?, ?>) config.get("sifer")).get("forget_every"));
    }

    @Test
    @Order(4)
    void aStudentThatDiedIsResumedFromItsCheckpoint() throws IOException {
        // As if the driver died during epoch 2: record still running, no model, no _SUCCESS, no epoch-2 checkpoint.
        Path stageFile = root().resolve("stages/students-erm.json");
        Map<String, Object> rec = record("students/erm");
        rec.put("status", "running");
        rec.put("output_id", null);
        Files.writeString(stageFile, Json.write(rec));
        Files.deleteIfExists(stageFile.resolveSibling(".students-erm.json.crc"));
        Path erm = root().resolve("students/erm");
        Files.delete(erm.resolve("_SUCCESS"));
        Files.delete(erm.resolve("model.zip"));
        deleteTree(erm.resolve("checkpoints/epoch=0002"));

        CliRun run = pipeline("--set", "methods.sifer.forget-every=2");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("students/erm", "evaluate/students/erm", "report"), ran(run));
        assertTrue(run.out().contains("students/erm: resuming at "), run.out());
        String ermLines = run.out().substring(run.out().indexOf("students/erm: resuming"),
                run.out().indexOf("students/erm: done in"));
        assertTrue(ermLines.contains("--resume") && ermLines.contains("epoch 2/2"), ermLines);
        assertFalse(ermLines.contains("epoch 1/2"), ermLines);
        Map<String, Object> history = Json.readObject(Files.readString(erm.resolve("history.json")), "h");
        assertEquals(List.of(1, 2), ((List<?>) history.get("epochs")).stream()
                .map(e -> ((Map<?, ?>) e).get("epoch")).toList());
        assertTrue(Files.exists(erm.resolve("_SUCCESS")));
    }

    @Test
    @Order(5)
    void changedDataRerunsEverythingDownstream() throws IOException {
        CliRun run = pipeline("--set", "prepare.n-train=192", "--methods", "erm", "--set",
                "methods.sifer.forget-every=2");
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of("prepare", "teacher", "students/erm", "evaluate/teacher", "evaluate/students/erm",
                "report"), ran(run));
        // The report shows the runs of the config as it is now, not the students it no longer lists.
        String html = Files.readString(root().resolve("report/report.html"));
        assertTrue(html.contains("student erm"), "erm in the report");
        assertFalse(html.contains("student dedier"), "dedier was dropped from the config");
        Map<String, Object> dataset = Json.readObject(Files.readString(root().resolve("data/dataset.json")), "d");
        assertTrue(Json.write(dataset).contains("192"), Json.write(dataset));
    }

    @Test
    @Order(6)
    void badConfigsAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path fresh = tmp.resolve("never");
        CliRun unknownKey = pipeline("--out", fresh.toString(), "--set", "studnets.methods=erm");
        assertEquals(2, unknownKey.code());
        assertEquals(1, unknownKey.errLines().length, unknownKey.err());
        assertTrue(unknownKey.err().startsWith("readout pipeline: " + config() + ": unknown key 'studnets'"),
                unknownKey.err());

        CliRun unknownFlag = pipeline("--out", fresh.toString(), "--set", "train.epoch=2");
        assertEquals(2, unknownFlag.code());
        assertEquals(1, unknownFlag.errLines().length, unknownFlag.err());
        assertTrue(unknownFlag.err().startsWith("readout pipeline: stage teacher: Unknown option: '--epoch=2'"),
                unknownFlag.err());
        assertFalse(Files.exists(fresh), "nothing written for a refused config");

        // A stage's own bad input: its one line and exit code, the stage reported failed, no half output.
        CliRun missing = pipeline("--out", fresh.toString(), "--set", "prepare.dataset=dominoes", "--set",
                "prepare.n-train=null", "--set", "prepare.n-val=null", "--set", "prepare.n-test=null", "--set",
                "prepare.mnist=" + tmp.resolve("no-such-folder"), "--set", "prepare.fashion=" + tmp);
        assertEquals(2, missing.code(), missing.err());
        assertEquals(1, missing.errLines().length, missing.err());
        assertTrue(missing.err().startsWith("readout prepare: --mnist "), missing.err());
        assertEquals("failed", outcomes(missing).get("prepare"));
        assertFalse(Files.exists(fresh.resolve("data")));
    }

    @Test
    @Order(7)
    void aSecondPipelineOnTheSameRootIsRefusedWhileTheFirstRuns() throws IOException {
        try (FolderLock held = FolderLock.take(
                new Configuration(), root().toString(), "--out")) {
            CliRun second = pipeline();
            assertEquals(3, second.code(), second.err());
            assertEquals(1, second.errLines().length, second.err());
            assertTrue(second.err().startsWith("readout pipeline: --out " + root() + ": locked by "), second.err());
        }
        CliRun after = pipeline("--set", "prepare.n-train=192", "--methods", "erm", "--set",
                "methods.sifer.forget-every=2");
        assertEquals(0, after.code(), after.err());
        assertFalse(Files.exists(root().resolve("lock")), "released");
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
