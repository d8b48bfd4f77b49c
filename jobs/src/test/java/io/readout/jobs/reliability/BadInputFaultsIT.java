package io.readout.jobs.reliability;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.train.Checkpoints;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input beyond the foundation's list, each through the command line: one line on stderr,
 * exit code 2 (1 for a training divergence), and the earlier good state untouched. Cases the other
 * suites already cover are not repeated here: a teacher whose classes differ from the data
 * ({@code DistillationIT}), a model for another class count or input shape ({@code EvaluateBadInputIT}),
 * a warm start from another architecture ({@code WarmStartTest}), unknown keys in a pipeline or sweep
 * config ({@code PipelineIT}, {@code SweepConfigTest}).
 */
class BadInputFaultsIT extends SharedSparkSession {
    @TempDir
    static Path tmp;
    static Path data;
    static Path good;

    @BeforeAll
    static void fixture() {
        data = tmp.resolve("syn");
        ok(CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "256", "--n-val", "64", "--n-test", "64",
                "--shards", "2", "--out", data.toString(), "--seed", "3"));
        good = tmp.resolve("good");
        ok(CliRun.of(train(good, "erm", "1")));
    }

    static String[] train(Path out, String method, String epochs, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--method", method, "--arch", "student", "--data",
                data.toString(), "--out", out.toString(), "--epochs", epochs, "--batch", "32", "--lr", "0.01",
                "--workers", "2", "--averaging-frequency", "2", "--seed", "3"));
        a.addAll(Arrays.asList(extra));
        return a.toArray(String[]::new);
    }

    static CliRun ok(CliRun run) {
        assertEquals(0, run.code(), run.err());
        return run;
    }

    /** Exit {@code code}, exactly one line on stderr, starting with {@code prefix}; returns the line. */
    static String refused(int code, String prefix, CliRun run) {
        assertEquals(code, run.code(), run.err() + run.out());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.errLines()[0].startsWith(prefix), run.errLines()[0]);
        return run.errLines()[0];
    }

    static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
        return to;
    }

    static Path firstShard(Path dataset, String split) throws IOException {
        try (Stream<Path> s = Files.list(dataset.resolve("examples/split=" + split))) {
            return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
    }

    static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @Test
    void aTruncatedOrBitRottenParquetShardIsNamedInOneLine() throws IOException {
        byte[] model = bytes(good.resolve("model.zip"));
        // Truncated (a copy cut short, a disk full): no footer.
        Path truncated = copy(data, tmp.resolve("truncated"));
        Path shard = firstShard(truncated, "val");
        Files.write(shard, Arrays.copyOf(bytes(shard), 3000));
        Files.deleteIfExists(shard.resolveSibling("." + shard.getFileName() + ".crc"));
        String line = refused(2, "readout evaluate: " + shard + ": not a Parquet file (Expected magic number at tail",
                CliRun.of("evaluate", "--run", good.toString(), "--data", truncated.toString(), "--split", "val"));
        assertTrue(line.endsWith("write it again (e.g. readout prepare --overwrite)"), line);

        // Bit rot in the middle of a shard: Hadoop's checksum (.crc beside it) catches it.
        Path rotten = copy(data, tmp.resolve("rotten"));
        Path rottenShard = firstShard(rotten, "val");
        byte[] b = bytes(rottenShard);
        for (int i = b.length / 4; i < 3 * b.length / 4; i++) {
            b[i] ^= 0x5a;
        }
        Files.write(rottenShard, b);
        refused(2, "readout evaluate: " + rottenShard + ": corrupted: fails its checksum at byte ",
                CliRun.of("evaluate", "--run", good.toString(), "--data", rotten.toString(), "--split", "val"));
        assertFalse(Files.exists(good.resolve("metrics/val.json")), "nothing written for refused data");
        assertArrayEquals(model, bytes(good.resolve("model.zip")), "the earlier run is untouched");
    }

    @Test
    void aModelZipThatIsNotAModelOrOfAnotherArchitecture() throws IOException {
        Path broken = copy(good, tmp.resolve("broken-model"));
        Files.write(broken.resolve("model.zip"), "PK not really a zip".getBytes());
        Files.deleteIfExists(broken.resolve(".model.zip.crc"));
        refused(2, "readout evaluate: " + broken.resolve("model.zip") + ": not a DL4J ComputationGraph model",
                CliRun.of("evaluate", "--run", broken.toString(), "--data", data.toString(), "--split", "val"));
        assertFalse(Files.exists(broken.resolve("metrics")), "nothing written for a refused model");

        // A teacher (another architecture) as the warm start of a student.
        Path teacherModel = tmp.resolve("teacher-model");
        new RunDir(new Configuration(), teacherModel.toString()).saveModel(RunDir.MODEL, Networks.build(
                NetworkConfig.image(Architecture.TEACHER, 1, 16, 16, 2, "adam", 1e-3, 0, 1)));
        Path out = tmp.resolve("warm");
        refused(2, "readout train: --init " + teacherModel.resolve("model.zip"),
                CliRun.of(train(out, "erm", "1", "--init", teacherModel.resolve("model.zip").toString())));
    }

    @Test
    void aWeightsTableFromAnotherDatasetIsRefusedOnResume() throws IOException {
        Path teacher = tmp.resolve("teacher");
        ok(CliRun.of(train(teacher, "erm", "1")));
        // A DEDIER run stopped after epoch 1 (refresh 2: epoch 2 reuses the table of epoch 1) ...
        Path run = tmp.resolve("dedier");
        String[] args = train(run, "dedier", "2", "--teacher", teacher.toString(), "--refresh", "2");
        Checkpoints.stopAfter(spark, args, 1);
        assertTrue(Files.exists(run.resolve("weights/epoch=0001/_SUCCESS")));
        // ... whose weights table is replaced by one computed on another dataset (200 examples, other rows).
        Path other = tmp.resolve("other");
        ok(CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "200", "--n-val", "64", "--n-test", "64",
                "--out", other.toString(), "--seed", "11"));
        Path otherRun = tmp.resolve("other-dedier");
        ok(CliRun.of("train", "--method", "dedier", "--arch", "student", "--data", other.toString(), "--out",
                otherRun.toString(), "--teacher", teacher.toString(), "--epochs", "1", "--batch", "32", "--workers", "2"));
        Path table = run.resolve("weights/epoch=0001");
        deleteTree(table);
        copy(otherRun.resolve("weights/epoch=0001"), table);
        byte[] checkpoint = bytes(run.resolve(Checkpoints.dir(1) + "/model.zip"));

        String line = refused(2, "readout train: " + table + ": no weight for 56 of the 256 training examples",
                CliRun.of(withResume(args)));
        assertTrue(line.endsWith("this weights table was computed on other data: delete it to have it recomputed,"
                + " or train again with --overwrite"), line);
        assertArrayEquals(checkpoint, bytes(run.resolve(Checkpoints.dir(1) + "/model.zip")), "the checkpoint is kept");
        // Deleting the foreign table lets the resumed run recompute it and finish.
        deleteTree(table);
        ok(CliRun.of(withResume(args)));
        assertTrue(Files.exists(run.resolve("_SUCCESS")));
    }

    @Test
    void aConfigWithAnUnknownKeyOrAWrongType() throws IOException {
        Path config = tmp.resolve("pipeline.json");
        Path root = tmp.resolve("never");
        Files.writeString(config, """
                {"out": "%s", "seed": "three", "prepare": {"dataset": "synthetic"},
                 "students": {"arch": "student", "methods": ["erm"]}}""".formatted(root));
        refused(2, "readout pipeline: " + config + ": seed must be an integer, got three",
                CliRun.of("pipeline", "--config", config.toString()));
        Files.writeString(config, """
                {"out": "%s", "seed": 3, "prepare": {"dataset": "synthetic"}, "train": {"epochs": "many"},
                 "students": {"arch": "student", "methods": ["erm"]}}""".formatted(root));
        refused(2, "readout pipeline: stage teacher: Invalid value for option '--epochs': 'many' is not an int",
                CliRun.of("pipeline", "--config", config.toString()));
        Path sweep = tmp.resolve("sweep.json");
        Files.writeString(sweep, """
                {"out": "%s", "base": {"arch": "student", "data": "%s"}, "space": {"lr": [0.01]}, "selct": "val_wga"}"""
                .formatted(root, data));
        refused(2, "readout sweep: " + sweep + ": unknown key \"selct\"", CliRun.of("sweep", "--config", sweep.toString()));
        assertFalse(Files.exists(root), "nothing written for a refused config");
    }

    @Test
    void aNanLossOrOverflowingWeightsStopWithExitCodeOne() throws IOException {
        // A learning rate that overflows the parameters in the first epoch: nothing to keep, and it says so.
        Path nan = tmp.resolve("nan");
        String line = refused(1, "readout train: epoch 1: the training loss is NaN; no epoch had finished",
                CliRun.of("train", "--arch", "student", "--data", data.toString(), "--out", nan.toString(),
                        "--epochs", "2", "--batch", "32", "--lr", "1e30", "--updater", "sgd", "--workers", "2"));
        assertTrue(line.endsWith("change the flags and train again (--overwrite)"), line);
        assertFalse(Files.exists(nan.resolve("_SUCCESS")));
        assertFalse(Files.exists(nan.resolve("model.zip")));

        // DEDIER's early-readout weights overflowing exp(): the same exit code and one line, not a stack trace.
        Path teacher = tmp.resolve("nan-teacher");
        ok(CliRun.of(train(teacher, "erm", "1")));
        Path dedier = tmp.resolve("nan-dedier");
        refused(1, "readout train: epoch 1: the early-readout weights of " + dedier.resolve("weights/epoch=0001")
                        + " reach Infinity (exp(beta * margin^alpha) overflows: lower --beta or --alpha)",
                CliRun.of(train(dedier, "dedier", "2", "--teacher", teacher.toString(), "--alpha", "8", "--beta",
                        "1000", "--normalise", "none")));
    }

    static String[] withResume(String[] args) {
        String[] a = Arrays.copyOf(args, args.length + 1);
        a[args.length] = "--resume";
        return a;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
