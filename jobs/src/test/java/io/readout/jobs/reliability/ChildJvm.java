package io.readout.jobs.reliability;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Java process started from a test, on the test's own class path and with its JVM flags (the
 * {@code --add-opens} list and ND4J's memory limits of the tests' {@code argLine}), whose output goes
 * to files: the readout command line as a separate driver ({@link #readout}) or any test main class.
 * A test waits for a marker (a line printed, a folder appearing) and then kills it with SIGKILL
 * ({@link #kill}), as a dead machine would: no shutdown hooks, no finally blocks.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** {@code readout --master local[2] ARGS} in a child JVM; {@code logs} receives NAME.out and NAME.err. */
    public static ChildJvm readout(Path logs, String name, String heap, String... args) throws IOException {
        List<String> main = new ArrayList<>(List.of("io.readout.jobs.cli.ReadoutCli", "--master", "local[2]"));
        main.addAll(List.of(args));
        return start(logs, name, heap, main);
    }

    /** {@code mainAndArgs} (a class name, then its arguments) in a child JVM. */
    public static ChildJvm start(Path logs, String name, String heap, List<String> mainAndArgs) throws IOException {
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The argLine's flags; not the test JVM's heap, agents or debugger.
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Dreadout.")
                    || a.startsWith("-Dio.netty") || a.startsWith("-Dorg.bytedeco")) {
                cmd.add(a);
            }
        }
        cmd.add("-Xmx" + heap);
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.addAll(mainAndArgs);
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return new ChildJvm(pb.start(), out, err);
    }

    /** The test's class path (Surefire and Failsafe may run tests from a manifest-only jar). */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    public long pid() {
        return process.pid();
    }

    public String out() {
        return read(stdout);
    }

    public String err() {
        return read(stderr);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits until {@code condition} holds; false if the process ended first or the time ran out. */
    public boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!process.isAlive()) {
                return condition.getAsBoolean();
            }
            sleep(20);
        }
        return false;
    }

    /** Waits until stdout holds {@code marker}. */
    public boolean awaitOut(String marker, Duration timeout) {
        return await(() -> out().contains(marker), timeout);
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for a normal end and returns the exit code; kills it after {@code timeout}. */
    public int waitFor(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new IllegalStateException("child did not end within " + timeout + "; stderr:\n" + err());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
