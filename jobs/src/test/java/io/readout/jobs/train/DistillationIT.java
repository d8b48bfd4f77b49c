package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.common.distill.DistillationLoss;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.passes.DistillFixture;
import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
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

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout train --method kd|dedier} on a tiny synthetic dataset with a tiny teacher: complete
 * run folders that {@code evaluate} reads, DEDIER's weights tables per refresh, resume, and the
 * teacher inputs refused before anything is written.
 */
class DistillationIT extends SharedSparkSession {
    @TempDir
    static Path tmp;
    static String data;
    static String teacher;
    /** A teacher-probs table made by the command line, at T = 2. */
    static String teacherProbs;
    private static Path dedierRun;

    @BeforeAll
    static void fixture() {
        data = DistillFixture.data().toString();
        teacher = DistillFixture.teacher().toString();
        teacherProbs = tmp.resolve("tp").toString();
        CliRun tp = CliRun.of("teacher-probs", "--teacher", teacher, "--data", data, "--out", teacherProbs);
        assertEquals(0, tp.code(), tp.err());
    }

    private static String[] train(String method, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--method", method, "--arch", "student", "--data", data,
                "--out", out.toString(), "--epochs", "2", "--batch", "32", "--lr", "0.01", "--workers", "2",
                "--averaging-frequency", "2", "--eval-batch", "64", "--seed", "5"));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    private static void assertCompleteRunThatEvaluates(Path run) throws Exception {
        for (String f : List.of("config.json", "history.json", "model.zip", "best.zip", "_SUCCESS",
                "checkpoints/epoch=0002/_SUCCESS")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        assertEquals(2, RunHistory.epochs(run).size());
        CliRun eval = CliRun.of("evaluate", "--run", run.toString(), "--data", data, "--split", "test");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> test = Json.readObject(Files.readString(run.resolve("metrics/test.json")), "test.json");
        assertEquals(64, ((Number) test.get("n")).intValue());
    }

    private static ComputationGraph model(Path run) {
        return new RunDir(new Configuration(), run.toString()).loadModel(RunDir.MODEL);
    }

    private static DistillationLoss outputLoss(ComputationGraph net) {
        return (DistillationLoss) ((OutputLayer) net.getLayer(Networks.OUTPUT).conf().getLayer()).getLossFn();
    }

    /** The DEDIER run of the command line, trained once (two epochs, a weights pass before each). */
    private static synchronized Path dedierRun() {
        if (dedierRun == null) {
            Path out = tmp.resolve("dedier");
            CliRun run = CliRun.of(train("dedier", out, "--teacher", teacher, "--teacher-probs", teacherProbs));
            assertEquals(0, run.code(), run.err());
            assertEquals(2, run.out().lines().filter(l -> l.startsWith("epoch ")).count(), run.out());
            dedierRun = out;
        }
        return dedierRun;
    }

    @Test
    void kdRunsItsTeacherPassAndWritesACompleteRun() throws Exception {
        Path out = tmp.resolve("kd");
        CliRun run = CliRun.of(train("kd", out, "--teacher", teacher, "--lambda", "0.6"));
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("epoch ")).count(), run.out());
        assertCompleteRunThatEvaluates(out);
        assertTrue(Files.exists(out.resolve("teacher_probs/_SUCCESS")), "the teacher pass, into the run");
        assertEquals(DistillFixture.N_TRAIN, spark.read().parquet(out.resolve("teacher_probs/probs").toString()).count());
        assertFalse(Files.exists(out.resolve("weights")));
        ComputationGraph net = model(out);
        assertEquals(List.of(Networks.OUTPUT), net.getConfiguration().getNetworkOutputs());
        assertEquals(new DistillationLoss(0.6, 2), outputLoss(net));
        assertFalse(RunHistory.epochs(out).get(0).containsKey(Dedier.VAL_READOUT_ACCURACY));
    }

    @Test
    void dedierWritesAWeightsTablePerRefreshAndACompleteRun() throws Exception {
        Path out = dedierRun();
        assertCompleteRunThatEvaluates(out);
        assertFalse(Files.exists(out.resolve("teacher_probs")), "--teacher-probs was given");
        ComputationGraph net = model(out);
        assertEquals(List.of(Networks.OUTPUT, Networks.READOUT), net.getConfiguration().getNetworkOutputs());
        assertEquals(new DistillationLoss(0.7, 2), outputLoss(net));
        for (int epoch = 1; epoch <= 2; epoch++) {
            Path w = out.resolve(Dedier.weightsDir(epoch));
            assertTrue(Files.exists(w.resolve("_SUCCESS")), w.toString());
            List<Row> rows = ReadoutWeightsPass.read(spark, w.toString()).collectAsList();
            assertEquals(DistillFixture.N_TRAIN, rows.size());
            int e = epoch;
            assertTrue(rows.stream().allMatch(r -> r.<Integer>getAs(ReadoutWeightsPass.EPOCH) == e));
            Map<String, Object> summary = Json.readObject(Files.readString(w.resolve("summary.json")), "summary");
            Map<String, Object> entry = RunHistory.epochs(out).get(epoch - 1);
            assertEquals(summary.get("flagged_fraction"), entry.get("readout_flagged_fraction"));
            assertEquals(epoch, entry.get("weights_epoch"));
            double readoutAccuracy = ((Number) entry.get(Dedier.VAL_READOUT_ACCURACY)).doubleValue();
            assertTrue(readoutAccuracy >= 0 && readoutAccuracy <= 1, entry.toString());
        }
    }

    @Test
    void aResumedDedierRunEndsWithTheHistoryOfAnUninterruptedOne() throws Exception {
        Path straight = dedierRun();
        Path out = tmp.resolve("dedier-resumed");
        TrainConfig config = RunHistory.configFor(straight, out);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainJob.Result stopped = TrainJob.run(spark, config, false, false, quiet, 1);
        assertEquals(1, stopped.history().size());
        assertFalse(Files.exists(out.resolve(Dedier.weightsDir(2))), "epoch 2's weights come on resume");
        TrainJob.Result resumed = TrainJob.run(spark, config, true, false, quiet);

        assertEquals(RunHistory.figures(straight), RunHistory.figures(out));
        assertArrayEquals(model(straight).params().toFloatVector(), resumed.model().params().toFloatVector(), 1e-6f);
        List<Row> a = ReadoutWeightsPass.read(spark, straight.resolve(Dedier.weightsDir(2)).toString())
                .orderBy(ExamplesSchema.ID).collectAsList();
        List<Row> b = ReadoutWeightsPass.read(spark, out.resolve(Dedier.weightsDir(2)).toString())
                .orderBy(ExamplesSchema.ID).collectAsList();
        assertEquals(a, b, "the weights pass of epoch 2, recomputed on resume, is the uninterrupted run's");
    }

    private static void assertRefused(String expected, Path out, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertEquals("readout train: " + expected, run.errLines()[0]);
        assertFalse(Files.exists(out), "nothing left behind");
    }

    @Test
    void teacherInputsThatDoNotFitAreRefusedBeforeAnythingIsWritten() throws Exception {
        Path out = tmp.resolve("refused");
        assertRefused("--teacher /no/such/run: no such file or directory", out,
                train("kd", out, "--teacher", "/no/such/run"));

        Path threeClasses = tmp.resolve("three-classes");
        new RunDir(new Configuration(), threeClasses.toString()).saveModel(RunDir.MODEL, Networks.build(
                NetworkConfig.image(Architecture.TEACHER, 1, 16, 16, 3, "adam", 1e-3, 0, 1)));
        assertRefused(threeClasses.resolve("model.zip") + ": the model predicts 3 classes, but --data " + data
                + " has 2", out, train("dedier", out, "--teacher", threeClasses.toString()));

        assertRefused("--teacher-probs " + teacherProbs + ": softened at temperature 2.0, but --temperature is 4.0;"
                + " pass --temperature 2.0 or run readout teacher-probs --temperature 4.0", out,
                train("kd", out, "--teacher-probs", teacherProbs, "--temperature", "4"));

        // The same table with other ids.
        Path foreign = tmp.resolve("foreign-tp");
        spark.read().parquet(teacherProbs + "/probs")
                .withColumn(ExamplesSchema.ID, concat(lit("other-"), col(ExamplesSchema.ID)))
                .write().parquet(foreign.resolve("probs").toString());
        Files.copy(Path.of(teacherProbs, "teacher_probs.json"), foreign.resolve("teacher_probs.json"));
        Files.createFile(foreign.resolve("_SUCCESS"));
        String first = spark.read().parquet(data + "/examples").where(col(ExamplesSchema.SPLIT).equalTo("train"))
                .agg(org.apache.spark.sql.functions.min(ExamplesSchema.ID)).first().getString(0);
        assertRefused("--teacher-probs " + foreign + ": " + DistillFixture.N_TRAIN + " of the " + DistillFixture.N_TRAIN
                + " training examples have no teacher probabilities (e.g. id '" + first + "'); the table was computed"
                + " for other examples", out, train("dedier", out, "--teacher-probs", foreign.toString()));

        Path other = DistillFixture.prepare("synthetic", DistillFixture.SEED + 1);
        CliRun onOther = CliRun.of("train", "--method", "kd", "--arch", "student", "--data", other.toString(), "--out",
                out.toString(), "--teacher-probs", teacherProbs);
        assertEquals(2, onOther.code(), onOther.err());
        assertEquals("readout train: --teacher-probs " + teacherProbs + ": computed on dataset 'synthetic' at " + data
                + ", not on --data " + other + " (another dataset.json); run readout teacher-probs on " + other,
                onOther.err().strip());
        assertFalse(Files.exists(out));
    }
}
