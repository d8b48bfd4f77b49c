package io.readout.jobs.bench;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.prepare.PrepareJob;
import io.readout.jobs.prepare.SourceOptions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * The training rows a benchmark times on: the train split of a prepared dataset, or of the
 * {@code synthetic} one generated into a temp folder when there is none, cut to the first
 * {@code maxExamples} by id, cached and counted. {@link #close()} releases the cache and deletes
 * what was generated. The seed drives the generated data, the networks and the shuffles.
 */
public final class BenchmarkRows implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BenchmarkRows.class);

    private final ExamplesTable table;
    private final Dataset<Row> train;
    private final long examples;
    private final long seed;
    private final Path generated;
    private Path scratch;

    private BenchmarkRows(ExamplesTable table, Dataset<Row> train, long examples, long seed, Path generated) {
        this.table = table;
        this.train = train;
        this.examples = examples;
        this.seed = seed;
        this.generated = generated;
    }

    /** A local folder URI for what a timed pass writes ({@code name} under a temp folder deleted by {@link #close}). */
    public String scratch(String name) {
        try {
            if (scratch == null) {
                scratch = Files.createTempDirectory("readout-bench-out-");
            }
            return scratch.resolve(name).toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param data        a prepared dataset folder ({@code --data}), or null to generate {@code synthetic}
     * @param maxExamples at most this many training rows, 0 for all
     */
    public static BenchmarkRows open(SparkSession spark, String data, int maxExamples, long seed) {
        Path generated = null;
        try {
            String dir = data;
            if (dir == null) {
                generated = Files.createTempDirectory("readout-bench-");
                dir = generated.resolve("synthetic").toString();
                PrepareJob.run(spark, new PrepareConfig("synthetic", dir, PrepareConfig.DEFAULT_SHARDS, seed, false,
                        SourceOptions.none()));
            }
            ExamplesTable table = ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), dir,
                    "--data");
            Dataset<Row> train = table.split(spark, Split.TRAIN);
            if (maxExamples > 0) {
                train = train.orderBy(col(ExamplesSchema.ID)).limit(maxExamples);
            }
            train = train.cache();
            return new BenchmarkRows(table, train, train.count(), seed, generated);
        } catch (IOException e) {
            deleteRecursively(generated);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            deleteRecursively(generated);
            throw e;
        }
    }

    public ExamplesTable table() {
        return table;
    }

    /** The cached training rows. */
    public Dataset<Row> train() {
        return train;
    }

    public long examples() {
        return examples;
    }

    public long seed() {
        return seed;
    }

    /** The benchmark network of an architecture for this data: Adam 1e-3, no weight decay, the seed. */
    public NetworkConfig network(Architecture arch) {
        return table.network(arch, "adam", 1e-3, 0, seed);
    }

    @Override
    public void close() {
        train.unpersist();
        deleteRecursively(generated);
        deleteRecursively(scratch);
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
    }
}
