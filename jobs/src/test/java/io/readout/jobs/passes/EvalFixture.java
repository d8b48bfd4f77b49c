package io.readout.jobs.passes;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the evaluation tests share: a tiny {@code synthetic} dataset prepared once per test JVM
 * through the command line (40 examples per split, 2 shards), and run folders holding a student
 * network fitted a few full-batch steps on its train split so that predictions vary.
 */
public final class EvalFixture {
    public static final long SEED = 7L;
    public static final int EXAMPLES_PER_SPLIT = 40;
    private static final int FIT_STEPS = 4;
    private static Path data;

    private EvalFixture() {
    }

    /** The prepared dataset folder (needs an active Spark session the first time). */
    public static synchronized Path data() {
        if (data == null) {
            try {
                Path root = Files.createTempDirectory("readout-eval-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                Path dir = root.resolve("synthetic");
                CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "" + EXAMPLES_PER_SPLIT,
                        "--n-val", "" + EXAMPLES_PER_SPLIT, "--n-test", "" + EXAMPLES_PER_SPLIT, "--shards", "2",
                        "--seed", "" + SEED, "--out", dir.toString());
                if (run.code() != 0) {
                    throw new IllegalStateException("prepare failed: " + run.err());
                }
                data = dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return data;
    }

    public static ExamplesTable table() {
        return ExamplesTable.open(HadoopInputs.local(), data().toString(), "--data");
    }

    /** A new student for {@code channels x size x size} images and {@code classes} classes. */
    public static ComputationGraph student(int channels, int size, int classes) {
        return Networks.build(NetworkConfig.image(Architecture.STUDENT, channels, size, size, classes, "adam", 1e-3, 0,
                SEED));
    }

    /** A student for the fixture's 1x16x16 images and 2 classes, fitted a few steps on its train split. */
    public static ComputationGraph fittedStudent(SparkSession spark) {
        ComputationGraph net = student(1, 16, 2);
        ExamplesTable table = table();
        List<Row> train = table.split(spark, Split.TRAIN).orderBy(ExamplesSchema.ID).collectAsList();
        DataSet batch = Minibatches.dataSet(train, table);
        for (int i = 0; i < FIT_STEPS; i++) {
            net.fit(batch);
        }
        return net;
    }

    /** A run folder holding {@code model} as model.zip. */
    public static Path runWith(Path dir, ComputationGraph model) {
        new RunDir(new Configuration(), dir.toString()).saveModel(RunDir.MODEL, model);
        return dir;
    }

    public static void delete(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
