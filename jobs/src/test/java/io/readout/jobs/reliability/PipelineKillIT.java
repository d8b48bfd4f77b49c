package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Driver death under the pipeline: {@code readout pipeline} runs as its own driver JVM ({@link ChildJvm},
 * {@code local[2]}) and is killed with SIGKILL while its DEDIER student trains epoch 2; the same command,
 * simply run again (in this process), skips the stages that were done, resumes the student from its
 * checkpoint and finishes. Checked: every stage record done, the student's epochs 1, 2, 3 once each, one
 * complete weights table per epoch, the teacher not retrained, and the final test metrics equal to a
 * pipeline that was never stopped (tolerance stated in docs/RELIABILITY.md: exact here).
 */
class PipelineKillIT extends SharedSparkSession {
    private static final int EPOCHS = 3;
    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void fixture() {
        data = tmp.resolve("syn");
        CliRun prepare = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "256", "--n-val", "64",
                "--n-test", "64", "--shards", "2", "--out", data.toString(), "--seed", "3");
        assertEquals(0, prepare.code(), prepare.err());
    }

    private static Path config(Path root) throws IOException {
        Path file = tmp.resolve(root.getFileName() + ".json");
        Files.writeString(file, """
                {"out": "%s", "seed": 3, "data": "%s",
                 "train": {"epochs": %d, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2},
                 "teacher": {"arch": "student", "epochs": 1},
                 "students": {"methods": ["dedier"]},
                 "report": false}
                """.formatted(root, data, EPOCHS));
        return file;
    }

    @Test
    void aKilledPipelineIsFinishedByRunningItAgain() throws Exception {
        long t0 = System.nanoTime();
        Path straight = tmp.resolve("straight");
        CliRun undisturbed = CliRun.of("pipeline", "--config", config(straight).toString());
        assertEquals(0, undisturbed.code(), undisturbed.err());

        Path root = tmp.resolve("killed");
        Path config = config(root);
        String lastLine;
        try (ChildJvm driver = ChildJvm.readout(tmp.resolve("logs"), "pipeline", "2g", "pipeline", "--config",
                config.toString())) {
            // Epoch 1 of the student printed: epoch 2 (its weights pass, then its training) is under way.
            assertTrue(driver.await(() -> {
                String out = driver.out();
                int student = out.indexOf("students/dedier: starting");
                return student >= 0 && out.indexOf("epoch 1/" + EPOCHS, student) >= 0;
            }, Duration.ofMinutes(4)), "the student's epoch 1 never ended:\n" + driver.out() + driver.err());
            ChildJvm.sleep(300);
            assertTrue(driver.alive(), "the pipeline ended before the kill:\n" + driver.out());
            driver.kill();
            lastLine = driver.out().strip().lines().reduce((a, b) -> b).orElse("");
        }
        Map<String, Object> died = record(root, "students-dedier");
        assertEquals("running", died.get("status"), "killed inside the student's stage");

        CliRun rerun = CliRun.of("pipeline", "--config", config.toString());
        assertEquals(0, rerun.code(), rerun.err());
        String out = rerun.out();
        assertTrue(out.contains("teacher: up to date, skipped"), out);
        assertTrue(out.contains("students/dedier: resuming"), out);
        String student = out.substring(out.indexOf("students/dedier: resuming"), out.indexOf("students/dedier: done"));
        assertFalse(student.contains("epoch 1/" + EPOCHS), "epoch 1 is not trained again:\n" + student);
        assertTrue(student.contains("epoch " + EPOCHS + "/" + EPOCHS), student);

        for (String stage : List.of("teacher", "students-dedier", "evaluate-teacher", "evaluate-students-dedier")) {
            assertEquals("done", record(root, stage).get("status"), stage);
        }
        Path run = root.resolve("students/dedier");
        Map<String, Object> history = Json.readObject(Files.readString(run.resolve("history.json")), "history");
        assertEquals(List.of(1, 2, 3), ((List<?>) history.get("epochs")).stream()
                .map(e -> ((Map<?, ?>) e).get("epoch")).toList());
        for (int e = 1; e <= EPOCHS; e++) {
            Path w = run.resolve("weights/epoch=000" + e);
            assertTrue(Files.exists(w.resolve("_SUCCESS")), w.toString());
            assertEquals(256L, spark.read().parquet(w.resolve("weights").toString()).select("id").distinct().count());
        }
        for (String split : List.of("val", "test")) {
            Map<String, Object> want = Json.readObject(Files.readString(straight.resolve(
                    "students/dedier/metrics/" + split + ".json")), split);
            Map<String, Object> got = Json.readObject(Files.readString(run.resolve("metrics/" + split + ".json")), split);
            assertEquals(want, got, split);
        }
        System.out.printf("pipeline-kill: killed after '%s'; rerun resumed the student, %d epochs and %d weights"
                + " tables checked, test metrics equal to the undisturbed pipeline; %.0f s%n", lastLine.strip(), EPOCHS,
                EPOCHS, (System.nanoTime() - t0) / 1e9);
    }

    private static Map<String, Object> record(Path root, String name) throws IOException {
        Path p = root.resolve("stages/" + name + ".json");
        return Json.readObject(Files.readString(p), p.toString());
    }
}
