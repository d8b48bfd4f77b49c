package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.common.Seeds;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout train --method sifer} through the command line on a tiny synthetic dataset, teacher and
 * student: complete run folders that {@code evaluate} reads, the aux head's validation accuracy and the
 * forgetting steps the workers took in the history, none with {@code --forget-every 0}, a resume that ends
 * where the uninterrupted run ends, and bad flags refused in one line.
 *
 * <p>The forgetting schedule is exact here: the expected steps are worked out from where each example goes
 * ({@link TrainingMasters#minibatchRdd}: 2 workers of batch 32 / 2) and how each epoch's rounds deal the
 * minibatches ({@link LocalParameterAveraging#rounds}, K = 2): a worker's j-th step of a round is its network's
 * iteration (the driver's count at the round's start) + j, and it forgets before those divisible by
 * --forget-every; the driver's count moves on by K per round.
 */
class SiferIT extends SharedSparkSession {
    private static final int N_TRAIN = 256;
    private static final int WORKERS = 2;
    private static final int BATCH = 32;
    private static final int K = 2;
    private static final long SEED = 5;

    @TempDir
    static Path tmp;
    static String data;
    private static Path studentRun;

    @BeforeAll
    static void prepare() {
        data = tmp.resolve("syn").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", String.valueOf(N_TRAIN), "--n-val",
                "64", "--n-test", "64", "--out", data, "--shards", "1", "--seed", "4");
        assertEquals(0, run.code(), run.err());
    }

    private static String[] train(String arch, Path out, int epochs, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--method", "sifer", "--arch", arch, "--data", data,
                "--out", out.toString(), "--epochs", String.valueOf(epochs), "--batch", String.valueOf(BATCH), "--lr",
                "0.01", "--workers", String.valueOf(WORKERS), "--averaging-frequency", String.valueOf(K), "--eval-batch",
                "64", "--seed", String.valueOf(SEED)));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** Forgetting steps of epochs 1 … {@code epochs} on all workers, forgetting every {@code k} steps. */
    private static List<Long> expectedForgetSteps(int epochs, int k) {
        ExamplesTable table = ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), data,
                "--data");
        Dataset<Row> train = table.split(spark, Split.TRAIN);
        List<Long> out = new ArrayList<>();
        long iteration = 0;
        for (int e = 1; e <= epochs; e++) {
            List<List<DataSet>> workers = TrainingMasters.minibatchRdd(train, table, WORKERS, BATCH / WORKERS,
                    Seeds.derive(SEED, "train/shuffle/" + e)).glom().collect();
            long roundSeed = new Random(Seeds.derive(SEED, "train/master/" + e)).nextLong();
            long steps = 0;
            for (List<List<DataSet>> round : LocalParameterAveraging.rounds(workers, WORKERS * K, K, roundSeed)) {
                for (List<DataSet> worker : round) {
                    for (int j = 0; j < Math.min(K, worker.size()); j++) {
                        steps += (iteration + j) % k == 0 ? 1 : 0;
                    }
                }
                iteration += K;
            }
            out.add(steps);
        }
        return out;
    }

    private static ComputationGraph model(Path run) {
        return new RunDir(new Configuration(), run.toString()).loadModel(RunDir.MODEL);
    }

    /** A complete run folder that evaluate reads, whose history has SIFER's figures for every epoch. */
    private static void assertCompleteSiferRun(Path run, int epochs, int forgetEvery) throws Exception {
        for (String f : List.of("config.json", "history.json", "model.zip", "best.zip", "_SUCCESS")) {
            assertTrue(Files.exists(run.resolve(f)), f);
        }
        List<Map<String, Object>> history = RunHistory.epochs(run);
        assertEquals(epochs, history.size());
        List<Long> expected = forgetEvery == 0 ? List.of() : expectedForgetSteps(epochs, forgetEvery);
        for (int e = 1; e <= epochs; e++) {
            Map<String, Object> entry = history.get(e - 1);
            double aux = ((Number) entry.get(Sifer.VAL_AUX_ACCURACY)).doubleValue();
            assertTrue(aux >= 0 && aux <= 1, entry.toString());
            long steps = ((Number) entry.get(Sifer.FORGET_STEPS)).longValue();
            assertEquals(forgetEvery == 0 ? 0 : expected.get(e - 1), steps, "epoch " + e);
            if (steps == 0) {
                assertNull(entry.get(Sifer.FORGET_LOSS), entry.toString());
            } else {
                double loss = ((Number) entry.get(Sifer.FORGET_LOSS)).doubleValue();
                assertTrue(loss >= Math.log(2) - 1e-6 && loss < 10, "CE to uniform is at least ln C: " + entry);
            }
        }
        CliRun eval = CliRun.of("evaluate", "--run", run.toString(), "--data", data, "--split", "test");
        assertEquals(0, eval.code(), eval.err());
        Map<String, Object> test = Json.readObject(Files.readString(run.resolve("metrics/test.json")), "test.json");
        assertEquals(64, ((Number) test.get("n")).intValue());
    }

    private static Nesterovs updaterOf(ComputationGraph net, String layer) {
        return (Nesterovs) ((BaseLayer) net.getLayer(layer).conf().getLayer()).getIUpdater();
    }

    @Test
    void aTeacherWithTheDefaults() throws Exception {
        Path out = tmp.resolve("teacher");
        CliRun run = CliRun.of(train("teacher", out, 2));
        assertEquals(0, run.code(), run.err());
        assertEquals(2, run.out().lines().filter(l -> l.startsWith("epoch ")).count(), run.out());
        assertCompleteSiferRun(out, 2, SiferOptions.DEFAULT_FORGET_EVERY);
        assertEquals(SiferOptions.defaults(),
                TrainConfig.fromJson(Files.readString(out.resolve("config.json")), "config").sifer());
        ComputationGraph net = model(out);
        assertEquals(List.of(Networks.OUTPUT, Networks.READOUT), net.getConfiguration().getNetworkOutputs());
        assertEquals(List.of(Networks.BLOCK1), net.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(new Nesterovs(1e-2, 0.9), updaterOf(net, Networks.READOUT));
    }

    /** The student run of the command line: aux head on block2 with one conv block, forgetting every 2 steps. */
    private static synchronized Path studentRun() {
        if (studentRun == null) {
            Path out = tmp.resolve("student");
            CliRun run = CliRun.of(train("student", out, 2, "--aux-at", "block2", "--aux-depth", "1", "--aux-width",
                    "4", "--aux-lr", "0.02", "--forget-every", "2", "--forget-lr", "0.005"));
            assertEquals(0, run.code(), run.err());
            studentRun = out;
        }
        return studentRun;
    }

    @Test
    void aStudentWithADeeperHeadOnBlock2() throws Exception {
        Path out = studentRun();
        assertCompleteSiferRun(out, 2, 2);
        ComputationGraph net = model(out);
        assertEquals(List.of(Networks.BLOCK2), net.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(List.of(Networks.READOUT_STOP),
                net.getConfiguration().getVertexInputs().get(Networks.READOUT_BLOCK + 1));
        assertEquals(new Nesterovs(0.02, 0.9), updaterOf(net, Networks.READOUT_BLOCK + 1));
    }

    @Test
    void forgetEveryZeroTakesNoForgettingStep() throws Exception {
        Path out = tmp.resolve("never");
        CliRun run = CliRun.of(train("student", out, 1, "--forget-every", "0"));
        assertEquals(0, run.code(), run.err());
        assertCompleteSiferRun(out, 1, 0);
    }

    /** The forgetting schedule follows the iteration count that checkpoints keep, so a resumed run forgets as the first. */
    @Test
    void aResumedRunEndsWhereTheUninterruptedOneEnds() throws Exception {
        Path straight = studentRun();
        Path out = tmp.resolve("student-resumed");
        TrainConfig config = RunHistory.configFor(straight, out);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        assertEquals(1, TrainJob.run(spark, config, false, false, quiet, 1).history().size());
        TrainJob.Result resumed = TrainJob.run(spark, config, true, false, quiet);

        assertEquals(RunHistory.figures(straight), RunHistory.figures(out));
        assertArrayEquals(model(straight).params().toFloatVector(), resumed.model().params().toFloatVector(), 1e-6f);
    }

    @Test
    void badFlagsAreRefusedInOneLine() {
        Path out = tmp.resolve("refused");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("--forget-every -1 must be 0 (never) or more", new String[] {"--forget-every", "-1"});
        cases.put("--aux-at 'conv1' is not one of block1, block2", new String[] {"--aux-at", "conv1"});
        cases.put("--forget-lr 0.0 must be a positive number", new String[] {"--forget-lr", "0"});
        cases.put("--aux-width 0 must be positive when --aux-depth is 1",
                new String[] {"--aux-depth", "1", "--aux-width", "0"});
        cases.forEach((expected, flags) -> {
            CliRun run = CliRun.of(train("student", out, 1, flags));
            assertEquals(2, run.code(), run.err());
            assertEquals(1, run.errLines().length, run.err());
            assertEquals("readout train: " + expected, run.errLines()[0]);
            assertFalse(Files.exists(out), "nothing left behind");
        });
    }
}
