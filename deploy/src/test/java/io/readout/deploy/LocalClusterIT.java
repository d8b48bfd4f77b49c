package io.readout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * readout on a real Spark standalone cluster: {@code deploy/bin/local-cluster} starts a master and
 * two workers (separate JVMs, executors started by the workers from the assembled Spark home), and
 * {@code deploy/bin/readout-submit} submits each step of {@link #steps} to it, as a user would. This is
 * where serialization and classpath faults show that {@code local[*]} hides.
 *
 * <p>Ports are free ones unless {@code -Dreadout.cluster.port} / {@code -Dreadout.cluster.ui-port}
 * say otherwise; the cluster is stopped whatever happens.
 */
class LocalClusterIT {
    private static final Path BIN = Path.of("bin").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path clusterDir;
    private static String master;
    private static int uiPort;

    /**
     * What is submitted, in order: prepare a small synthetic dataset, train a student with ERM for one
     * epoch, evaluate it on test. (When {@code readout pipeline} exists, it replaces these three.)
     */
    static List<List<String>> steps(Path data, Path run) {
        return List.of(
                List.of("prepare", "--dataset", "synthetic", "--n-train", "600", "--n-val", "200", "--n-test", "200",
                        "--out", data.toString()),
                List.of("train", "--method", "erm", "--arch", "student", "--epochs", "1", "--data", data.toString(),
                        "--out", run.toString()),
                List.of("evaluate", "--run", run.toString(), "--data", data.toString(), "--split", "test"));
    }

    /** The Spark application names of {@link #steps}, as readout-submit names them. */
    private static final List<String> APPS = List.of("readout prepare", "readout train", "readout evaluate");

    record Result(int code, String out, String err) {
    }

    static Result run(Map<String, String> env, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MVN", "false"); // the jar was just built by mvn package: no rebuild here
        pb.environment().put("READOUT_CLUSTER_DIR", clusterDir.toString());
        pb.environment().remove("SPARK_HOME"); // the project's assembled Spark home
        pb.environment().putAll(env);
        Path out = Files.createTempFile("cluster", ".out");
        Path err = Files.createTempFile("cluster", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
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

    private static JsonNode masterState() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    @Test
    void aJobSubmittedToTheClusterRunsOnItsExecutorsAndWritesParseableMetrics() throws Exception {
        assertEquals(2, masterState().get("aliveworkers").asInt());
        Path tmp = Files.createTempDirectory(clusterDir, "job");
        Path data = tmp.resolve("synthetic");
        Path run = tmp.resolve("run");

        for (List<String> step : steps(data, run)) {
            List<String> cmd = new ArrayList<>(List.of("bash", BIN.resolve("readout-submit").toString(),
                    "--master", master, "--driver-memory", "1g", "--executor-memory", "1g", "--native-memory", "1g"));
            cmd.addAll(step);
            long start = System.nanoTime();
            Result r = run(Map.of(), cmd.toArray(String[]::new));
            System.out.printf("LocalClusterIT: readout %s on %s: %.1f s%n", step.get(0), master,
                    (System.nanoTime() - start) / 1e9);
            assertEquals(0, r.code(), step + "\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        }

        // The run's outputs: the model, and the evaluation's metrics, which parse.
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        assertTrue(Files.exists(run.resolve("model.zip")));
        JsonNode metrics = JSON.readTree(run.resolve("metrics/test.json").toFile());
        assertEquals("test", metrics.get("split").asText());
        assertEquals(200, metrics.get("n").asInt());
        assertEquals(4, metrics.get("groups").size());
        double wga = metrics.get("worst_group_accuracy").asDouble();
        assertTrue(wga >= 0 && wga <= metrics.get("accuracy").asDouble(), metrics.toString());
        assertTrue(Files.isDirectory(run.resolve("metrics/test_groups.parquet")));

        // They ran on the cluster: the master lists each application as finished, both workers
        // started executors for each, and each application's event log records completed stages.
        List<String> finished = new ArrayList<>();
        masterState().get("completedapps").forEach(app -> {
            if ("FINISHED".equals(app.get("state").asText())) {
                finished.add(app.get("name").asText());
            }
        });
        assertEquals(APPS, finished.stream().sorted(Comparator.comparing(APPS::indexOf)).toList(), finished.toString());
        for (String worker : List.of("work-1", "work-2")) {
            try (Stream<Path> apps = Files.list(clusterDir.resolve(worker))) {
                assertEquals(APPS.size(), apps.count(), worker);
            }
        }
        List<Path> eventLogs;
        try (Stream<Path> logs = Files.list(clusterDir.resolve("events"))) {
            eventLogs = logs.toList();
        }
        assertEquals(APPS.size(), eventLogs.size(), eventLogs.toString());
        for (Path log : eventLogs) {
            assertTrue(Files.readString(log).contains("\"Event\":\"SparkListenerStageCompleted\""), log.toString());
        }
    }
}
