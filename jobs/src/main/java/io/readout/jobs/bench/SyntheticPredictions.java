package io.readout.jobs.bench;

import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.jobs.passes.Predictions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * Prediction rows made up on the executors, for timing the evaluation at sizes no model pass reaches
 * here: {@code spark.range(n)} turned into the columns of {@link Predictions#SCHEMA} that evaluation
 * reads ({@code id, split, label, group, attribute, pred, confidence}; no {@code probs}), every value a
 * function of the seed and the row number through Spark's {@code xxhash64}, so nothing is held on the
 * driver and the same seed gives the same rows whatever the partitioning.
 *
 * <p>Row {@code i}: group {@code g} uniform over {@code groups}; {@code label = g / 2},
 * {@code attribute = g % 2} (dominoes' {@code g = 2y + a} for 4 groups); split train, val or test with
 * probability 0.6, 0.2, 0.2; the prediction is the label with probability {@link #accuracyOf(int, int)}
 * and the next class otherwise; confidence uniform in [0.5, 1). {@link #expected} gives the same rows'
 * truth (whether each prediction is correct) without the {@code pred} column, for a second, independent
 * count.
 */
public final class SyntheticPredictions {
    /** Uniforms are drawn with this many bits of a hash. */
    private static final long UNIFORM_BITS = 1L << 30;
    private static final int GROUP_DRAW = 1;
    private static final int SPLIT_DRAW = 2;
    private static final int CORRECT_DRAW = 3;
    private static final int CONFIDENCE_DRAW = 4;
    private static final String ROW = "row";
    /** Column of {@link #expected}: 1 when the generator made the prediction correct. */
    public static final String EXPECTED_CORRECT = "expected_correct";

    private SyntheticPredictions() {
    }

    /**
     * The probability that the generator's prediction is correct in group {@code g} of {@code groups}:
     * from 0.9 for group 0 down to 0.5 for the last group, evenly spaced.
     */
    public static double accuracyOf(int g, int groups) {
        // (9 (G-1) - 4 g) / (10 (G-1)): whole numbers divided once, so group G-1 gets exactly 0.5
        return groups == 1 ? 0.9 : (9.0 * (groups - 1) - 4.0 * g) / (10.0 * (groups - 1));
    }

    /** Classes the labels take: {@code ceil(groups / 2)}, at least 2 so a wrong prediction exists. */
    public static int numClasses(int groups) {
        return Math.max(2, (groups + 1) / 2);
    }

    /** {@code n} prediction rows in {@code partitions} partitions (lazily). */
    public static Dataset<Row> generate(SparkSession spark, long n, int groups, int partitions, long seed) {
        Column label = col(ExamplesSchema.GROUP).divide(2).cast("int");
        Column wrong = pmod(label.plus(1), lit(numClasses(groups)));
        return base(spark, n, groups, partitions, seed)
                .withColumn(ExamplesSchema.LABEL, label)
                .withColumn(ExamplesSchema.ATTRIBUTE, pmod(col(ExamplesSchema.GROUP), lit(2)))
                .withColumn(Predictions.PRED, when(correctDraw(groups, seed), label).otherwise(wrong))
                .withColumn(Predictions.CONFIDENCE, lit(0.5).plus(uniform(seed, CONFIDENCE_DRAW).multiply(0.5))
                        .cast("float"))
                .select(ExamplesSchema.ID, ExamplesSchema.SPLIT, ExamplesSchema.LABEL, ExamplesSchema.GROUP,
                        ExamplesSchema.ATTRIBUTE, Predictions.PRED, Predictions.CONFIDENCE);
    }

    /**
     * The truth of the same rows: {@code split, group} and {@value #EXPECTED_CORRECT} (0 or 1), computed
     * from the seed directly (no label, no prediction, nothing read back).
     */
    public static Dataset<Row> expected(SparkSession spark, long n, int groups, int partitions, long seed) {
        return base(spark, n, groups, partitions, seed)
                .withColumn(EXPECTED_CORRECT, when(correctDraw(groups, seed), 1L).otherwise(0L))
                .select(ExamplesSchema.SPLIT, ExamplesSchema.GROUP, EXPECTED_CORRECT);
    }

    /** id, split and group of every row, and its number ({@code row}) that every draw hashes. */
    private static Dataset<Row> base(SparkSession spark, long n, int groups, int partitions, long seed) {
        Column splitDraw = uniform(seed, SPLIT_DRAW);
        return spark.range(0, n, 1, partitions).withColumnRenamed("id", ROW)
                .withColumn(ExamplesSchema.ID, concat(lit("e"), col(ROW).cast("string")))
                .withColumn(ExamplesSchema.GROUP, pmod(xxhash64(lit(seed), col(ROW), lit(GROUP_DRAW)), lit(groups))
                        .cast("int"))
                .withColumn(ExamplesSchema.SPLIT, when(splitDraw.lt(0.6), Split.TRAIN.column())
                        .when(splitDraw.lt(0.8), Split.VAL.column()).otherwise(Split.TEST.column()));
    }

    /** True where the row's uniform draw falls under its group's accuracy (as {@link #accuracyOf}). */
    private static Column correctDraw(int groups, long seed) {
        Column threshold = groups == 1 ? lit(accuracyOf(0, 1))
                : lit(9.0 * (groups - 1)).minus(col(ExamplesSchema.GROUP).multiply(4.0)).divide(10.0 * (groups - 1));
        return uniform(seed, CORRECT_DRAW).lt(threshold);
    }

    /** A uniform in [0, 1) from the seed, the row number and which draw it is. */
    private static Column uniform(long seed, int draw) {
        return pmod(xxhash64(lit(seed), col(ROW), lit(draw)), lit(UNIFORM_BITS)).cast("double").divide(UNIFORM_BITS);
    }
}
