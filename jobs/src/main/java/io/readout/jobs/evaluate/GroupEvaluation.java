package io.readout.jobs.evaluate;

import io.readout.common.metrics.GroupCount;
import io.readout.common.metrics.GroupMetrics;
import io.readout.common.metrics.SplitMetrics;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.jobs.passes.Predictions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Evaluation in Spark SQL: predictions grouped by (split, group) into n, correct and
 * accuracy on the executors; only that small aggregate reaches the driver, where
 * {@link GroupMetrics} turns it into worst-group, group-mean, average and bias-conflicting
 * accuracy. Input: a table with the columns of {@link Predictions#SCHEMA} (at least split, label,
 * group, attribute, pred). An example whose group is null counts in the group of its label (the
 * datasets without a spurious attribute define groups as labels). Bias-conflicting: the attribute is
 * known and differs from the label.
 */
public final class GroupEvaluation {
    public static final String N = "n";
    public static final String CORRECT = "correct";
    public static final String ACCURACY = "accuracy";
    private static final String CONFLICTING_N = "bias_conflicting_n";
    private static final String CONFLICTING_CORRECT = "bias_conflicting_correct";

    private GroupEvaluation() {
    }

    /** The metrics of every split present in {@code predictions}, in the order train, val, test. */
    public static List<SplitMetrics> evaluate(Dataset<Row> predictions) {
        List<Row> aggregate = counts(predictions).collectAsList();
        Map<String, List<GroupCount>> bySplit = new LinkedHashMap<>();
        for (Row r : aggregate) {
            bySplit.computeIfAbsent(r.getString(0), s -> new ArrayList<>()).add(new GroupCount(r.getInt(1),
                    r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)));
        }
        List<SplitMetrics> out = new ArrayList<>();
        bySplit.forEach((split, groups) -> out.add(GroupMetrics.of(split, groups)));
        out.sort(Comparator.comparingInt(m -> splitOrder(m.split())));
        return out;
    }

    /** The metrics of one split, or null when {@code predictions} holds none of it. */
    public static SplitMetrics evaluate(Dataset<Row> predictions, Split split) {
        for (SplitMetrics m : evaluate(predictions.where(col(ExamplesSchema.SPLIT).equalTo(split.column())))) {
            return m;
        }
        return null;
    }

    /**
     * The per-group table {@code (split, group, n, correct, accuracy)}, sorted by split and group, as
     * written to {@code metrics/<split>_groups.parquet}.
     */
    public static Dataset<Row> groupTable(Dataset<Row> predictions) {
        return counts(predictions)
                .withColumn(ACCURACY, col(CORRECT).cast("double").divide(col(N)))
                .select(ExamplesSchema.SPLIT, ExamplesSchema.GROUP, N, CORRECT, ACCURACY);
    }

    /** Per (split, group): n, correct, and the same two over the bias-conflicting examples. */
    private static Dataset<Row> counts(Dataset<Row> predictions) {
        Column label = col(ExamplesSchema.LABEL);
        Column correct = col(Predictions.PRED).equalTo(label);
        Column conflicting = col(ExamplesSchema.ATTRIBUTE).isNotNull().and(col(ExamplesSchema.ATTRIBUTE).notEqual(label));
        return predictions
                .withColumn(ExamplesSchema.GROUP, coalesce(col(ExamplesSchema.GROUP), label))
                .groupBy(ExamplesSchema.SPLIT, ExamplesSchema.GROUP)
                .agg(count(lit(1)).as(N),
                        sum(when(correct, 1L).otherwise(0L)).as(CORRECT),
                        sum(when(conflicting, 1L).otherwise(0L)).as(CONFLICTING_N),
                        sum(when(conflicting.and(correct), 1L).otherwise(0L)).as(CONFLICTING_CORRECT))
                .orderBy(ExamplesSchema.SPLIT, ExamplesSchema.GROUP);
    }

    private static int splitOrder(String split) {
        for (Split s : Split.values()) {
            if (s.column().equals(split)) {
                return s.ordinal();
            }
        }
        return Split.values().length;
    }
}
