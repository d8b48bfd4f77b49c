package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.common.metrics.CrossEntropy;
import io.readout.common.nets.Architecture;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.EpochRecord;
import io.readout.jobs.run.RunDir;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout train} on a small synthetic dataset: the run directory contract, selection and resume. */
class TrainIT extends SharedSparkSession {
    @TempDir
    static Path tmp;
    static String data;

    @BeforeAll
    static void prepare() {
        data = tmp.resolve("syn").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "256", "--n-val", "64", "--n-test",
                "64", "--out", data, "--shards", "2");
        assertEquals(0, run.code(), run.err());
    }

    static TrainConfig config(String out, int epochs) {
        return new TrainConfig("erm", Architecture.STUDENT, data, out, epochs, 32, "adam", 1e-2, 0, "relu", 2, 2, "direct", 0,
                7, "val_accuracy", 64, null, null, null).validate();
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void writesTheRunDirectoryOfTheContract() throws Exception {
        String out = tmp.resolve("run").toString();
        CliRun run = CliRun.of("train", "--method", "erm", "--arch", "student", "--data", data, "--out", out,
                "--epochs", "3", "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2",
                "--approach", "export");
        assertEquals(0, run.code(), run.err());
        assertEquals(3, run.out().lines().filter(l -> l.startsWith("epoch ")).count(), run.out());
        assertTrue(run.out().lines().filter(l -> l.startsWith("epoch ")).allMatch(l -> l.matches(
                "epoch \\d/3  loss \\d\\.\\d{4}  val_loss \\d+\\.\\d{4}  val_acc \\d\\.\\d{4}  val_wga .*")), run.out());
        Path dir = Path.of(out);
        for (String f : List.of("config.json", "history.json", "model.zip", "best.zip", "_SUCCESS")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        Map<String, Object> history = Json.readObject(Files.readString(dir.resolve("history.json")), "history");
        List<?> epochs = (List<?>) history.get("epochs");
        assertEquals(3, epochs.size());
        for (int e = 0; e < 3; e++) {
            Map<?, ?> entry = (Map<?, ?>) epochs.get(e);
            assertEquals(e + 1, entry.get("epoch"));
            for (String k : List.of("loss", "val_loss", "val_accuracy", "val_wga", "val_group_mean", "seconds",
                    "examples_per_second")) {
                assertTrue(entry.get(k) instanceof Number, k + " in " + entry);
            }
            double valLoss = ((Number) entry.get("val_loss")).doubleValue();
            assertTrue(valLoss > 0 && valLoss < -Math.log(CrossEntropy.PROBABILITY_FLOOR), "a mean of −ln p: " + entry);
        }
        // best.zip is the epoch with the highest val accuracy (the earliest on ties).
        int best = ((Number) history.get("best_epoch")).intValue();
        double bestAcc = -1;
        int expected = -1;
        for (Object o : epochs) {
            Map<?, ?> m = (Map<?, ?>) o;
            double acc = ((Number) m.get("val_accuracy")).doubleValue();
            if (acc > bestAcc) {
                bestAcc = acc;
                expected = ((Number) m.get("epoch")).intValue();
            }
        }
        assertEquals(expected, best);
        // Only the newest checkpoints are kept, each complete.
        assertFalse(Files.exists(dir.resolve("checkpoints/epoch=0001")));
        assertTrue(Files.exists(dir.resolve("checkpoints/epoch=0003/_SUCCESS")));
        assertFalse(Files.exists(dir.resolve("_export")), "export-mode temp files are cleaned up");
        Map<String, Object> config = Json.readObject(Files.readString(dir.resolve("config.json")), "config");
        assertEquals("student", config.get("arch"));
        assertEquals(2, config.get("averaging_frequency"));

        CliRun again = CliRun.of("train", "--arch", "student", "--data", data, "--out", out, "--epochs", "3",
                "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2", "--approach", "export");
        assertEquals(2, again.code());
        assertEquals("readout train: --out " + out + ": already holds a complete run; choose another folder, or --overwrite",
                again.err().strip());
        CliRun resumeComplete = CliRun.of("train", "--arch", "student", "--data", data, "--out", out, "--epochs", "3",
                "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2", "--approach", "export",
                "--resume");
        assertEquals(0, resumeComplete.code(), resumeComplete.err());
        assertTrue(resumeComplete.out().contains("already complete"));
    }

    @Test
    void stoppingAfterAnEpochAndResumingEndsWhereAnUninterruptedRunEnds() {
        ComputationGraph straight = TrainJob.run(spark, config(tmp.resolve("straight").toString(), 3), false, false,
                quiet()).model();
        String out = tmp.resolve("resumed").toString();
        TrainJob.Result stopped = TrainJob.run(spark, config(out, 3), false, false, quiet(), 1);
        assertEquals(1, stopped.history().size());
        assertFalse(new RunDir(spark.sparkContext().hadoopConfiguration(), out).isComplete());
        TrainJob.Result resumed = TrainJob.run(spark, config(out, 3), true, false, quiet());
        assertEquals(List.of(1, 2, 3), resumed.history().stream().map(EpochRecord::epoch).toList(),
                "no missing or duplicated epoch");
        assertArrayEquals(straight.params().toFloatVector(), resumed.model().params().toFloatVector(), 1e-6f);
        assertArrayEquals(straight.getUpdater().getStateViewArray().toFloatVector(),
                resumed.model().getUpdater().getStateViewArray().toFloatVector(), 1e-6f);
    }

    @Test
    void resumeRefusesDifferentFlagsAndAnInterruptedRunNeedsResume() {
        String out = tmp.resolve("interrupted").toString();
        TrainJob.run(spark, config(out, 2), false, false, quiet(), 1);
        CliRun plain = CliRun.of("train", "--arch", "student", "--data", data, "--out", out);
        assertEquals(2, plain.code());
        assertEquals("readout train: --out " + out + ": holds an interrupted run; pass --resume to continue it, or --overwrite",
                plain.err().strip());
        CliRun differs = CliRun.of("train", "--arch", "student", "--data", data, "--out", out, "--resume",
                "--epochs", "2", "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2",
                "--seed", "8");
        assertEquals(2, differs.code());
        assertEquals("readout train: --resume: --seed is 8 but the run was started with 7 (see its config.json)",
                differs.err().strip());
    }

    @Test
    void badInputs() {
        CliRun notPrepared = CliRun.of("train", "--arch", "student", "--data", tmp.resolve("nothing").toString(),
                "--out", tmp.resolve("x").toString());
        assertEquals(2, notPrepared.code());
        assertEquals("readout train: --data " + tmp.resolve("nothing") + ": no such file or directory",
                notPrepared.err().strip());
        CliRun arch = CliRun.of("train", "--arch", "huge", "--data", data, "--out", tmp.resolve("y").toString());
        assertEquals(2, arch.code());
        assertEquals("readout train: --arch 'huge' is not one of teacher, student", arch.err().strip());
        CliRun select = CliRun.of("train", "--arch", "student", "--data", data, "--out", tmp.resolve("z").toString(),
                "--select", "test_accuracy");
        assertEquals(2, select.code());
        assertTrue(select.err().startsWith("readout train: --select 'test_accuracy' is not one of"), select.err());
        assertFalse(Files.exists(tmp.resolve("x")));
        assertFalse(Files.exists(tmp.resolve("z")));
    }

    @Test
    void theMlpTrainsOnATableOfFeatures() throws Exception {
        // label = [x1 + 0.5 x2 > 0]: learnable by an MLP; attribute = [x2 > 0].
        Random r = new Random(3);
        List<String> lines = new ArrayList<>(List.of("x1,x2,label,attr,split"));
        String[] splits = {"train", "train", "train", "val", "test"};
        for (int i = 0; i < 600; i++) {
            double x1 = 2 * r.nextDouble() - 1;
            double x2 = 2 * r.nextDouble() - 1;
            lines.add(x1 + "," + x2 + "," + (x1 + 0.5 * x2 > 0 ? 1 : 0) + "," + (x2 > 0 ? 1 : 0) + "," + splits[i % 5]);
        }
        Path csv = tmp.resolve("tabular/points.csv");
        Files.createDirectories(csv.getParent());
        Files.write(csv, lines);
        String table = tmp.resolve("tabular-prepared").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "table", "--input", csv.toString(), "--label-col", "label",
                "--attribute-col", "attr", "--feature-cols", "x1,x2", "--out", table).code());
        String out = tmp.resolve("mlp").toString();
        CliRun train = CliRun.of("train", "--arch", "student", "--data", table, "--out", out, "--epochs", "6",
                "--batch", "16", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2");
        assertEquals(0, train.code(), train.err());
        CliRun eval = CliRun.of("evaluate", "--run", out, "--data", table, "--split", "test");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> test = Json.readObject(Files.readString(Path.of(out, "metrics/test.json")), "test.json");
        assertTrue(((Number) test.get("accuracy")).doubleValue() > 0.85, "test accuracy " + test.get("accuracy"));
        assertEquals(120, ((Number) test.get("n")).intValue());
    }
}
