package io.readout.jobs.train;

import io.readout.datasets.ExamplesTable;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where {@link TrainingMasters#minibatchRdd} puts each example: a function of the seed and the example's id
 * only, so the same data gives the same minibatches however it is stored (one Parquet file or several,
 * read into any number of partitions), every example once per epoch (or as many times as its copies say),
 * in near-equal shares per worker.
 */
class MinibatchRddIT extends SharedSparkSession {
    private static final int N = 600;
    private static final int BATCH = 16;

    @TempDir
    static Path dir;
    private static ExamplesTable oneShard;
    private static ExamplesTable fourShards;

    @BeforeAll
    static void prepare() {
        oneShard = prepared("one", 1);
        fourShards = prepared("four", 4);
    }

    private static ExamplesTable prepared(String name, int shards) {
        String out = dir.resolve(name).toString();
        CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--out", out, "--n-train", "" + N, "--n-val", "16",
                "--n-test", "16", "--shards", "" + shards, "--seed", "3");
        assertEquals(0, run.code(), run.err());
        return ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), out, "--data");
    }

    @Test
    void theSeedsBytesGiveTheKeysOfTheSeedAndOneCompiledPlanServesEverySeed() {
        Dataset<Row> ids = spark.range(-50, 250).withColumn("copy", col("id").mod(3));
        for (long seed : new long[] {0, 1, -1, 7, 123_456_789_012L, Long.MAX_VALUE, Long.MIN_VALUE}) {
            List<Row> keys = ids.select(
                    xxhash64(lit(seed), col("id")), xxhash64(TrainingMasters.shuffleSeedColumn(seed), col("id")),
                    xxhash64(lit(seed), col("id"), col("copy")),
                    xxhash64(TrainingMasters.shuffleSeedColumn(seed), col("id"), col("copy"))).collectAsList();
            for (Row r : keys) {
                assertEquals(r.getLong(0), r.getLong(1), "seed " + seed);
                assertEquals(r.getLong(2), r.getLong(3), "seed " + seed + ", with copies");
            }
        }
        // The shuffle of another epoch (another seed) compiles nothing new; a long literal would compile its stages.
        Dataset<Row> rows = oneShard.split(spark, Split.TRAIN);
        batches(oneShard, rows, 2, 11);
        long compiled = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
        batches(oneShard, rows, 2, 12);
        assertEquals(compiled, CodegenMetrics.METRIC_COMPILATION_TIME().getCount(), "compilations for a new seed");
        ids.select(xxhash64(lit(13L), col("id"))).collectAsList();
        ids.select(xxhash64(lit(14L), col("id"))).collectAsList();
        assertTrue(CodegenMetrics.METRIC_COMPILATION_TIME().getCount() > compiled, "a long literal's code is compiled");
    }

    private static List<List<DataSet>> batches(ExamplesTable table, Dataset<Row> rows, int workers, long seed) {
        return TrainingMasters.minibatchRdd(rows, table, workers, BATCH, seed).glom().collect();
    }

    @Test
    void theSameDataGivesTheSameMinibatchesHoweverItIsStored() {
        Dataset<Row> a = oneShard.split(spark, Split.TRAIN);
        // Four files, read back in another order and into other partitions than the one-file table.
        Dataset<Row> b = fourShards.split(spark, Split.TRAIN).repartition(7).sortWithinPartitions(col("features"));
        assertTrue(a.javaRDD().getNumPartitions() != b.javaRDD().getNumPartitions());
        for (int workers : new int[] {1, 2, 3}) {
            List<List<DataSet>> x = batches(oneShard, a, workers, 11L);
            List<List<DataSet>> y = batches(fourShards, b, workers, 11L);
            assertEquals(workers, x.size());
            assertEquals(x.size(), y.size());
            for (int p = 0; p < x.size(); p++) {
                assertEquals(x.get(p).size(), y.get(p).size(), "minibatches of worker " + p);
                for (int i = 0; i < x.get(p).size(); i++) {
                    // Exact: the same bytes decoded the same way.
                    assertArrayEquals(x.get(p).get(i).getFeatures().data().asFloat(),
                            y.get(p).get(i).getFeatures().data().asFloat(), "worker " + p + " minibatch " + i);
                    assertArrayEquals(x.get(p).get(i).getLabels().data().asFloat(),
                            y.get(p).get(i).getLabels().data().asFloat(), "worker " + p + " minibatch " + i);
                }
            }
        }
    }

    @Test
    void everyExampleOnceInNearEqualSharesAndAnotherSeedAnotherOrder() {
        Dataset<Row> train = oneShard.split(spark, Split.TRAIN);
        int workers = 3;
        List<List<DataSet>> x = batches(oneShard, train, workers, 11L);
        List<float[]> rows = new ArrayList<>();
        double share = N / (double) workers;
        // A binomial share: 6 standard deviations is never exceeded by a fair hash (p < 1e-8).
        double slack = 6 * Math.sqrt(N * (1.0 / workers) * (1 - 1.0 / workers));
        for (List<DataSet> worker : x) {
            int n = 0;
            for (DataSet d : worker) {
                n += d.numExamples();
                assertTrue(d.numExamples() <= BATCH);
                for (int i = 0; i < d.numExamples(); i++) {
                    rows.add(d.getFeatures().slice(i).dup().data().asFloat());
                }
            }
            assertTrue(Math.abs(n - share) <= slack, "a worker's share " + n + " of " + N);
        }
        assertEquals(N, rows.size());
        assertEquals(N, rows.stream().map(Arrays::hashCode).distinct().count(), "every example exactly once");
        List<List<DataSet>> other = batches(oneShard, train, workers, 12L);
        assertFalse(Arrays.equals(x.get(0).get(0).getFeatures().data().asFloat(),
                other.get(0).get(0).getFeatures().data().asFloat()), "another seed, another first minibatch");
    }

    @Test
    void copiesAreTakenAsSeparateExamples() {
        Dataset<Row> train = oneShard.split(spark, Split.TRAIN);
        // Label-1 examples twice, label-0 examples not at all.
        long ones = train.where(col("label").equalTo(1)).count();
        List<List<DataSet>> x = TrainingMasters.minibatchRdd(train, when(col("label").equalTo(1), lit(2)).otherwise(lit(0)),
                oneShard, 2, BATCH, 5L).glom().collect();
        long examples = 0;
        for (List<DataSet> worker : x) {
            for (DataSet d : worker) {
                examples += d.numExamples();
                assertEquals(d.numExamples(), d.getLabels().getColumn(1).sumNumber().intValue(), "only label 1");
            }
        }
        assertEquals(2 * ones, examples);
    }
}
