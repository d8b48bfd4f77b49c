package io.readout.jobs.passes;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.distill.EarlyReadout;
import io.readout.common.distill.ReadoutWeights;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * DEDIER's weights pass (Tiwari et al., WACV 2024): the student's early readout run forward over the
 * training split, on the executors ({@link Predictions} on the {@link Networks#READOUT} output), each
 * example weighed by {@link ReadoutWeights} — exp(β·margin^α) where the readout is wrong, else 1 —
 * and the weights normalised by their mean over the whole split, computed with Spark. Output, written
 * atomically into one folder: {@code weights/} (Parquet, {@link #SCHEMA}, one row per training
 * example) and {@code summary.json} ({@link WeightsSummary}: counts, the weight histogram and, per group,
 * the flagged fraction, the mean weight and the mean readout confidence on errors, the paper's
 * diagnostic). Used by {@code readout weights} and by DEDIER training before every refresh.
 */
public final class ReadoutWeightsPass {
    private static final Logger LOG = LoggerFactory.getLogger(ReadoutWeightsPass.class);
    public static final String WEIGHTS_DIR = "weights";
    public static final String SUMMARY = "summary.json";
    public static final String AUX_PRED = "aux_pred";
    public static final String AUX_MARGIN = "aux_margin";
    public static final String AUX_CONFIDENCE = "aux_confidence";
    public static final String WRONG = "wrong";
    public static final String RAW_WEIGHT = "raw_weight";
    public static final String WEIGHT = "weight";
    public static final String EPOCH = "epoch";

    /** A row before normalisation: the readout's verdict on one example. */
    private static final StructType VERDICTS = new StructType(new StructField[] {
        DataTypes.createStructField(ExamplesSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(ExamplesSchema.LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(ExamplesSchema.GROUP, DataTypes.IntegerType, true),
        DataTypes.createStructField(AUX_PRED, DataTypes.IntegerType, false),
        DataTypes.createStructField(AUX_MARGIN, DataTypes.FloatType, false),
        DataTypes.createStructField(AUX_CONFIDENCE, DataTypes.FloatType, false),
        DataTypes.createStructField(WRONG, DataTypes.BooleanType, false),
        DataTypes.createStructField(RAW_WEIGHT, DataTypes.FloatType, false),
    });

    /** The {@code weights/} table: the verdict, the normalised weight and the epoch it weighs. */
    public static final StructType SCHEMA = VERDICTS
            .add(DataTypes.createStructField(WEIGHT, DataTypes.FloatType, false))
            .add(DataTypes.createStructField(EPOCH, DataTypes.IntegerType, false));

    /**
     * {@code summary.json}: the weights' parameters (the epoch they weigh, α, β, the normalisation), the
     * figures of {@link WeightsSummary}, and the seconds the pass took until the table was written.
     */
    @JsonPropertyOrder({EPOCH, "alpha", "beta", "normalise", "figures", "seconds"})
    public record Summary(int epoch, double alpha, double beta, String normalise,
                          @JsonUnwrapped WeightsSummary.Summary figures, double seconds) {
    }

    /** The committed folder, its summary and how long the pass took. */
    public record Result(String out, Summary summary, double seconds) {
        /** What {@code readout weights} prints: the summary per group, then where it was written. */
        public String format() {
            return ReadoutWeightsPass.format(summary)
                    + String.format(Locale.ROOT, "wrote %s in %.1f s%n", out, seconds);
        }
    }

    /** Per group: n, flagged fraction, mean weight, mean readout confidence on errors; then the totals. */
    private static String format(Summary summary) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %8s %9s %12s %17s%n", "group", "n",
                "flagged", "mean weight", "error confidence"));
        for (WeightsSummary.GroupSummary g : summary.figures().groups()) {
            b.append(line(String.valueOf(g.group()), g.n(), g.flaggedFraction(), g.meanWeight(),
                    g.meanErrorConfidence()));
        }
        WeightsSummary.Summary all = summary.figures();
        b.append(line("all", all.examples(), all.flaggedFraction(), all.meanWeight(), all.meanErrorConfidence()));
        return b.toString();
    }

    private static String line(String group, long n, Double flagged, Double weight, Double confidence) {
        return String.format(Locale.ROOT, "%-8s %8s %9s %12s %17s%n", group, n, figure(flagged), figure(weight),
                figure(confidence));
    }

    private static String figure(Double v) {
        return v != null ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    private ReadoutWeightsPass() {
    }

    /**
     * Runs the pass and commits {@code out}.
     *
     * @param student a network with an early readout ({@link Networks#READOUT})
     * @param train   the training split's rows of {@code table}
     * @param epoch   the training epoch the weights are for (computed from the student after epoch - 1)
     * @param flag    how the user named {@code out}, for errors
     */
    public static Result write(SparkSession spark, ComputationGraph student, ExamplesTable table, Dataset<Row> train,
                               ReadoutWeights weights, int epoch, int batch, String out, boolean overwrite,
                               String flag) {
        long t0 = System.nanoTime();
        try (AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), out, overwrite, flag)) {
            Dataset<Row> verdicts = Predictions.predict(spark, student, table, train, batch, Networks.READOUT)
                    .map(new Verdict(weights), Encoders.row(VERDICTS))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                // One job: the forward pass, and every figure of the summary per group, in raw weights.
                List<WeightsSummary.Group> groups = groupFigures(verdicts);
                long tForward = System.nanoTime();
                if (groups.isEmpty()) {
                    throw new BadInputException("--data " + table.dir() + ": the train split is empty");
                }
                // Normalisation divides every raw weight by the same mean: one factor for the whole split.
                double scale = weights.normalise(1, WeightsSummary.meanRaw(groups));
                String dir = HadoopInputs.child(output.tmp(), WEIGHTS_DIR);
                verdicts.withColumn(WEIGHT, col(RAW_WEIGHT).multiply(scale).cast(DataTypes.FloatType))
                        .withColumn(EPOCH, lit(epoch))
                        .write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(dir);
                long tWrite = System.nanoTime();
                WeightsSummary.Summary figures = WeightsSummary.of(groups, scale);
                LOG.info("weights pass: forward and figures {} s, write {} s", (tForward - t0) / 1e9,
                        (tWrite - tForward) / 1e9);
                Summary summary = new Summary(epoch, weights.alpha(), weights.beta(),
                        weights.normalisation().toString(), figures, (System.nanoTime() - t0) / 1e9);
                output.writeText(SUMMARY, Json.write(summary));
                output.commit();
                return new Result(HadoopInputs.display(new Path(output.out())), summary, (System.nanoTime() - t0) / 1e9);
            } finally {
                verdicts.unpersist();
            }
        }
    }

    /**
     * Per group (sorted): n, flagged, sum of raw weights, sum of confidence on errors, raw weights of 1
     * counted, the others listed. One Spark job without a shuffle: each partition's tally is its task's
     * result, merged on the driver.
     */
    private static List<WeightsSummary.Group> groupFigures(Dataset<Row> verdicts) {
        int label = VERDICTS.fieldIndex(ExamplesSchema.LABEL);
        int group = VERDICTS.fieldIndex(ExamplesSchema.GROUP);
        int wrong = VERDICTS.fieldIndex(WRONG);
        int raw = VERDICTS.fieldIndex(RAW_WEIGHT);
        int confidence = VERDICTS.fieldIndex(AUX_CONFIDENCE);
        List<WeightsSummary.Tally> tallies = verdicts.javaRDD().mapPartitions(rows -> {
            WeightsSummary.Tally t = new WeightsSummary.Tally();
            while (rows.hasNext()) {
                Row r = rows.next();
                // An example without a group counts in the group of its label.
                t.add(r.isNullAt(group) ? r.getInt(label) : r.getInt(group), r.getBoolean(wrong), r.getFloat(raw),
                        r.getFloat(confidence));
            }
            return List.of(t).iterator();
        }).collect();
        WeightsSummary.Tally all = new WeightsSummary.Tally();
        tallies.forEach(all::merge);
        return all.groups();
    }

    /** The {@code weights/} table of a committed pass. */
    public static Dataset<Row> read(SparkSession spark, String dir) {
        return spark.read().parquet(HadoopInputs.child(dir, WEIGHTS_DIR));
    }

    /**
     * A row of the predictions pass → the readout's verdict. Columns by their position in
     * {@link Predictions#SCHEMA}: Spark hands the pass's rows over as they were made, without a schema.
     */
    private static final class Verdict implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private static final int ID = Predictions.SCHEMA.fieldIndex(ExamplesSchema.ID);
        private static final int LABEL = Predictions.SCHEMA.fieldIndex(ExamplesSchema.LABEL);
        private static final int GROUP = Predictions.SCHEMA.fieldIndex(ExamplesSchema.GROUP);
        private final ReadoutWeights weights;

        Verdict(ReadoutWeights weights) {
            this.weights = weights;
        }

        @Override
        public Row call(Row prediction) {
            float[] probs = Predictions.probs(prediction);
            int label = prediction.getInt(LABEL);
            EarlyReadout r = weights.readout(probs, label);
            return RowFactory.create(prediction.getString(ID), label, prediction.get(GROUP), r.prediction(),
                    (float) r.margin(), probs[r.prediction()], r.wrong(), (float) r.rawWeight());
        }
    }
}
