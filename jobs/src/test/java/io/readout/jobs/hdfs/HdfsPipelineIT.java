package io.readout.jobs.hdfs;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Storage: prepare → train → evaluate through the command line with every path on a real
 * HDFS ({@code hdfs://localhost:PORT/...}), and nothing written to the local disk instead.
 */
class HdfsPipelineIT extends SharedSparkSession {
    static MiniHdfs hdfs;

    @BeforeAll
    static void startHdfs() {
        hdfs = MiniHdfs.start();
        MiniHdfs.configure(spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    @Test
    void prepareTrainEvaluateOnHdfs() {
        String data = hdfs.url("/readout/synthetic");
        String run = hdfs.url("/readout/runs/erm-student");

        CliRun prepare = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "192", "--n-val", "64",
                "--n-test", "64", "--shards", "2", "--out", data);
        assertEquals(0, prepare.code(), prepare.err());
        // The examples table is committed as a whole: DIR/_SUCCESS beside examples/ (Spark's own marker is off).
        assertTrue(hdfs.exists(data + "/_SUCCESS"), "prepare committed");
        assertTrue(hdfs.exists(data + "/dataset.json"));
        assertTrue(partFiles(data + "/examples/split=train") > 0, "examples written as Parquet on HDFS");

        CliRun train = CliRun.of("train", "--method", "erm", "--arch", "student", "--data", data, "--out", run,
                "--epochs", "1", "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2",
                "--approach", "export");
        assertEquals(0, train.code(), train.err());
        for (String f : List.of("model.zip", "config.json", "history.json", "_SUCCESS")) {
            assertTrue(hdfs.exists(run + "/" + f), f);
        }
        Map<String, Object> history = Json.readObject(hdfs.readText(run + "/history.json"), "history.json");
        assertEquals(1, ((List<?>) history.get("epochs")).size());
        Map<String, Object> config = Json.readObject(hdfs.readText(run + "/config.json"), "config.json");
        assertEquals("erm", config.get("method"));
        assertFalse(hdfs.exists(run + "/_export"), "export-mode minibatches are cleaned up");

        CliRun evaluate = CliRun.of("evaluate", "--run", run, "--data", data, "--split", "test");
        assertEquals(0, evaluate.code(), evaluate.err());
        assertTrue(evaluate.out().contains("wrote " + run + "/metrics/test.json"), evaluate.out());
        Map<String, Object> test = Json.readObject(hdfs.readText(run + "/metrics/test.json"), "test.json");
        assertEquals("test", test.get("split"));
        assertEquals(64, ((Number) test.get("n")).intValue());
        double wga = ((Number) test.get("worst_group_accuracy")).doubleValue();
        double acc = ((Number) test.get("accuracy")).doubleValue();
        assertTrue(wga >= 0 && wga <= acc + 1e-9, "worst group " + wga + " vs average " + acc);
        assertTrue(hdfs.exists(run + "/metrics/test_groups.parquet/_SUCCESS"));
        assertEquals(((List<?>) test.get("groups")).size(),
                spark.read().parquet(run + "/metrics/test_groups.parquet").count());
    }

    private static long partFiles(String dir) {
        try {
            FileStatus[] files = hdfs.fs().listStatus(new Path(dir));
            return Arrays.stream(files).filter(s -> s.getPath().getName().startsWith("part-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
