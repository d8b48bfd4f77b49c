package io.readout.deploy;

import io.readout.jobs.cli.ReadoutCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
// SnakeYAML as ND4J's jackson artifact shades it: the only YAML parser on this module's test classpath.
import org.nd4j.shade.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scheduling examples of deploy/schedule: each one runs {@code readout-submit ... retrain} (or spark-submit
 * with what readout-submit would add) with arguments that readout's own command line accepts, and keeps two
 * runs from overlapping.
 */
class ScheduleFilesTest {
    private static final Path SCHEDULE = Scripts.DEPLOY.resolve("schedule");
    /** One field of a cron schedule: numbers, ranges, steps, lists, *, or names (mon, jan). */
    private static final Pattern CRON_FIELD = Pattern.compile("[0-9*,/\\-]+|[A-Za-z]{3}(-[A-Za-z]{3})?");

    @TempDir
    static Path sparkHome;

    /** readout's part of a command line must parse as {@code readout retrain} with a registry. */
    private static void assertRetrainArgs(List<String> readout) {
        assertEquals("retrain", readout.get(0), readout.toString());
        int registry = readout.indexOf("--registry");
        assertTrue(registry > 0 && registry + 1 < readout.size(), "--registry URI in " + readout);
        assertTrue(readout.get(registry + 1).matches("(hdfs|s3a)://.+"), "the registry on a shared file system: " + readout);
        assertTrue(readout.contains("--config"), readout.toString());
        assertDoesNotThrow(() -> ReadoutCli.parseOnly(readout.toArray(String[]::new)), readout.toString());
    }

    /** What {@code readout-submit --dry-run} prints for these options and command, word by word. */
    private static List<String> submitDryRun(List<String> args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--jar", "target/readout.jar", "--dry-run"));
        all.addAll(args);
        // any SPARK_HOME: a dry run needs none assembled
        Scripts.Result r = Scripts.run(Map.of("SPARK_HOME", sparkHome.toString()), "bin/readout-submit",
                all.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return Scripts.words(r.out());
    }

    private static String value(List<String> words, String option) {
        int i = words.indexOf(option);
        return i >= 0 && i + 1 < words.size() ? words.get(i + 1) : null;
    }

    @Test
    void theCrontabLineRunsReadoutSubmitRetrainNightlyUnderFlockIntoALog() throws Exception {
        List<String> jobs = Files.readAllLines(SCHEDULE.resolve("crontab")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.matches("^[A-Z_]+=.*")).toList();
        assertEquals(1, jobs.size(), jobs.toString());
        String[] fields = jobs.get(0).split("\\s+", 6);
        for (int i = 0; i < 5; i++) {
            assertTrue(CRON_FIELD.matcher(fields[i]).matches(), "schedule field " + (i + 1) + ": " + fields[i]);
        }
        String command = fields[5];
        // cron turns an unescaped % into a new line
        assertFalse(command.matches(".*(?<!\\\\)%.*"), "unescaped % in " + command);
        String shell = command.replace("\\%", "%");
        Process syntax = new ProcessBuilder("bash", "-n", "-c", shell).redirectErrorStream(true).start();
        String syntaxErrors = new String(syntax.getInputStream().readAllBytes());
        assertTrue(syntax.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, syntax.exitValue(), "bash -n: " + syntaxErrors);
        assertTrue(shell.matches(".*\\bflock -n .*deploy/bin/readout-submit .*"), "one run at a time: " + shell);
        assertTrue(shell.matches(".*>> ?/\\S+\\.log 2>&1$"), "appends to a log file: " + shell);

        Matcher submit = Pattern.compile("deploy/bin/readout-submit ([^;]+);").matcher(shell);
        assertTrue(submit.find(), shell);
        List<String> words = List.of(submit.group(1).strip().split("\\s+"));
        List<String> dryRun = submitDryRun(words);
        List<String> readout = dryRun.subList(dryRun.indexOf("target/readout.jar") + 1, dryRun.size());
        assertRetrainArgs(readout);
        assertEquals(words.subList(words.indexOf("retrain"), words.size()), readout);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKubernetesCronJobForbidsOverlapsAndSubmitsRetrainInClusterModeAsReadoutSubmitWould() throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml().loadAll(Files.readString(SCHEDULE.resolve("k8s-cronjob.yaml")))) {
            docs.add((Map<String, Object>) doc);
        }
        Map<String, Object> cronJob = docs.stream().filter(d -> "CronJob".equals(d.get("kind"))).findFirst().orElseThrow();
        assertEquals("batch/v1", cronJob.get("apiVersion"));
        Map<String, Object> spec = (Map<String, Object>) cronJob.get("spec");
        assertEquals("Forbid", spec.get("concurrencyPolicy"));
        assertEquals(5, String.valueOf(spec.get("schedule")).split("\\s+").length, String.valueOf(spec.get("schedule")));
        Map<String, Object> jobSpec = (Map<String, Object>) ((Map<String, Object>) spec.get("jobTemplate")).get("spec");
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) jobSpec.get("template")).get("spec");
        assertEquals("Never", pod.get("restartPolicy"));
        String account = (String) pod.get("serviceAccountName");
        assertNotNull(account);
        assertTrue(docs.stream().anyMatch(d -> "ServiceAccount".equals(d.get("kind"))
                && account.equals(((Map<String, Object>) d.get("metadata")).get("name"))), "the service account is defined");

        Map<String, Object> container = ((List<Map<String, Object>>) pod.get("containers")).get(0);
        assertTrue(((List<String>) container.get("command")).get(0).endsWith("/spark-submit"), container.toString());
        List<String> args = ((List<Object>) container.get("args")).stream().map(String::valueOf).toList();
        assertEquals("cluster", value(args, "--deploy-mode"));
        assertTrue(value(args, "--master").startsWith("k8s://https://"), value(args, "--master"));
        assertEquals("io.readout.jobs.cli.ReadoutCli", value(args, "--class"));
        assertEquals(account, Scripts.conf(args, "spark.kubernetes.authenticate.driver.serviceAccountName"));
        assertEquals("true", Scripts.conf(args, "spark.kubernetes.submission.waitAppCompletion"),
                "the pod lives as long as the application, so Forbid really forbids overlaps");
        assertTrue(String.valueOf(container.get("image")).startsWith("<"), "the image is a marked placeholder");
        int jar = args.indexOf("<JAR>");
        assertTrue(jar > 0, "the jar is a marked placeholder: " + args);
        assertRetrainArgs(args.subList(jar + 1, args.size()));

        // The JVM flags and memory overheads readout-submit gives the same heap and native memory sizes.
        List<String> submitted = submitDryRun(List.of("--master", "k8s://https://kubernetes.default.svc:443",
                "--deploy-mode", "cluster", "--driver-memory", value(args, "--driver-memory"),
                "--executor-memory", value(args, "--executor-memory"), "--native-memory", "4g", "retrain"));
        for (String key : List.of("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions",
                "spark.driver.memoryOverhead", "spark.executor.memoryOverhead")) {
            assertEquals(Scripts.conf(submitted, key), Scripts.conf(args, key), key);
        }
    }

    @Test
    void theAirflowDagRunsReadoutSubmitRetrainOneAtATimeAndRetries() throws IOException {
        String dag = Files.readString(SCHEDULE.resolve("airflow_dag.py"));
        assertTrue(dag.matches("(?s).*deploy/bin/readout-submit .*\\n\\s+retrain --config \\S+ --registry \\S+.*"), dag);
        assertTrue(dag.contains("max_active_runs=1"), dag);
        assertTrue(dag.matches("(?s).*\"retries\": [1-9].*"), dag);
        assertTrue(dag.contains("BashOperator("), dag);
        assertTrue(dag.contains("skip_on_exit_code=None"), "exit codes are failures or success, never skips");
        assertTrue(dag.matches("(?s).*\\n\\s+3\\) .*exit \\$rc\\n.*"), "exit 3 handled and passed on: " + dag);
    }

    @Test
    void theAirflowDagCompiles(@TempDir Path tmp) throws Exception {
        // Airflow is not installed here: the DAG is only compiled, not imported.
        Process which = new ProcessBuilder("bash", "-c", "command -v python3").start();
        assumeTrue(which.waitFor(30, TimeUnit.SECONDS) && which.exitValue() == 0, "python3 is not installed");
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "py_compile", SCHEDULE.resolve("airflow_dag.py").toString())
                .redirectErrorStream(true);
        pb.environment().put("PYTHONPYCACHEPREFIX", tmp.toString()); // no __pycache__ in the source tree
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
    }
}
