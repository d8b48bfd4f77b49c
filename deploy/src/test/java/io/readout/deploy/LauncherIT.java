package io.readout.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code deploy/bin/readout} as a user runs it: a separate JVM started from the uber-jar that
 * {@code mvn package} just built (so no rebuild may happen), with the JVM flags of jvm.options.
 */
class LauncherIT {
    private static final Path LAUNCHER = Path.of("bin", "readout").toAbsolutePath();

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.isBlank() ? List.of() : List.of(err.strip().split("\\R"));
        }
    }

    static Result launch(String... args) throws IOException, InterruptedException {
        return launchWith("false", args); // a rebuild here would mean the jar looked stale: fail instead
    }

    static Result launchWith(String mvn, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MVN", mvn);
        pb.environment().put("READOUT_JAVA_OPTS", "-Xmx2g");
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "launcher finished in time");
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    @Test
    void helpListsEverySubcommand() throws Exception {
        Result r = launch("--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("Commands:"), r.out());
        List<String> lines = r.out().lines().toList();
        List<String> commands = lines.subList(lines.indexOf("Commands:") + 1, lines.size()).stream()
                .takeWhile(l -> !l.isBlank()).toList();
        // One line each: a name and its description, no wrapped continuation lines.
        assertEquals(List.of("fetch", "generate", "prepare", "featurize", "train", "teacher-probs", "weights",
                "predict", "evaluate", "sweep", "pipeline", "demo", "aggregate", "report", "retrain", "bench", "help"),
                commands.stream().map(l -> l.strip().split("\\s+")[0]).toList(), r.out());
        assertTrue(commands.stream().allMatch(l -> l.matches("  [a-z-]+\\s+\\S.*")), r.out());
        assertFalse(r.err().contains("building the uber-jar"), r.err());
    }

    @Test
    void theLoggingConfigIsTheLaunchersNotTheJars() throws Exception {
        Result r = launch("--help");
        assertEquals(0, r.code(), r.err());
        // Inside the jar, a config would apply under spark-submit too, and hide executors' task failures.
        try (JarFile jar = new JarFile(Path.of("target", "readout.jar").toFile())) {
            assertNull(jar.getEntry("log4j2.properties"), "the uber-jar carries no log4j2.properties");
        }
        assertTrue(Files.readString(LAUNCHER).contains("-Dlog4j2.configurationFile=\"$root/deploy/conf/log4j2.properties\""));
        assertTrue(Files.isRegularFile(Path.of("conf", "log4j2.properties")));
    }

    @Test
    void preparesTheEmbeddedDefaultOnLocalMaster(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("synthetic");
        Result r = launch("prepare", "--dataset", "synthetic", "--n-train", "40", "--n-val", "8", "--n-test", "8",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("train       1      0          1        1"), r.out());
        assertTrue(r.out().contains("wrote " + out), r.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.exists(out.resolve("dataset.json")));
        assertTrue(Files.isDirectory(out.resolve("examples/split=train")));
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("bad");
        Result r = launch("prepare", "--dataset", "synthetic", "--rho", "2", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("readout prepare: --rho 2.0 is outside [0, 1]"), r.errLines());
        assertFalse(Files.exists(out));

        Result missing = launch("prepare", "--dataset", "idx", "--images", tmp.resolve("none").toString(),
                "--out", out.toString());
        assertEquals(2, missing.code(), missing.err());
        assertEquals(List.of("readout prepare: --images " + tmp.resolve("none") + ": no such file or directory"),
                missing.errLines());
        assertFalse(Files.exists(out));
    }

    @Test
    void anImageThatFailsOnAnExecutorIsStillOneLine(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("waterbirds");
        Files.createDirectories(root.resolve("birds"));
        List<String> meta = new ArrayList<>(List.of("img_id,img_filename,y,split,place"));
        for (int i = 0; i < 3; i++) {
            Files.writeString(root.resolve("birds/" + i + ".jpg"), "not an image");
            meta.add(i + ",birds/" + i + ".jpg,0," + i + ",0");
        }
        Files.write(root.resolve("metadata.csv"), meta);
        Path out = tmp.resolve("out");
        Result r = launch("prepare", "--dataset", "waterbirds", "--source", root.toString(), "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).matches("readout prepare: image .*/birds/\\d\\.jpg \\(wb-\\d\\): cannot decode.*"),
                r.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void aSourceNewerThanTheJarTriggersARebuild(@TempDir Path tmp) throws Exception {
        Path jar = Path.of("target", "readout.jar").toAbsolutePath();
        Path source = Path.of("..", "jobs", "src", "main", "java", "io", "readout", "jobs", "cli", "ReadoutCli.java")
                .toAbsolutePath().normalize();
        FileTime jarTime = Files.getLastModifiedTime(jar);
        FileTime sourceTime = Files.getLastModifiedTime(source);
        Path marker = tmp.resolve("built");
        // Stands in for Maven: records its arguments and refreshes the jar, as a real build would.
        Path fakeMvn = tmp.resolve("fake-mvn");
        Files.writeString(fakeMvn, "#!/bin/sh\necho \"$@\" > " + marker + "\ntouch " + jar + "\n");
        assertTrue(fakeMvn.toFile().setExecutable(true));
        try {
            Files.setLastModifiedTime(source, FileTime.fromMillis(jarTime.toMillis() + 5_000));
            Result r = launchWith(fakeMvn.toString(), "--version");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.err().contains("building the uber-jar"), r.err());
            assertTrue(Files.readString(marker).contains("package -pl deploy -am"), Files.readString(marker));
        } finally {
            Files.setLastModifiedTime(source, sourceTime);
        }
        Files.delete(marker);
        Result fresh = launchWith(fakeMvn.toString(), "--version");
        assertEquals(0, fresh.code(), fresh.err());
        assertFalse(Files.exists(marker), "no rebuild when the jar is newer than every source");
    }
}
