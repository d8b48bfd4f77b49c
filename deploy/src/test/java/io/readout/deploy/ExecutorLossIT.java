package io.readout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Executor loss on a real Spark standalone cluster ({@code deploy/bin/local-cluster}: a master, two
 * workers of one core each, executors as separate JVMs started by the workers). One small
 * {@code readout pipeline} (synthetic data, a one-epoch teacher, a three-epoch DEDIER student with a
 * weights pass before every epoch, two training workers) is submitted through {@code readout-submit}
 * twice: undisturbed, then with three executor JVMs ({@code CoarseGrainedExecutorBackend} of the
 * application) killed with SIGKILL, one per phase: during the student's epoch 2 weights pass, during
 * its epoch 2 training (a parameter-averaging round: {@code treeAggregate}), and during the student's
 * evaluation stage, each time an executor the driver's REST API reports running a task of a Spark stage
 * of that phase (the oldest executor if none is seen within 20 s). The workers relaunch executors and
 * Spark reruns the lost tasks ({@code spark.task.maxFailures=4}); the disturbed run must end with exit 0,
 * every stage done, the student complete (epochs 1, 2, 3 once each in history.json, a complete weights
 * table per epoch) and its test metrics within {@link #TOLERANCE} of the undisturbed run's. Figures go to
 * stdout as {@code executor-loss:} lines.
 *
 * <p>Opt-in ({@code -Dreadout.reliability.cluster=true}): 3 to 4 minutes here, cluster start included (docs/RELIABILITY.md).
 */
@EnabledIfSystemProperty(named = "readout.reliability.cluster", matches = "true")
class ExecutorLossIT {
    private static final Path BIN = Path.of("bin").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STUDENT = "students/dedier";
    private static final int EPOCHS = 3;
    /** |Δ test accuracy| and |Δ test worst-group accuracy| allowed between the two runs. */
    static final double TOLERANCE = 0.02;
    private static final List<String> STAGES = List.of("teacher", "teacher-probs", STUDENT, "evaluate/teacher",
            "evaluate/" + STUDENT);

    private static Path clusterDir;
    private static String master;
    private static int uiPort;

    static String pipelineConfig(Path data) {
        return """
                {"seed": 5, "data": "%s",
                 "train": {"epochs": 1, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2,
                           "eval-batch": 25},
                 "teacher": {"arch": "student"},
                 "students": {"arch": "student", "methods": ["dedier"], "epochs": %d, "refresh": 1},
                 "report": false}
                """.formatted(data, EPOCHS);
    }

    private static int port() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A script of deploy/bin, output to files, not waited for. */
    private static Process start(Path logs, String name, String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", BIN.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MVN", "false");
        pb.environment().put("READOUT_CLUSTER_DIR", clusterDir.toString());
        pb.environment().remove("SPARK_HOME");
        Files.createDirectories(logs);
        return pb.redirectOutput(logs.resolve(name + ".out").toFile()).redirectError(logs.resolve(name + ".err").toFile())
                .start();
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int waitFor(Process p, int minutes) throws InterruptedException {
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("timed out after " + minutes + " min");
        }
        return p.exitValue();
    }

    @BeforeAll
    static void startCluster() throws Exception {
        clusterDir = Files.createTempDirectory("readout-exec-loss");
        int port = port();
        uiPort = port();
        master = "spark://127.0.0.1:" + port;
        Scripts.assembleSparkHome();
        Process p = start(clusterDir.resolve("test-logs"), "start", "local-cluster", "start", "--port",
                String.valueOf(port), "--ui-port", String.valueOf(uiPort), "--worker-ui-port", "0",
                "--history-ui-port", "0", "--workers", "2", "--worker-cores", "1", "--worker-memory", "1536m");
        int code = waitFor(p, 4);
        String out = read(clusterDir.resolve("test-logs/start.out"));
        assertEquals(0, code, out + read(clusterDir.resolve("test-logs/start.err")));
        assertTrue(out.contains("started master " + master + " with 2 worker(s)"), out);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (clusterDir == null) {
            return;
        }
        Process p = start(clusterDir.resolve("test-logs"), "stop", "local-cluster", "stop");
        assertEquals(0, waitFor(p, 2), read(clusterDir.resolve("test-logs/stop.err")));
        if (!Boolean.getBoolean("readout.reliability.keep")) {
            try (Stream<Path> files = Files.walk(clusterDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } else {
            System.out.println("executor-loss: kept " + clusterDir);
        }
    }

    private static JsonNode masterState() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static Optional<String> activeApp() {
        try {
            JsonNode apps = masterState().get("activeapps");
            return apps != null && apps.size() > 0 ? Optional.of(apps.get(0).get("id").asText()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String commandLine(ProcessHandle h) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", String.valueOf(h.pid()), "cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return h.info().commandLine().orElse("");
        }
    }

    /** The live executor JVMs of the application, oldest first. */
    static List<ProcessHandle> executors(String appId) {
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(h -> {
            String c = commandLine(h);
            return c.contains("CoarseGrainedExecutorBackend") && c.contains(appId);
        }).sorted(Comparator.comparing(h -> h.info().startInstant().orElse(Instant.EPOCH))).toList();
    }

    private static boolean await(BooleanSupplier condition, Process driver, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && driver.isAlive()) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(20);
        }
        return condition.getAsBoolean();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean hidden(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith(prefix));
        } catch (IOException e) {
            return false;
        }
    }

    record Kill(String phase, long pid, String executor, double atSeconds) {
    }

    /** The driver UI's port of the disturbed submission (its REST API says which executor runs tasks). */
    private static int driverUiPort;

    /** Ids of the application's executors that run a task now, from the driver's REST API. */
    private static List<String> busyExecutors(String app) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + driverUiPort
                    + "/api/v1/applications/" + app + "/executors")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> busy = new ArrayList<>();
            JSON.readTree(r.body()).forEach(e -> {
                if (!"driver".equals(e.get("id").asText()) && e.get("isActive").asBoolean()
                        && e.get("activeTasks").asInt() > 0) {
                    busy.add(e.get("id").asText());
                }
            });
            return busy;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Names of the application's active Spark stages ("treeAggregate at ParameterAveragingTrainingMaster..."). */
    private static List<String> activeStages(String app) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + driverUiPort
                    + "/api/v1/applications/" + app + "/stages?status=active")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> names = new ArrayList<>();
            JSON.readTree(r.body()).forEach(st -> names.add(st.get("name").asText()));
            return names;
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private static String executorId(ProcessHandle h) {
        String c = commandLine(h);
        int i = c.indexOf("--executor-id ");
        return i < 0 ? "?" : c.substring(i + 14).split(" ")[0];
    }

    /**
     * Kills one executor of the running application: once a Spark stage whose name contains {@code stage}
     * is active, one the driver reports running a task (polled for up to 20 s), else the oldest alive.
     */
    private static Kill killExecutor(String phase, String stage, Process driver, long t0) {
        String app = activeApp().orElseThrow(() -> new AssertionError("no active application at " + phase));
        assertTrue(await(() -> !executors(app).isEmpty(), driver, Duration.ofMinutes(2)), "no executor at " + phase);
        ProcessHandle h = null;
        String active = "";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (h == null && System.nanoTime() < deadline && driver.isAlive()) {
            active = activeStages(app).stream().filter(n -> n.contains(stage)).findFirst().orElse("");
            if (!active.isEmpty()) {
                List<String> busy = busyExecutors(app);
                h = executors(app).stream().filter(e -> busy.contains(executorId(e))).findFirst().orElse(null);
            }
            if (h == null) {
                sleep(20);
            }
        }
        boolean running = h != null;
        if (h == null) {
            h = executors(app).get(0);
        }
        String id = executorId(h);
        h.destroyForcibly();
        h.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        Kill k = new Kill(phase, h.pid(), id, (System.nanoTime() - t0) / 1e9);
        System.out.printf("executor-loss: killed executor %s (pid %d) of %s %s, at %.1f s (%s)%n", id, h.pid(), app,
                phase, k.atSeconds(), running ? "running a task of '" + active + "'"
                        : "no running task of a " + stage + " stage seen: the oldest");
        return k;
    }

    private record Submission(int code, String out, String err, double seconds, List<Kill> kills) {
    }

    private static Submission submit(Path job, String name, boolean disturb) throws Exception {
        Path data = clusterDir.resolve("data");
        Path config = Files.writeString(job.resolve("pipeline.json"), pipelineConfig(data));
        Path root = job.resolve("root");
        Path logs = job.resolve("logs");
        long t0 = System.nanoTime();
        driverUiPort = port();
        Process driver = start(logs, name, "readout-submit", "--master", master, "--driver-memory", "1g",
                "--executor-memory", "1g", "--native-memory", "1g", "--conf", "spark.task.maxFailures=4",
                "--conf", "spark.ui.port=" + driverUiPort,
                "pipeline", "--config", config.toString(), "--out", root.toString());
        List<Kill> kills = new ArrayList<>();
        Path out = logs.resolve(name + ".out");
        try {
            if (disturb) {
                Path weights = root.resolve(STUDENT).resolve("weights");
                // Epoch 2's weights pass: its hidden temporary table appears.
                assertTrue(await(() -> hidden(weights, ".epoch=0002.tmp-"), driver, Duration.ofMinutes(6)),
                        "epoch 2's weights pass never started:\n" + read(out));
                kills.add(killExecutor("during epoch 2's weights pass", "ReadoutWeightsPass", driver, t0));
                // Epoch 2's training: its weights table is committed, a parameter-averaging round runs.
                assertTrue(await(() -> Files.exists(weights.resolve("epoch=0002/_SUCCESS")), driver,
                        Duration.ofMinutes(4)), "epoch 2's weights never committed:\n" + read(out));
                kills.add(killExecutor("during epoch 2's training",
                        "treeAggregate at ParameterAveragingTrainingMaster", driver, t0));
                // The student's evaluation stage.
                assertTrue(await(() -> read(out).contains("evaluate/" + STUDENT + ": starting"), driver,
                        Duration.ofMinutes(4)), "the student's evaluation never started:\n" + read(out));
                kills.add(killExecutor("during the student's evaluation", "EvaluateJob", driver, t0));
            }
            int code = waitFor(driver, 15);
            return new Submission(code, read(out), read(logs.resolve(name + ".err")), (System.nanoTime() - t0) / 1e9,
                    kills);
        } finally {
            if (driver.isAlive()) {
                driver.descendants().forEach(ProcessHandle::destroyForcibly);
                driver.destroyForcibly();
            }
        }
    }

    private static JsonNode json(Path p) throws IOException {
        return JSON.readTree(p.toFile());
    }

    /** Checks the student's run is complete: every stage done, epochs 1..EPOCHS once, each weights table. */
    private static void complete(Path root, Submission s) throws IOException {
        String output = "\nstdout:\n" + s.out() + "\nstderr (tail):\n"
                + s.err().substring(Math.max(0, s.err().length() - 8000));
        assertEquals(0, s.code(), output);
        assertTrue(s.out().contains("pipeline done in "), output);
        for (String stage : STAGES) {
            JsonNode record = json(root.resolve("stages").resolve(stage.replace('/', '-') + ".json"));
            assertEquals("done", record.get("status").asText(), stage);
        }
        Path run = root.resolve(STUDENT);
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
        List<Integer> epochs = new ArrayList<>();
        json(run.resolve("history.json")).get("epochs").forEach(e -> epochs.add(e.get("epoch").asInt()));
        assertEquals(List.of(1, 2, 3), epochs);
        for (int e = 1; e <= EPOCHS; e++) {
            assertTrue(Files.exists(run.resolve("weights/epoch=000" + e + "/_SUCCESS")), "weights of epoch " + e);
        }
        assertFalse(hidden(run.resolve("weights"), ".epoch=") || hidden(run.resolve("weights"), ".tmp-"),
                "a temporary weights table left");
        for (String m : List.of("metrics/val.json", "metrics/test.json", "metrics/best/test.json")) {
            assertTrue(Files.exists(run.resolve(m)), m);
        }
    }

    /**
     * From the application's event log: executors added and removed, and each task that did not succeed
     * ("reason, executor N: Spark stage name [the readout pipeline stage]").
     */
    private record Events(int added, int removed, List<String> failedTasks) {
    }

    private static Events events(String appId) throws IOException {
        int removed = 0;
        int added = 0;
        List<String> failed = new ArrayList<>();
        Map<Integer, String> stageNames = new HashMap<>();
        Map<Integer, String> jobOfStage = new HashMap<>();
        try (Stream<Path> logs = Files.list(clusterDir.resolve("events"))) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith(appId)).toList()) {
                for (String line : Files.readAllLines(log)) {
                    JsonNode event = JSON.readTree(line);
                    switch (event.get("Event").asText()) {
                        case "SparkListenerExecutorRemoved" -> removed++;
                        case "SparkListenerExecutorAdded" -> added++;
                        case "SparkListenerJobStart" -> event.get("Stage IDs").forEach(id -> jobOfStage.put(id.asInt(),
                                event.path("Properties").path("spark.job.description").asText("?")));
                        case "SparkListenerStageSubmitted" -> stageNames.put(
                                event.get("Stage Info").get("Stage ID").asInt(),
                                event.get("Stage Info").get("Stage Name").asText());
                        case "SparkListenerTaskEnd" -> {
                            JsonNode reason = event.path("Task End Reason");
                            if (!"Success".equals(reason.path("Reason").asText())) {
                                int stage = event.get("Stage ID").asInt();
                                failed.add(reason.path("Reason").asText() + ", executor "
                                        + reason.path("Executor ID").asText("?") + ": " + stageNames.get(stage) + " ["
                                        + jobOfStage.get(stage) + "]");
                            }
                        }
                        default -> { }
                    }
                }
            }
        }
        return new Events(added, removed, failed);
    }

    private static double maxLossDifference(Path a, Path b) throws IOException {
        JsonNode ea = json(a.resolve("history.json")).get("epochs");
        JsonNode eb = json(b.resolve("history.json")).get("epochs");
        double max = 0;
        for (int i = 0; i < ea.size(); i++) {
            max = Math.max(max, Math.abs(ea.get(i).get("loss").asDouble() - eb.get(i).get("loss").asDouble()));
        }
        return max;
    }

    @Test
    void executorsKilledInTrainingTheWeightsPassAndEvaluationAreReplacedAndTheRunMatchesAnUndisturbedOne()
            throws Exception {
        assertEquals(2, masterState().get("aliveworkers").asInt());
        // The data, prepared once on the cluster.
        Process prep = start(clusterDir.resolve("test-logs"), "prepare", "readout-submit", "--master", master,
                "--driver-memory", "1g", "--executor-memory", "1g", "--native-memory", "1g", "prepare", "--dataset",
                "synthetic", "--n-train", "400", "--n-val", "100", "--n-test", "200", "--shards", "2", "--seed", "5",
                "--out", clusterDir.resolve("data").toString());
        assertEquals(0, waitFor(prep, 5), read(clusterDir.resolve("test-logs/prepare.err")));

        Path straightJob = Files.createDirectories(clusterDir.resolve("straight"));
        Submission straight = submit(straightJob, "straight", false);
        complete(straightJob.resolve("root"), straight);
        System.out.printf("executor-loss: undisturbed pipeline: %.1f s%n", straight.seconds());

        Path killedJob = Files.createDirectories(clusterDir.resolve("killed"));
        Submission killed = submit(killedJob, "killed", true);
        complete(killedJob.resolve("root"), killed);
        assertEquals(3, killed.kills().size());

        List<String> apps = new ArrayList<>();
        masterState().get("completedapps").forEach(a -> {
            if (a.get("name").asText().equals("readout pipeline")) {
                apps.add(a.get("id").asText());
            }
        });
        apps.sort(Comparator.naturalOrder());
        String killedApp = apps.get(apps.size() - 1);
        Events events = events(killedApp);
        System.out.printf("executor-loss: %s event log: executors added %d, removed %d; tasks lost %d%n", killedApp,
                events.added(), events.removed(), events.failedTasks().size());
        events.failedTasks().forEach(t -> System.out.println("executor-loss:   lost task: " + t));
        assertTrue(events.removed() >= 3, events.toString());
        assertFalse(events.failedTasks().isEmpty(), "no kill interrupted a task: " + events);

        // Training recomputed the lost rounds from the broadcast parameters: the same losses epoch by epoch.
        double dLoss = maxLossDifference(straightJob.resolve("root").resolve(STUDENT),
                killedJob.resolve("root").resolve(STUDENT));
        System.out.printf("executor-loss: %s training loss per epoch: max |Δ| %.2e%n", STUDENT, dLoss);
        assertTrue(dLoss <= 1e-3, "training losses differ by " + dLoss);

        for (String run : List.of("teacher", STUDENT)) {
            for (String m : List.of("metrics/test.json", "metrics/val.json")) {
                JsonNode want = json(straightJob.resolve("root").resolve(run).resolve(m));
                JsonNode got = json(killedJob.resolve("root").resolve(run).resolve(m));
                double dAcc = Math.abs(want.get("accuracy").asDouble() - got.get("accuracy").asDouble());
                double dWga = Math.abs(want.get("worst_group_accuracy").asDouble()
                        - got.get("worst_group_accuracy").asDouble());
                System.out.printf("executor-loss: %s %s: accuracy %.4f (undisturbed %.4f), worst-group %.4f"
                                + " (undisturbed %.4f); |Δ| %.4f, %.4f%n", run, m, got.get("accuracy").asDouble(),
                        want.get("accuracy").asDouble(), got.get("worst_group_accuracy").asDouble(),
                        want.get("worst_group_accuracy").asDouble(), dAcc, dWga);
                assertTrue(dAcc <= TOLERANCE && dWga <= TOLERANCE, run + " " + m + ": " + got + " vs " + want);
            }
        }
        System.out.printf("executor-loss: disturbed pipeline: %.1f s, %d executors killed, exit %d%n",
                killed.seconds(), killed.kills().size(), killed.code());
    }
}
