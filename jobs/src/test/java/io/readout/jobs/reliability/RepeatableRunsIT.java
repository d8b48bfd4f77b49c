package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The determinism contract: the same data, config, seed and worker count give the same bits in a new process.
 * One pipeline (a teacher, then erm, kd, jtt, dedier and sifer students) on a 4-shard synthetic set runs in two
 * driver JVMs at once ({@link ChildJvm}), each on {@code local[2]} with 3 averaging workers (so the order of the
 * workers' results matters); every run of one must equal the other's: parameters and updater state (max |Δ| = 0),
 * every figure of history.json but the timings, the metrics, the teacher's probabilities, DEDIER's weights tables
 * and JTT's error set. Exact equality holds on any CPU: both processes run the same kernels with the same thread
 * counts; only the two processes are new.
 */
class RepeatableRunsIT extends SharedSparkSession {
    /** history.json fields that measure time, not training. */
    private static final Set<String> TIMINGS = Set.of("seconds", "fit_seconds", "examples_per_second", "weights_seconds");
    private static final List<String> RUNS = List.of("teacher", "students/erm", "students/kd", "students/jtt",
            "students/dedier", "students/sifer");

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void fixture() {
        data = tmp.resolve("syn");
        CliRun prepare = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "320", "--n-val", "64",
                "--n-test", "64", "--shards", "4", "--out", data.toString(), "--seed", "5");
        assertEquals(0, prepare.code(), prepare.err());
    }

    private static Path config(Path root) throws IOException {
        Path file = tmp.resolve(root.getFileName() + ".json");
        Files.writeString(file, """
                {"out": "%s", "seed": 5, "data": "%s",
                 "train": {"epochs": 2, "batch": 32, "workers": 3, "averaging-frequency": 2},
                 "teacher": {"arch": "student", "lr": 0.01},
                 "students": {"arch": "student", "methods": ["erm", "kd", "jtt", "dedier", "sifer"]},
                 "methods": {"jtt": {"jtt-epochs": 1}, "sifer": {"forget-every": 2}},
                 "report": false}
                """.formatted(root, data));
        return file;
    }

    @Test
    void twoProcessesTrainTheSameBits() throws Exception {
        long t0 = System.nanoTime();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        try (ChildJvm first = ChildJvm.readout(tmp.resolve("logs"), "a", "2g", "pipeline", "--config",
                config(a).toString());
             ChildJvm second = ChildJvm.readout(tmp.resolve("logs"), "b", "2g", "pipeline", "--config",
                     config(b).toString())) {
            assertEquals(0, first.waitFor(Duration.ofMinutes(10)), first.out() + first.err());
            assertEquals(0, second.waitFor(Duration.ofMinutes(10)), second.out() + second.err());
        }
        Configuration conf = new Configuration();
        int figures = 0;
        for (String run : RUNS) {
            ComputationGraph x = new RunDir(conf, a.resolve(run).toString()).loadModel(RunDir.MODEL);
            ComputationGraph y = new RunDir(conf, b.resolve(run).toString()).loadModel(RunDir.MODEL);
            assertArrayEquals(x.params().toFloatVector(), y.params().toFloatVector(), run + ": parameters");
            assertArrayEquals(x.getUpdater().getStateViewArray().toFloatVector(),
                    y.getUpdater().getStateViewArray().toFloatVector(), run + ": updater state");
            figures += assertSameHistory(a.resolve(run), b.resolve(run), run);
            for (String m : List.of("val.json", "test.json", "best/val.json", "best/test.json")) {
                assertEquals(json(a.resolve(run).resolve("metrics/" + m)), json(b.resolve(run).resolve("metrics/" + m)),
                        run + ": metrics/" + m);
            }
        }
        assertSameTable(a.resolve("teacher-probs/probs"), b.resolve("teacher-probs/probs"));
        List<Path> weights = folders(a.resolve("students/dedier/weights"));
        assertEquals(2, weights.size(), "one weights table per epoch");
        for (Path w : weights) {
            assertSameTable(w.resolve("weights"), b.resolve("students/dedier/weights").resolve(w.getFileName()).resolve("weights"));
        }
        assertSameTable(a.resolve("students/jtt/jtt_errors"), b.resolve("students/jtt/jtt_errors"));
        System.out.printf("repeatable runs: %d runs, %d history figures, teacher probs, %d weights tables and the JTT"
                + " error set equal in two processes; %.0f s%n", RUNS.size(), figures, weights.size(),
                (System.nanoTime() - t0) / 1e9);
    }

    @SuppressWarnings("unchecked")
    private static int assertSameHistory(Path x, Path y, String run) throws IOException {
        List<Map<String, Object>> ex = (List<Map<String, Object>>) json(x.resolve(RunDir.HISTORY)).get("epochs");
        List<Map<String, Object>> ey = (List<Map<String, Object>>) json(y.resolve(RunDir.HISTORY)).get("epochs");
        assertEquals(ex.size(), ey.size(), run + ": epochs");
        int n = 0;
        for (int i = 0; i < ex.size(); i++) {
            for (Map.Entry<String, Object> e : ex.get(i).entrySet()) {
                if (!TIMINGS.contains(e.getKey())) {
                    assertEquals(e.getValue(), ey.get(i).get(e.getKey()), run + ": epoch " + (i + 1) + " " + e.getKey());
                    n++;
                }
            }
        }
        assertTrue(n > 0);
        return n;
    }

    /** The same rows: every column, ordered by id. */
    private static void assertSameTable(Path x, Path y) {
        Dataset<Row> dx = spark.read().parquet(x.toString());
        Dataset<Row> dy = spark.read().parquet(y.toString());
        List<Row> rx = dx.orderBy("id").collectAsList();
        List<Row> ry = dy.orderBy("id").collectAsList();
        assertTrue(rx.size() > 0, x + " is empty");
        assertEquals(rx.size(), ry.size(), x.toString());
        for (int i = 0; i < rx.size(); i++) {
            assertEquals(rx.get(i).toString(), ry.get(i).toString(), x + " row " + i);
        }
    }

    private static Map<String, Object> json(Path p) throws IOException {
        return Json.readObject(Files.readString(p), p.toString());
    }

    private static List<Path> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new ArrayList<>(s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().startsWith("epoch="))
                    .sorted().toList());
        }
    }
}
