package io.readout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * readout on a real Spark standalone cluster: {@code deploy/bin/local-cluster} starts a master and
 * two workers (separate JVMs, executors started by the workers from the assembled Spark home), and
 * {@code deploy/bin/readout-submit} submits one {@code readout pipeline} to it, as a user would: prepare,
 * a teacher, the teacher pass, ERM, DEDIER and SIFER students and their evaluations in one application.
 * Distillation's teacher pass and DEDIER's weights pass run over broadcast models, and SIFER's forgetting
 * hook runs inside the training workers, all on executor JVMs that share nothing with the driver: this is
 * where serialization and classpath faults show that {@code local[*]} hides.
 *
 * <p>Ports are free ones unless {@code -Dreadout.cluster.port} / {@code -Dreadout.cluster.ui-port}
 * say otherwise; the cluster is stopped whatever happens.
 */
class LocalClusterIT {
    private static final Path BIN = Path.of("bin").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int N_TEST = 100;
    /** The pipeline's runs and its stages, in the order it runs them. */
    private static final List<String> RUNS = List.of("teacher", "students/erm", "students/dedier", "students/sifer");
    private static final List<String> STAGES = List.of("prepare", "teacher", "teacher-probs", "students/erm",
            "students/dedier", "students/sifer", "evaluate/teacher", "evaluate/students/erm",
            "evaluate/students/dedier", "evaluate/students/sifer", "report");
    /** The Spark application readout-submit names after the command. */
    private static final String APP = "readout pipeline";

    private static Path clusterDir;
    private static String master;
    private static int uiPort;

    /**
     * The pipeline submitted: a small synthetic dataset, one epoch per run, two training workers (one per
     * executor), a SIFER forgetting step every second minibatch so the hook certainly runs, and the report
     * with one Grad-CAM example per bias-conflicting group.
     */
    static String pipelineConfig() {
        return """
                {"seed": 1,
                 "prepare": {"dataset": "synthetic", "n-train": 400, "n-val": 100, "n-test": %d, "shards": 2},
                 "train": {"epochs": 1, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2,
                           "eval-batch": 100},
                 "teacher": {"arch": "student"},
                 "teacher_probs": {"temperature": 2},
                 "students": {"arch": "student", "methods": ["erm", "dedier", "sifer"]},
                 "methods": {"sifer": {"forget-every": 2}},
                 "report": {"examples-per-group": 1}}
                """.formatted(N_TEST);
    }

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        return run(4, env, cmd);
    }

    static Result run(int minutes, Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MVN", "false"); // the jar was just built by mvn package: no rebuild here
        pb.environment().put("READOUT_CLUSTER_DIR", clusterDir.toString());
        pb.environment().remove("SPARK_HOME"); // the project's assembled Spark home
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cluster", ".out");
        Path err = Files.createTempFile("cluster", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private static int port(String property) throws IOException {
        String given = System.getProperty(property);
        if (given != null && !given.isBlank()) {
            return Integer.parseInt(given.strip());
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        clusterDir = Files.createTempDirectory("readout-cluster");
        int port = port("readout.cluster.port");
        uiPort = port("readout.cluster.ui-port");
        master = "spark://127.0.0.1:" + port;
        Scripts.assembleSparkHome();
        Result r = run(Map.of(), "bash", BIN.resolve("local-cluster").toString(), "start", "--port", String.valueOf(port),
                "--ui-port", String.valueOf(uiPort), "--worker-ui-port", "0", "--history-ui-port", "0",
                "--workers", "2", "--worker-cores", "1", "--worker-memory", "1536m");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("started master " + master + " with 2 worker(s)"), r.out());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterDir == null) {
            return;
        }
        Result r = run(Map.of(), "bash", BIN.resolve("local-cluster").toString(), "stop");
        assertEquals(0, r.code(), r.out() + r.err());
        Result status = run(Map.of(), "bash", BIN.resolve("local-cluster").toString(), "status");
        assertEquals(3, status.code(), status.out());
        try (Stream<Path> files = Files.walk(clusterDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** history.json fields that measure time, not training. */
    private static final String TIMINGS = "\"(seconds|fit_seconds|examples_per_second|weights_seconds)\":[^,}]*";

    /** A Parquet table's rows, every column, ordered by id. */
    private static List<String> rows(SparkSession spark, Path dir) {
        return spark.read().parquet(dir.toString()).orderBy("id").collectAsList().stream().map(Row::toString).toList();
    }

    /** How many rows of two tables differ, and the first that does. */
    private static String differingRows(List<String> x, List<String> y) {
        if (x.size() != y.size()) {
            return x.size() + " rows vs " + y.size();
        }
        int n = 0;
        String first = null;
        for (int i = 0; i < x.size(); i++) {
            if (!x.get(i).equals(y.get(i))) {
                n++;
                first = first == null ? x.get(i) + " vs " + y.get(i) : first;
            }
        }
        return n + " of " + x.size() + " rows differ, e.g. " + first;
    }

    private static JsonNode masterState() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void aPipelineSubmittedToTheClusterRunsEveryStageOnItsExecutors() throws Exception {
        assertEquals(2, masterState().get("aliveworkers").asInt());
        Path tmp = Files.createTempDirectory(clusterDir, "job");
        Path config = Files.writeString(tmp.resolve("pipeline.json"), pipelineConfig());
        Path root = tmp.resolve("root");

        long start = System.nanoTime();
        Result r = run(8, Map.of(), "bash", BIN.resolve("readout-submit").toString(), "--master", master,
                "--driver-memory", "1g", "--executor-memory", "1g", "--native-memory", "1g",
                "pipeline", "--config", config.toString(), "--out", root.toString());
        System.out.printf("LocalClusterIT: readout pipeline on %s: %.1f s%n", master, (System.nanoTime() - start) / 1e9);
        String output = "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err();
        assertEquals(0, r.code(), output);
        assertTrue(r.out().contains("pipeline done in "), output);
        assertTrue(r.out().contains(": " + STAGES.size() + " run, 0 skipped"), output);

        // Every stage recorded as done, and every run's outputs: the models, and metrics that parse.
        for (String stage : STAGES) {
            JsonNode record = JSON.readTree(root.resolve("stages").resolve(stage.replace('/', '-') + ".json").toFile());
            assertEquals(stage, record.get("stage").asText());
            assertEquals("done", record.get("status").asText(), stage);
        }
        assertTrue(Files.exists(root.resolve("data/_SUCCESS")));
        for (String run : RUNS) {
            Path dir = root.resolve(run);
            for (String f : List.of("_SUCCESS", "model.zip", "best.zip", "history.json")) {
                assertTrue(Files.exists(dir.resolve(f)), dir.resolve(f).toString());
            }
            for (String metrics : List.of("metrics/val.json", "metrics/test.json", "metrics/best/val.json",
                    "metrics/best/test.json")) {
                JsonNode m = JSON.readTree(dir.resolve(metrics).toFile());
                assertEquals(metrics.endsWith("val.json") ? "val" : "test", m.get("split").asText(), metrics);
                assertEquals(N_TEST, m.get("n").asInt(), run + " " + metrics);
                assertEquals(4, m.get("groups").size(), run + " " + metrics);
                double wga = m.get("worst_group_accuracy").asDouble();
                assertTrue(wga >= 0 && wga <= m.get("accuracy").asDouble(), run + " " + metrics + ": " + m);
            }
            assertTrue(Files.isDirectory(dir.resolve("metrics/test_groups.parquet")), run);
        }
        // Distillation's teacher pass and DEDIER's weights pass wrote their tables; SIFER's forgetting hook ran
        // in the training workers on the executors (its steps are counted there, on accumulators).
        assertTrue(Files.exists(root.resolve("teacher-probs/_SUCCESS")));
        assertTrue(Files.exists(root.resolve("students/dedier/weights/epoch=0001/summary.json")));
        JsonNode sifer = JSON.readTree(root.resolve("students/sifer/history.json").toFile()).get("epochs").get(0);
        assertTrue(sifer.get("forget_steps").asInt() > 0, sifer.toString());
        // The report of the four runs.
        assertTrue(Files.exists(root.resolve("report/_SUCCESS")));
        assertTrue(r.out().contains("report: " + root.resolve("report/report.html")), output);
        JsonNode summary = JSON.readTree(root.resolve("report/summary.json").toFile());
        Set<String> reported = new TreeSet<>();
        summary.get("runs").forEach(run -> reported.add(run.get("relative").asText()));
        assertEquals(new TreeSet<>(RUNS), reported, summary.toString());

        // It ran on the cluster: the master lists the application as finished, both workers started an
        // executor for it, both executors ran tasks, and its event log (the history server's stage pages)
        // records completed stages.
        List<String> finished = new ArrayList<>();
        masterState().get("completedapps").forEach(app -> {
            if ("FINISHED".equals(app.get("state").asText())) {
                finished.add(app.get("name").asText());
            }
        });
        assertEquals(List.of(APP), finished);
        for (String worker : List.of("work-1", "work-2")) {
            try (Stream<Path> apps = Files.list(clusterDir.resolve(worker))) {
                assertEquals(1, apps.count(), worker);
            }
        }
        List<Path> eventLogs;
        try (Stream<Path> logs = Files.list(clusterDir.resolve("events"))) {
            eventLogs = logs.toList();
        }
        assertEquals(1, eventLogs.size(), eventLogs.toString());
        Set<String> executors = new TreeSet<>();
        Set<String> jobDescriptions = new TreeSet<>();
        int stagesCompleted = 0;
        try (Stream<String> lines = Files.lines(eventLogs.get(0))) {
            for (String line : (Iterable<String>) lines::iterator) {
                JsonNode event = JSON.readTree(line);
                switch (event.get("Event").asText()) {
                    case "SparkListenerTaskEnd" -> executors.add(event.get("Task Info").get("Executor ID").asText());
                    case "SparkListenerStageCompleted" -> stagesCompleted++;
                    case "SparkListenerJobStart" -> jobDescriptions.add(
                            event.path("Properties").path("spark.job.description").asText("(none)"));
                    default -> { }
                }
            }
        }
        assertEquals(Set.of("0", "1"), executors);
        assertTrue(stagesCompleted >= STAGES.size(), "completed Spark stages: " + stagesCompleted);
        // Each Spark job is named after the pipeline stage that ran it (the UI's and history server's jobs pages).
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < STAGES.size(); i++) {
            expected.add("readout pipeline [" + (i + 1) + "/" + STAGES.size() + "] " + STAGES.get(i));
        }
        assertEquals(new TreeSet<>(expected), jobDescriptions);

        // The same pipeline on local[2] in one JVM gives the same bits: two workers are two workers, whether
        // they are task threads of one process or executors on a cluster (minibatches are placed by id, results
        // summed in partition order, one native thread per task).
        Path local = tmp.resolve("local");
        Result l = run(8, Map.of(), "bash", BIN.resolve("readout").toString(), "--master", "local[2]",
                "pipeline", "--config", config.toString(), "--out", local.toString());
        assertEquals(0, l.code(), l.out() + l.err());
        // Every difference is collected before failing, so that one run shows where the two part.
        List<String> differences = new ArrayList<>();
        try (SparkSession spark = SparkSession.builder().master("local[1]").appName("LocalClusterIT tables")
                .config("spark.ui.enabled", "false").getOrCreate()) {
            for (String table : List.of("teacher-probs/probs", "students/dedier/weights/epoch=0001/weights")) {
                List<String> c = rows(spark, root.resolve(table));
                List<String> d = rows(spark, local.resolve(table));
                if (!c.equals(d)) {
                    differences.add(table + ": " + differingRows(c, d));
                }
            }
        }
        for (String run : RUNS) {
            String c = JSON.readTree(root.resolve(run).resolve("history.json").toFile()).get("epochs").toString()
                    .replaceAll(TIMINGS, "");
            String d = JSON.readTree(local.resolve(run).resolve("history.json").toFile()).get("epochs").toString()
                    .replaceAll(TIMINGS, "");
            if (!c.equals(d)) {
                differences.add(run + ": history on the cluster " + c + ", on local[2] " + d);
            }
            for (String m : List.of("val.json", "test.json")) {
                JsonNode x = JSON.readTree(root.resolve(run).resolve("metrics").resolve(m).toFile());
                JsonNode y = JSON.readTree(local.resolve(run).resolve("metrics").resolve(m).toFile());
                if (!x.equals(y)) {
                    differences.add(run + " " + m + ": " + x + " vs " + y);
                }
            }
            double delta = ModelSerializer.restoreComputationGraph(root.resolve(run).resolve("model.zip").toFile(), true)
                    .params().sub(ModelSerializer.restoreComputationGraph(local.resolve(run).resolve("model.zip").toFile(),
                            true).params()).amaxNumber().doubleValue();
            if (delta != 0) {
                differences.add(run + ": parameters max |delta| " + delta);
            }
        }
        assertEquals(List.of(), differences, "the cluster and local[2] differ");
    }
}
