package io.readout.jobs.passes;

import io.readout.jobs.CliRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the distillation tests share, made once per test JVM through the command line (an active
 * Spark session is needed the first time): a tiny {@code synthetic} dataset ({@value #N_TRAIN}
 * training examples, 2 shards) and a teacher trained on it for two epochs.
 */
public final class DistillFixture {
    public static final int N_TRAIN = 256;
    public static final long SEED = 3;
    private static Path root;
    private static Path data;
    private static Path teacher;

    private DistillFixture() {
    }

    /** A folder removed when the JVM exits. */
    public static synchronized Path root() {
        if (root == null) {
            try {
                root = Files.createTempDirectory("readout-distill-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path r = root;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(r)));
        }
        return root;
    }

    /** The prepared dataset. */
    public static synchronized Path data() {
        if (data == null) {
            data = prepare("synthetic", SEED);
        }
        return data;
    }

    /** Another prepared dataset: the same kind, another seed. */
    public static Path prepare(String name, long seed) {
        Path dir = root().resolve(name + "-" + seed);
        run("prepare", "--dataset", "synthetic", "--n-train", "" + N_TRAIN, "--n-val", "64", "--n-test", "64",
                "--shards", "2", "--seed", "" + seed, "--out", dir.toString());
        return dir;
    }

    /** The teacher's run folder. */
    public static synchronized Path teacher() {
        if (teacher == null) {
            Path dir = root().resolve("teacher");
            run("train", "--method", "erm", "--arch", "teacher", "--data", data().toString(), "--out", dir.toString(),
                    "--epochs", "2", "--batch", "32", "--lr", "0.01", "--workers", "2", "--averaging-frequency", "2",
                    "--seed", "" + SEED);
            teacher = dir;
        }
        return teacher;
    }

    private static void run(String... args) {
        CliRun run = CliRun.of(args);
        if (run.code() != 0) {
            throw new IllegalStateException(String.join(" ", args) + " failed: " + run.err());
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
