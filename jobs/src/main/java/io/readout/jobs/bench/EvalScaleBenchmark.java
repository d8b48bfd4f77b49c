package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.SplitMetrics;
import io.readout.datasets.ExamplesSchema;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.evaluate.GroupEvaluation;
import io.readout.jobs.io.AtomicFile;
import io.readout.jobs.io.JsonFiles;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoubleSupplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import static io.readout.jobs.bench.SideBySide.fixed;
import static io.readout.jobs.bench.SideBySide.line;

/**
 * How the Spark SQL evaluation ({@link GroupEvaluation#evaluate}, the code {@code readout evaluate}
 * runs) scales with the number of prediction rows. Stages: generate each size's rows on the executors
 * ({@link SyntheticPredictions}) and write them as Parquet to a scratch folder → time
 * {@code evaluate(read Parquet)} for every size, sizes interleaved in rounds ({@link SideBySide}) → check
 * that the figures it computed are the generator's, exactly (a second aggregation over the generator's
 * truth, not over the written rows) and within sampling error of each group's designed accuracy →
 * report seconds, rows/s and the growth exponent {@code log(t2/t1) / log(n2/n1)} between consecutive
 * sizes (1 = linear). The scratch tables are deleted at the end.
 */
public final class EvalScaleBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(EvalScaleBenchmark.class);

    /** Rows per generated partition, at most (more partitions than Spark's parallelism for big sizes). */
    public static final long ROWS_PER_PARTITION = 1_000_000L;
    /** A group's accuracy may stray this many standard errors from its designed value. */
    public static final double MAX_Z = 5.0;
    /** "No faster than linear" allows the exponent this much above 1 for timing noise. */
    public static final double LINEAR_TOLERANCE = 0.1;

    /**
     * One size: its table and timings, and how the evaluation's figures compared with the generator's.
     *
     * @param exact   every (split, group) n and accuracy equal the generator's counts exactly
     * @param maxAbsZ the largest |accuracy − designed| / standard error over the (split, group) cells
     */
    public record Size(long rows, int partitions, long parquetBytes, double writeSeconds, List<Double> seconds,
                       List<SplitMetrics> metrics, boolean exact, double maxAbsZ, List<String> mismatches) {
        public double median() {
            return SideBySide.median(seconds);
        }

        public double rowsPerSecond() {
            return rows / median();
        }

        public boolean checked() {
            return exact && maxAbsZ <= MAX_Z;
        }
    }

    /** Between two consecutive sizes: how time grew against rows; a results file's {@code steps[]}. */
    @JsonPropertyOrder({"from_rows", "to_rows", "time_ratio", "time_per_row_ratio", "exponent", "at_most_linear"})
    public record Step(@JsonProperty("from_rows") long fromRows, @JsonProperty("to_rows") long toRows,
                       @JsonProperty("time_ratio") double timeRatio,
                       @JsonProperty("time_per_row_ratio") double timePerRowRatio, double exponent) {
        static Step between(Size a, Size b) {
            double timeRatio = b.median() / a.median();
            double rowsRatio = (double) b.rows() / a.rows();
            return new Step(a.rows(), b.rows(), timeRatio, timeRatio / rowsRatio,
                    Math.log(timeRatio) / Math.log(rowsRatio));
        }

        @JsonProperty("at_most_linear")
        public boolean atMostLinear() {
            return exponent <= 1 + LINEAR_TOLERANCE;
        }
    }

    public record Result(EvalScaleBenchConfig config, MachineCpu cpu, String master, int defaultParallelism, List<Size> sizes,
                         List<Step> steps) {
        public boolean checked() {
            return sizes.stream().allMatch(Size::checked);
        }

        public boolean atMostLinear() {
            return steps.stream().allMatch(Step::atMostLinear);
        }

        /** The exponent from the smallest to the largest size (NaN with one size). */
        public double overallExponent() {
            if (sizes.size() < 2) {
                return Double.NaN;
            }
            return Step.between(sizes.get(0), sizes.get(sizes.size() - 1)).exponent();
        }

        public String format() {
            StringBuilder b = new StringBuilder();
            line(b, "cpu %s", cpu.describe());
            line(b, "spark master %s, default parallelism %d; %d groups, seed %d, %d timed run(s) per size",
                    master, defaultParallelism, config.groups(), config.seed(), config.repeats());
            line(b, "timed: GroupEvaluation.evaluate(spark.read.parquet(rows)), all splits");
            line(b, "");
            String row = "%12s %10s %10s %9s %9s  %-26s %12s %10s %9s  %s";
            line(b, row, "rows", "partitions", "parquet MB", "write s", "eval s", "runs", "rows/s", "t/row x",
                    "exponent", "check");
            for (int i = 0; i < sizes.size(); i++) {
                Size s = sizes.get(i);
                Step step = i == 0 ? null : steps.get(i - 1);
                line(b, row, s.rows(), s.partitions(), fixed(s.parquetBytes() / 1e6, 1), fixed(s.writeSeconds(), 2),
                        fixed(s.median(), 3), SideBySide.formatValues(s.seconds(), 3), fixed(s.rowsPerSecond(), 0),
                        step == null ? "" : fixed(step.timePerRowRatio(), 3),
                        step == null ? "" : fixed(step.exponent(), 3),
                        (s.exact() ? "exact" : "MISMATCH") + ", max |z| " + fixed(s.maxAbsZ(), 2));
            }
            line(b, "");
            line(b, "exponent %s to %s rows: %s (1 = linear); every step at most linear (<= %s): %s",
                    sizes.get(0).rows(), sizes.get(sizes.size() - 1).rows(), fixed(overallExponent(), 3),
                    fixed(1 + LINEAR_TOLERANCE, 2), atMostLinear() ? "yes" : "no");
            line(b, "figures equal the generator's counts and lie within %s standard errors of its accuracies: %s",
                    fixed(MAX_Z, 0), checked() ? "yes" : "no");
            for (Size s : sizes) {
                s.mismatches().forEach(m -> line(b, "  %d rows: %s", s.rows(), m));
            }
            return b.toString();
        }

        public ResultsFile toJson() {
            List<SizeFigures> sizeList = new ArrayList<>();
            for (Size s : sizes) {
                List<ObjectNode> splits = new ArrayList<>();
                for (SplitMetrics sp : s.metrics()) {
                    ObjectNode spm = JsonFiles.tree(sp.toJson());
                    ArrayNode designed = spm.putArray("designed_group_accuracy");
                    for (GroupAccuracy g : sp.groups()) {
                        designed.add(SyntheticPredictions.accuracyOf(g.group(), config.groups()));
                    }
                    splits.add(spm);
                }
                sizeList.add(new SizeFigures(s.rows(), s.partitions(), s.parquetBytes(), s.writeSeconds(), s.median(),
                        s.seconds(), s.rowsPerSecond(), new Check(s.exact(), s.maxAbsZ(), s.checked(), s.mismatches()),
                        splits));
            }
            return new ResultsFile(config.describe(), JsonFiles.tree(cpu.toJson()), master, defaultParallelism,
                    "GroupEvaluation.evaluate(spark.read().parquet(rows))", sizeList, steps,
                    sizes.size() < 2 ? null : overallExponent(), LINEAR_TOLERANCE, atMostLinear(), MAX_Z, checked());
        }
    }

    /** The results file ({@code --out}): the config and the machine, each size's figures and checks, the steps. */
    @JsonPropertyOrder({"config", "cpu", "spark_master", "default_parallelism", "timed", "sizes", "steps",
            "overall_exponent", "linear_tolerance", "at_most_linear", "max_z", "checked"})
    public record ResultsFile(EvalScaleBenchConfig.Described config, ObjectNode cpu,
                              @JsonProperty("spark_master") String sparkMaster,
                              @JsonProperty("default_parallelism") int defaultParallelism, String timed,
                              List<SizeFigures> sizes, List<Step> steps,
                              @JsonProperty("overall_exponent") Double overallExponent,
                              @JsonProperty("linear_tolerance") double linearTolerance,
                              @JsonProperty("at_most_linear") boolean atMostLinear, @JsonProperty("max_z") double maxZ,
                              boolean checked) {
    }

    /**
     * One size's figures ({@code sizes[]}); {@code metrics} per split as evaluation writes them, with the
     * generator's designed accuracy of each group.
     */
    @JsonPropertyOrder({"rows", "partitions", "parquet_bytes", "write_seconds", "seconds_median", "seconds",
            "rows_per_second", "check", "metrics"})
    public record SizeFigures(long rows, int partitions, @JsonProperty("parquet_bytes") long parquetBytes,
                              @JsonProperty("write_seconds") double writeSeconds,
                              @JsonProperty("seconds_median") double secondsMedian, List<Double> seconds,
                              @JsonProperty("rows_per_second") double rowsPerSecond, Check check,
                              List<ObjectNode> metrics) {
    }

    /** Whether a size's figures are the generator's ({@code sizes[].check}). */
    @JsonPropertyOrder({"exact", "max_abs_z", "passed", "mismatches"})
    public record Check(boolean exact, @JsonProperty("max_abs_z") double maxAbsZ, boolean passed,
                        List<String> mismatches) {
    }

    private EvalScaleBenchmark() {
    }

    public static Result run(SparkSession spark, EvalScaleBenchConfig config) {
        config.validate();
        LOG.info("bench eval-scale: {}", JsonFiles.compact(config.describe()));
        int parallelism = spark.sparkContext().defaultParallelism();
        Path scratch = scratchDir(config.scratch());
        FileSystem fs = fileSystem(spark, scratch);
        try {
            List<String> dirs = new ArrayList<>();
            List<Integer> partitions = new ArrayList<>();
            List<Double> writeSeconds = new ArrayList<>();
            for (long n : config.sizes()) {
                int p = partitions(n, parallelism);
                String dir = new Path(scratch, "rows=" + n).toString();
                long start = System.nanoTime();
                SyntheticPredictions.generate(spark, n, config.groups(), p, config.seed())
                        .write().mode(SaveMode.Overwrite).parquet(dir);
                writeSeconds.add((System.nanoTime() - start) / 1e9);
                dirs.add(dir);
                partitions.add(p);
                LOG.info("bench eval-scale: wrote {} rows to {} in {} s", n, dir, writeSeconds.get(writeSeconds.size() - 1));
            }
            Map<Integer, List<SplitMetrics>> lastMetrics = new HashMap<>();
            List<Trial> trials = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                int index = i;
                DoubleSupplier timed = () -> {
                    long start = System.nanoTime();
                    List<SplitMetrics> metrics = GroupEvaluation.evaluate(spark.read().parquet(dirs.get(index)));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    lastMetrics.put(index, metrics);
                    return seconds;
                };
                trials.add(new Trial(config.sizes().get(i) + " rows, evaluate seconds", timed, timed));
            }
            List<List<Double>> seconds = SideBySide.alternate(trials, config.repeats());
            List<Size> sizes = new ArrayList<>();
            for (int i = 0; i < dirs.size(); i++) {
                long n = config.sizes().get(i);
                sizes.add(check(spark, n, partitions.get(i), bytes(fs, dirs.get(i)), writeSeconds.get(i),
                        seconds.get(i), lastMetrics.get(i), config));
            }
            List<Step> steps = new ArrayList<>();
            for (int i = 1; i < sizes.size(); i++) {
                steps.add(Step.between(sizes.get(i - 1), sizes.get(i)));
            }
            Result result = new Result(config, MachineCpu.current(), spark.sparkContext().master(), parallelism, sizes, steps);
            if (config.out() != null) {
                AtomicFile.write(config.out(), Json.write(result.toJson()), "--out");
            }
            return result;
        } finally {
            delete(fs, scratch);
        }
    }

    /** Partitions of a generated table: Spark's parallelism, more when that would exceed {@link #ROWS_PER_PARTITION}. */
    static int partitions(long rows, int parallelism) {
        return (int) Math.max(parallelism, (rows + ROWS_PER_PARTITION - 1) / ROWS_PER_PARTITION);
    }

    /**
     * Compares what the evaluation computed with the generator's truth: per (split, group), n and the
     * number correct from a separate aggregation of {@link SyntheticPredictions#expected} must give the same
     * n and accuracy exactly, and the accuracy must lie within {@link #MAX_Z} standard errors of the
     * group's designed accuracy.
     */
    private static Size check(SparkSession spark, long n, int partitions, long bytes, double writeSeconds,
                              List<Double> seconds, List<SplitMetrics> metrics, EvalScaleBenchConfig config) {
        Map<String, long[]> truth = new HashMap<>();
        for (Row r : SyntheticPredictions.expected(spark, n, config.groups(), partitions, config.seed())
                .groupBy(ExamplesSchema.SPLIT, ExamplesSchema.GROUP)
                .agg(count(lit(1)), sum(col(SyntheticPredictions.EXPECTED_CORRECT)))
                .collectAsList()) {
            truth.put(r.getString(0) + "/" + r.getInt(1), new long[] {r.getLong(2), r.getLong(3)});
        }
        List<String> mismatches = new ArrayList<>();
        double maxAbsZ = 0;
        int cells = 0;
        long total = 0;
        for (SplitMetrics m : metrics) {
            for (GroupAccuracy g : m.groups()) {
                String key = m.split() + "/" + g.group();
                long[] t = truth.get(key);
                cells++;
                total += g.n();
                if (t == null || t[0] != g.n() || g.accuracy() != (double) t[1] / t[0]) {
                    mismatches.add(String.format(Locale.ROOT, "%s: evaluated n %d accuracy %s, generator %s", key,
                            g.n(), g.accuracy(), t == null ? "no rows" : t[0] + " rows, " + t[1] + " correct"));
                    continue;
                }
                double p = SyntheticPredictions.accuracyOf(g.group(), config.groups());
                double se = Math.sqrt(p * (1 - p) / g.n());
                maxAbsZ = Math.max(maxAbsZ, Math.abs(g.accuracy() - p) / se);
            }
        }
        if (cells != truth.size() || total != n) {
            mismatches.add(String.format(Locale.ROOT, "evaluated %d cells over %d rows, generator %d cells over %d rows",
                    cells, total, truth.size(), n));
        }
        return new Size(n, partitions, bytes, writeSeconds, seconds, metrics, mismatches.isEmpty(), maxAbsZ,
                mismatches);
    }

    private static Path scratchDir(String scratch) {
        String name = "readout-eval-scale-" + UUID.randomUUID();
        if (scratch != null) {
            return new Path(scratch, name);
        }
        try {
            return new Path(Files.createTempDirectory(name).toUri());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FileSystem fileSystem(SparkSession spark, Path dir) {
        try {
            return dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new UncheckedIOException("--scratch " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long bytes(FileSystem fs, String dir) {
        try {
            return fs.getContentSummary(new Path(dir)).getLength();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(FileSystem fs, Path dir) {
        try {
            fs.delete(dir, true);
        } catch (IOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
    }
}
