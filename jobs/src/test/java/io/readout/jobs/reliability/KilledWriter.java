package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.jobs.io.AtomicFile;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.LockSettings;
import io.readout.jobs.registry.PromotionPolicy;
import io.readout.jobs.registry.Registry;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.train.Checkpoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.lit;

/**
 * The writer of the writer-kill loop ({@link WriterKillIT}), a child JVM killed at a random point. Each
 * cycle {@code g} writes, through readout's own code, every kind of output a reader may find half done:
 * a Parquet table with {@link AtomicOutput} ({@code tables/t<g mod 3>}, replaced with --overwrite, {@link
 * #rows(int)} rows whose {@code gen} column is g, and {@code meta.json}), a model and history in a run
 * dir ({@code run/model.zip}, every parameter equal to g), a training checkpoint ({@code
 * run/checkpoints/epoch=g}, TrainJob's code), a registry decision ({@code registry/}, candidates {@code
 * candidates/c0..c3} written by the test), and a JSON file with {@link AtomicFile} ({@code bench.json}).
 * It prints {@code ready} once Spark is up, a phase line before each write and {@code done g} after a
 * cycle, so the test knows where the kill landed.
 *
 * <p>Arguments: {@code ROOT FIRST_CYCLE CYCLES} (CYCLES 0: until killed).
 */
public final class KilledWriter {
    static final int TABLES = 3;
    static final int CANDIDATES = 4;

    private KilledWriter() {
    }

    static int rows(int gen) {
        return 40 + 10 * (gen % 5);
    }

    static List<Map<String, Object>> history(int gen) {
        List<Map<String, Object>> h = new ArrayList<>();
        for (int e = 1; e <= gen; e++) {
            h.add(Map.of("epoch", e, "loss", 1.0 / e));
        }
        return h;
    }

    public static void main(String[] args) {
        String root = args[0];
        int first = Integer.parseInt(args[1]);
        int cycles = Integer.parseInt(args[2]);
        SparkSession spark = SparkSession.builder().master("local[1]").appName("killed-writer")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        ComputationGraph net = Networks.build(NetworkConfig.vector(Architecture.STUDENT, 4, 2, "adam", 1e-3, 0, 1));
        LockSettings lock = new LockSettings(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofMillis(10));
        // Warm up (the first Spark write of a JVM takes seconds), so the kills spread over whole cycles.
        spark.range(10).write().mode("overwrite").parquet(root + "/warm-up/" + ProcessHandle.current().pid());
        System.out.println("ready");
        for (int g = first; cycles == 0 || g < first + cycles; g++) {
            phase(g, "table");
            int rows = rows(g);
            try (AtomicOutput o = AtomicOutput.begin(conf, root + "/tables/t" + (g % TABLES), true, "--out")) {
                spark.range(rows).withColumn("gen", lit(g)).repartition(2).write().parquet(o.tmp() + "/rows");
                o.writeText("meta.json", Json.write(Map.of("gen", g, "rows", rows)));
                o.commit();
            }
            phase(g, "model");
            RunDir run = new RunDir(conf, root + "/run");
            net.params().assign(g);
            run.saveModel(RunDir.MODEL, net);
            run.writeText(RunDir.HISTORY, Json.write(Map.of("gen", g, "epochs", history(g))));
            phase(g, "checkpoint");
            Checkpoints.write(run, g, net, history(g), g, g);
            phase(g, "registry");
            new Registry(conf, root + "/registry", lock).decideAndRecord(root + "/candidates/c" + (g % CANDIDATES),
                    PromotionPolicy.defaults());
            phase(g, "file");
            Map<String, Object> bench = new LinkedHashMap<>();
            bench.put("gen", g);
            bench.put("pad", "x".repeat(200_000));
            AtomicFile.write(root + "/bench.json", Json.write(bench), "--out");
            System.out.println("done " + g);
        }
        spark.stop();
    }

    private static void phase(int g, String what) {
        System.out.println("cycle " + g + " " + what);
    }
}
