package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout train --method jtt} on a small synthetic dataset: stage one as a complete ERM run, the
 * error set against stage one's model run locally, stage two's upsampled epochs, evaluation of the run,
 * and a resume after stage one that ends where the uninterrupted run ends.
 */
class JttIT extends SharedSparkSession {
    private static final int N_TRAIN = 256;
    private static final int UPWEIGHT = 3;
    private static final String[] FLAGS = {"--arch", "student", "--epochs", "2", "--jtt-epochs", "1",
        "--upweight", String.valueOf(UPWEIGHT), "--batch", "32", "--lr", "0.01", "--workers", "2",
        "--averaging-frequency", "2", "--seed", "7", "--eval-batch", "64"};

    @TempDir
    static Path tmp;
    static String data;
    static Path run;
    static CliRun train;

    @BeforeAll
    static void prepareAndTrain() {
        data = tmp.resolve("syn").toString();
        CliRun prepare = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", String.valueOf(N_TRAIN),
                "--n-val", "64", "--n-test", "64", "--out", data, "--shards", "2");
        assertEquals(0, prepare.code(), prepare.err());
        run = tmp.resolve("jtt");
        train = train(run, false);
        assertEquals(0, train.code(), train.err());
    }

    static CliRun train(Path out, boolean resume) {
        List<String> args = new ArrayList<>(List.of("train", "--method", "jtt", "--data", data, "--out", out.toString()));
        args.addAll(List.of(FLAGS));
        if (resume) {
            args.add("--resume");
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    /** The config the command line makes of {@link #FLAGS}. */
    static TrainConfig config(Path out) {
        return new TrainConfig("jtt", Architecture.STUDENT, data, out.toString(), 2, 32, "adam", 0.01, 0, "relu", 2, 2,
                AveragingConfig.DEFAULT_APPROACH, AveragingConfig.DEFAULT_PREFETCH_BATCHES, 7, "val_accuracy", 64,
                null, new JttOptions(1, UPWEIGHT), null).validate();
    }

    static Map<String, Object> json(Path file) throws Exception {
        return Json.readObject(Files.readString(file), file.toString());
    }

    static List<Map<?, ?>> epochs(Path dir) throws Exception {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object o : (List<?>) json(dir.resolve(RunDir.HISTORY)).get("epochs")) {
            out.add((Map<?, ?>) o);
        }
        return out;
    }

    static long errorCount() throws Exception {
        return ((Number) json(run.resolve(Jtt.ERRORS_JSON)).get("errors")).longValue();
    }

    @Test
    void stageOneIsACompleteErmRunOfJttEpochs() throws Exception {
        Path stageOne = run.resolve(Jtt.STAGE_ONE);
        for (String f : List.of("config.json", "history.json", "model.zip", "best.zip", "_SUCCESS")) {
            assertTrue(Files.exists(stageOne.resolve(f)), "stage1/" + f);
        }
        Map<String, Object> config = json(stageOne.resolve(RunDir.CONFIG));
        assertEquals("erm", config.get("method"));
        assertEquals(1, config.get("epochs"));
        assertEquals(7, config.get("seed"));
        assertFalse(config.containsKey("jtt"));
        assertEquals(1, epochs(stageOne).size());
        assertEquals(N_TRAIN, ((Number) epochs(stageOne).get(0).get("train_rows")).intValue());
    }

    @Test
    void theErrorSetIsWhatStageOnesModelGetsWrongOnTheTrainingSplit() throws Exception {
        Path errorsDir = run.resolve(Jtt.ERRORS);
        assertTrue(Files.exists(errorsDir.resolve("_SUCCESS")));
        List<Row> rows = spark.read().parquet(errorsDir.toString()).collectAsList();
        assertEquals(List.of("id", "label", "group", "pred", "confidence"),
                List.of(spark.read().parquet(errorsDir.toString()).columns()));

        // Stage one's final model, run here on the training split, one batch.
        ExamplesTable table = ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), data,
                "--data");
        List<Row> trainRows = table.split(spark, Split.TRAIN).collectAsList();
        assertEquals(N_TRAIN, trainRows.size());
        ComputationGraph stageOne = new RunDir(spark.sparkContext().hadoopConfiguration(),
                run.resolve(Jtt.STAGE_ONE).toString()).loadModel(RunDir.MODEL);
        INDArray probs = stageOne.outputSingle(false, Minibatches.features(trainRows, table));
        Set<String> expected = new HashSet<>();
        Map<Integer, Integer> expectedByGroup = new HashMap<>();
        for (int i = 0; i < trainRows.size(); i++) {
            Row r = trainRows.get(i);
            int pred = probs.getDouble(i, 1) > probs.getDouble(i, 0) ? 1 : 0;
            if (pred != r.getInt(r.fieldIndex(ExamplesSchema.LABEL))) {
                expected.add(r.getString(r.fieldIndex(ExamplesSchema.ID)));
                expectedByGroup.merge(r.getInt(r.fieldIndex(ExamplesSchema.GROUP)), 1, Integer::sum);
            }
        }
        Set<String> ids = new HashSet<>();
        for (Row r : rows) {
            ids.add(r.getString(0));
            assertNotEquals(r.getInt(1), r.getInt(3), "an error's prediction differs from its label: " + r);
            assertTrue(r.getFloat(4) >= 0.5f, "the confidence of the wrong class: " + r);
        }
        assertEquals(rows.size(), ids.size(), "each error once");
        assertEquals(expected, ids);
        assertTrue(!ids.isEmpty() && ids.size() < N_TRAIN, "a usable error set: " + ids.size());

        Map<String, Object> counts = json(run.resolve(Jtt.ERRORS_JSON));
        assertEquals((long) ids.size(), errorCount());
        assertEquals(N_TRAIN, ((Number) counts.get("n")).intValue());
        long sumN = 0;
        Map<Integer, Integer> byGroup = new HashMap<>();
        for (Object o : (List<?>) counts.get("groups")) {
            Map<?, ?> g = (Map<?, ?>) o;
            sumN += ((Number) g.get("n")).longValue();
            int errors = ((Number) g.get("errors")).intValue();
            if (errors > 0) {
                byGroup.put(((Number) g.get("group")).intValue(), errors);
            }
        }
        assertEquals(N_TRAIN, sumN);
        assertEquals(expectedByGroup, byGroup);
        assertEquals(4, ((List<?>) counts.get("groups")).size(), "every group of the training split");
        assertTrue(train.out().contains("jtt error set: " + ids.size() + " of " + N_TRAIN + " training examples"),
                train.out());
    }

    @Test
    void stageTwoSeesEachErrorUpweightTimesAndTheRunIsComplete() throws Exception {
        List<Map<?, ?>> epochs = epochs(run);
        assertEquals(2, epochs.size());
        for (Map<?, ?> e : epochs) {
            assertEquals(N_TRAIN + (UPWEIGHT - 1) * errorCount(), ((Number) e.get("train_rows")).longValue(), e.toString());
            for (String k : List.of("loss", "val_accuracy", "val_wga", "val_group_mean", "examples_per_second")) {
                assertTrue(e.get(k) instanceof Number, k + " in " + e);
            }
        }
        for (String f : List.of("config.json", "history.json", "model.zip", "best.zip", "_SUCCESS",
                "checkpoints/epoch=0002/_SUCCESS")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        Map<String, Object> config = json(run.resolve(RunDir.CONFIG));
        assertEquals("jtt", config.get("method"));
        assertEquals(Map.of("epochs", 1, "upweight", 3.0), config.get("jtt"));
        assertEquals(3, train.out().lines().filter(l -> l.startsWith("epoch ")).count(), "1 + 2 epochs:\n" + train.out());

        CliRun eval = CliRun.of("evaluate", "--run", run.toString(), "--data", data, "--split", "test");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> test = json(run.resolve("metrics/test.json"));
        assertEquals(64, ((Number) test.get("n")).intValue());
        assertTrue(test.get("worst_group_accuracy") instanceof Number);
    }

    @Test
    void resumingAfterStageOneEndsWhereAnUninterruptedRunEnds() throws Exception {
        Path out = tmp.resolve("resumed");
        TrainJob.Result stopped = TrainJob.run(spark, config(out), false, false, TrainIT.quiet(), 1);
        assertEquals(1, stopped.history().size());
        assertTrue(Files.exists(out.resolve("stage1/_SUCCESS")));
        assertTrue(Files.exists(out.resolve("jtt_errors/_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        long stageOneWritten = Files.getLastModifiedTime(out.resolve("stage1/model.zip")).toMillis();
        long errorsWritten = Files.getLastModifiedTime(out.resolve("jtt_errors/_SUCCESS")).toMillis();

        CliRun resumed = train(out, true);
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("jtt stage one: kept"), resumed.out());
        assertTrue(resumed.out().contains("(kept)"), resumed.out());
        assertEquals(List.of("epoch 2/2"), resumed.out().lines().filter(l -> l.startsWith("epoch "))
                .map(l -> l.substring(0, 9)).toList(), "only stage two's second epoch is trained");
        assertEquals(stageOneWritten, Files.getLastModifiedTime(out.resolve("stage1/model.zip")).toMillis());
        assertEquals(errorsWritten, Files.getLastModifiedTime(out.resolve("jtt_errors/_SUCCESS")).toMillis());
        assertEquals(List.of(1, 2), epochs(out).stream().map(e -> e.get("epoch")).toList());

        RunDir straight = new RunDir(spark.sparkContext().hadoopConfiguration(), run.toString());
        RunDir again = new RunDir(spark.sparkContext().hadoopConfiguration(), out.toString());
        assertArrayEquals(straight.loadModel(RunDir.MODEL).params().toFloatVector(),
                again.loadModel(RunDir.MODEL).params().toFloatVector(), 1e-6f);
        assertEquals(epochs(run).stream().map(e -> e.get("train_rows")).toList(),
                epochs(out).stream().map(e -> e.get("train_rows")).toList());
    }

    @Test
    void badUpweightIsRefusedBeforeAnythingIsWritten() {
        Path out = tmp.resolve("bad");
        CliRun low = CliRun.of("train", "--method", "jtt", "--arch", "student", "--data", data, "--out",
                out.toString(), "--upweight", "0.5");
        assertEquals(2, low.code());
        assertEquals("readout train: --upweight 0.5 must be a number between 1 and 1000", low.err().strip());
        assertFalse(Files.exists(out));
    }
}
