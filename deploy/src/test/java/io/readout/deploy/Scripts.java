package io.readout.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs one of the deploy scripts in bash and captures what it printed. */
final class Scripts {
    static final Path DEPLOY = Path.of("").toAbsolutePath();

    record Result(int code, String out, String err) {
    }

    private Scripts() {
    }

    static Result run(Map<String, String> env, String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", DEPLOY.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MVN", "false"); // never a build from a unit test
        // Nor an assembled Spark home (a fresh checkout has none): scripts that only print need any folder.
        Path anyHome = Files.createTempDirectory("spark-home");
        pb.environment().put("SPARK_HOME", anyHome.toString());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("script", ".out");
        Path err = Files.createTempFile("script", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
            Files.deleteIfExists(anyHome);
        }
    }

    /** A dry run's printed command line as words: split at unescaped spaces, backslash escapes undone. */
    static List<String> words(String out) {
        return Arrays.stream(out.strip().split("(?<!\\\\) ")).map(w -> w.replaceAll("\\\\(.)", "$1")).toList();
    }

    /** The value of {@code --conf KEY=VALUE} among a command line's words, or null. */
    static String conf(List<String> words, String key) {
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals("--conf") && words.get(i + 1).startsWith(key + "=")) {
                return words.get(i + 1).substring(key.length() + 1);
            }
        }
        return null;
    }

    /**
     * Assembles the Spark home from Maven ({@code deploy/bin/spark-home}) if it is missing, as a user's first
     * {@code local-cluster start} would: the cluster tests' scripts run with {@code MVN=false} and must not build.
     */
    static void assembleSparkHome() throws IOException, InterruptedException {
        ProcessBuilder home = new ProcessBuilder("bash", DEPLOY.resolve("bin/spark-home").toString()).inheritIO();
        home.environment().put("MVN", System.getProperty("readout.mvn", "mvn"));
        if (home.start().waitFor() != 0) {
            throw new AssertionError("deploy/bin/spark-home failed (output above)");
        }
    }
}
