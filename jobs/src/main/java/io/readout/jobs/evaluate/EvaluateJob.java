package io.readout.jobs.evaluate;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.SplitMetrics;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.passes.PassInputs;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * {@code readout evaluate}: a run's model judged on the val and/or test split by worst-group
 * accuracy. Stages: open the run, its model and the data and check they fit → predictions
 * ({@link Predictions}, kept in memory for the stages below) → per-group counts and metrics in
 * Spark SQL ({@link GroupEvaluation}) → for each split, {@code metrics/<split>_groups.parquet}
 * (committed by rename) and then {@code metrics/<split>.json} (written atomically), so a JSON file
 * always has its table beside it. Earlier metrics of the same split are replaced.
 */
public final class EvaluateJob {
    private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);

    /** The metrics per split, and the files written. */
    public record Result(List<SplitMetrics> metrics, List<String> written) {
        /** What {@code readout evaluate} prints: the table of {@link EvaluateJob#format}, then the files written. */
        public String format() {
            StringBuilder b = new StringBuilder(EvaluateJob.format(metrics));
            written.forEach(path -> b.append("wrote ").append(path).append(System.lineSeparator()));
            return b.toString();
        }
    }

    private EvaluateJob() {
    }

    /** {@code metrics/<split>.json} for the final model. */
    public static String metricsJson(Split split) {
        return metricsJson(split, "final");
    }

    /** {@code metrics/<split>.json} for the final model, {@code metrics/best/<split>.json} for best.zip. */
    public static String metricsJson(Split split, String model) {
        return metricsDir(model) + "/" + split.column() + ".json";
    }

    /** {@code metrics/<split>_groups.parquet} for the final model. */
    public static String groupsParquet(Split split) {
        return groupsParquet(split, "final");
    }

    /** {@code metrics/<split>_groups.parquet}, or under {@code metrics/best/} for best.zip. */
    public static String groupsParquet(Split split, String model) {
        return metricsDir(model) + "/" + split.column() + "_groups.parquet";
    }

    /** The selected model's figures never overwrite the final model's, which the contract names. */
    private static String metricsDir(String model) {
        return "best".equals(model) ? RunDir.METRICS + "/best" : RunDir.METRICS;
    }

    public static Result run(SparkSession spark, EvaluateConfig config) {
        config.validate();
        LOG.info("evaluate: {}", JsonFiles.compact(config));
        PassInputs.Opened in = PassInputs.open(spark, config.run(), config.model(), config.data(), config.splits());
        Dataset<Row> predictions = Predictions.predict(spark, in.model(), in.table(), in.examples(), config.batch())
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<SplitMetrics> metrics = GroupEvaluation.evaluate(predictions);
            for (Split s : config.splits()) {
                if (metrics.stream().noneMatch(m -> m.split().equals(s.column()))) {
                    throw new BadInputException("--data " + config.data() + ": split '" + s.column()
                            + "' has no examples");
                }
            }
            List<String> written = new ArrayList<>();
            for (SplitMetrics m : metrics) {
                Split s = Split.parse(m.split(), "predictions");
                written.add(writeGroups(spark, in.run(), s, config.model(),
                        predictions.where(col(ExamplesSchema.SPLIT).equalTo(s.column()))));
                in.run().writeText(metricsJson(s, config.model()), Json.write(m.toJson()));
                written.add(HadoopInputs.display(new Path(in.run().path(metricsJson(s, config.model())))));
                LOG.info("evaluate: {} accuracy {} worst-group {} (group {})", s.column(), m.accuracy(),
                        m.worstGroupAccuracy(), m.worstGroup());
            }
            return new Result(metrics, written);
        } finally {
            predictions.unpersist();
        }
    }

    private static String writeGroups(SparkSession spark, RunDir run, Split split, String model,
                                      Dataset<Row> predictions) {
        try (AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(),
                run.path(groupsParquet(split, model)), true, "--run")) {
            GroupEvaluation.groupTable(predictions).coalesce(1)
                    .write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(output.tmp());
            output.commit();
            return HadoopInputs.display(new Path(output.out()));
        }
    }

    /** The printed table: per split, each group's n and accuracy, then the split's summary figures. */
    public static String format(List<SplitMetrics> metrics) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-6s %-20s %8s %9s%n", "split", "group", "n",
                "accuracy"));
        for (SplitMetrics m : metrics) {
            for (GroupAccuracy g : m.groups()) {
                b.append(line(m.split(), String.valueOf(g.group()), String.valueOf(g.n()), g.accuracy()));
            }
            b.append(line(m.split(), "average", String.valueOf(m.n()), m.accuracy()));
            b.append(line(m.split(), "worst-group (" + m.worstGroup() + ")", "", m.worstGroupAccuracy()));
            b.append(line(m.split(), "group-mean", "", m.groupMeanAccuracy()));
            b.append(line(m.split(), "bias-conflicting", "",
                    m.biasConflictingAccuracy() == null ? Double.NaN : m.biasConflictingAccuracy()));
        }
        return b.toString();
    }

    private static String line(String split, String what, String n, double accuracy) {
        return String.format(Locale.ROOT, "%-6s %-20s %8s %9s%n", split, what, n,
                Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.4f", accuracy));
    }
}
