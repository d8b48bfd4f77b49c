package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.countDistinct;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Driver death: a DEDIER student run as its own driver JVM ({@link ChildJvm}, {@code local[2]}) is
 * killed with SIGKILL during epoch 2's training and during epoch 2's weights pass; {@code train --resume}
 * in this process then completes it, and the run must equal an undisturbed one with the same seed:
 * epochs 1, 2, 3 once each in history.json, one complete weights table per epoch with one row per
 * training example, the same final parameters (bit for bit) and the same test metrics
 * (exactly). Figures go to stdout as {@code driver-kill:} lines. {@code mvn verify} runs the weights-pass
 * kill; {@code -Dreadout.reliability.full=true} adds the kill during training (docs/RELIABILITY.md).
 */
class DriverKillIT extends SharedSparkSession {
    @TempDir
    static Path tmp;
    static Path data;
    static Path teacher;
    static Path straight;
    static final int EPOCHS = 3;
    static final int N_TRAIN = 256;

    @BeforeAll
    static void fixture() {
        data = tmp.resolve("syn");
        ok(CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "" + N_TRAIN, "--n-val", "64", "--n-test",
                "64", "--shards", "2", "--out", data.toString(), "--seed", "3"));
        teacher = tmp.resolve("teacher");
        ok(CliRun.of("train", "--arch", "student", "--data", data.toString(), "--out", teacher.toString(),
                "--epochs", "1", "--batch", "32", "--lr", "0.01", "--workers", "2", "--seed", "3"));
        straight = tmp.resolve("straight");
        ok(CliRun.of(student(straight)));
        ok(CliRun.of("evaluate", "--run", straight.toString(), "--data", data.toString(), "--split", "test"));
    }

    static String[] student(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--method", "dedier", "--arch", "student", "--teacher",
                teacher.toString(), "--data", data.toString(), "--out", out.toString(), "--epochs", "" + EPOCHS,
                "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2", "--refresh", "1",
                "--seed", "3"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    static CliRun ok(CliRun run) {
        assertEquals(0, run.code(), run.err());
        return run;
    }

    @Test
    @EnabledIfSystemProperty(named = "readout.reliability.full", matches = "true")
    void killedDuringEpochTwosTraining() throws Exception {
        Path run = tmp.resolve("killed-training");
        // Epoch 2's weights table is committed: its training has started.
        killAndResume(run, () -> Files.exists(run.resolve("weights/epoch=0002/_SUCCESS")), 300);
    }

    @Test
    void killedDuringEpochTwosWeightsPass() throws Exception {
        Path run = tmp.resolve("killed-weights");
        // The weights pass of epoch 2 is writing its hidden temporary table.
        killAndResume(run, () -> hiddenTemporary(run.resolve("weights"), ".epoch=0002.tmp-"), 0);
    }

    private void killAndResume(Path run, BooleanSupplier marker, long delayMillis) throws Exception {
        long t0 = System.nanoTime();
        String where;
        try (ChildJvm driver = ChildJvm.readout(tmp.resolve("logs"), run.getFileName().toString(), "2g",
                student(run))) {
            assertTrue(driver.awaitOut("epoch 1/" + EPOCHS, Duration.ofMinutes(3)), "epoch 1 never ended:\n"
                    + driver.err());
            assertTrue(driver.await(marker, Duration.ofMinutes(2)), "the marker never appeared:\n" + driver.out());
            ChildJvm.sleep(delayMillis);
            assertTrue(driver.alive(), "the driver ended before the kill:\n" + driver.out());
            driver.kill();
            where = driver.out().lines().filter(l -> l.startsWith("epoch ")).reduce((a, b) -> b).orElse("none");
        }
        assertFalse(Files.exists(run.resolve("_SUCCESS")), "killed before the end");
        assertTrue(Files.exists(run.resolve("checkpoints/epoch=0001/_SUCCESS")));

        CliRun resumed = ok(CliRun.of(student(run, "--resume")));
        assertEquals(List.of("epoch 2/" + EPOCHS, "epoch 3/" + EPOCHS), resumed.out().lines()
                .filter(l -> l.startsWith("epoch ")).map(l -> l.substring(0, l.indexOf(' ', 6))).toList(), resumed.out());
        ok(CliRun.of("evaluate", "--run", run.toString(), "--data", data.toString(), "--split", "test"));

        // No missing or duplicated epoch; one complete weights table per epoch, one row per training example.
        Map<String, Object> history = Json.readObject(Files.readString(run.resolve("history.json")), "history");
        assertEquals(List.of(1, 2, 3), ((List<?>) history.get("epochs")).stream()
                .map(e -> ((Map<?, ?>) e).get("epoch")).toList());
        long rows = 0;
        for (int e = 1; e <= EPOCHS; e++) {
            Path w = run.resolve("weights/epoch=000" + e);
            assertTrue(Files.exists(w.resolve("_SUCCESS")), w.toString());
            Row r = spark.read().parquet(w.resolve("weights").toString()).agg(
                    org.apache.spark.sql.functions.count("id"), countDistinct("id")).first();
            assertEquals(N_TRAIN, r.getLong(0), w.toString());
            assertEquals(N_TRAIN, r.getLong(1), w.toString());
            rows += r.getLong(0);
        }
        assertFalse(hiddenTemporary(run.resolve("weights"), ".tmp-"), "no temporary table left");

        // The same model and figures as the run that was never stopped.
        Configuration conf = new Configuration();
        float[] a = new RunDir(conf, straight.toString()).loadModel(RunDir.MODEL).params().toFloatVector();
        float[] b = new RunDir(conf, run.toString()).loadModel(RunDir.MODEL).params().toFloatVector();
        float maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        assertArrayEquals(a, b, "the same parameters, bit for bit");
        Map<String, Object> want = Json.readObject(Files.readString(straight.resolve("metrics/test.json")), "test");
        Map<String, Object> got = Json.readObject(Files.readString(run.resolve("metrics/test.json")), "test");
        assertEquals(want, got);
        System.out.printf("driver-kill: %s: killed after '%s'; resumed epochs 2-3; %d weights rows and %d epochs checked;"
                        + " max |param difference| %.2e; test accuracy %s, worst-group %s (undisturbed: %s, %s); %.0f s%n",
                run.getFileName(), where, rows, EPOCHS, maxDiff, got.get("accuracy"), got.get("worst_group_accuracy"),
                want.get("accuracy"), want.get("worst_group_accuracy"), (System.nanoTime() - t0) / 1e9);
    }

    static boolean hiddenTemporary(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix)
                    || p.getFileName().toString().contains(prefix));
        } catch (IOException e) {
            return false;
        }
    }
}
