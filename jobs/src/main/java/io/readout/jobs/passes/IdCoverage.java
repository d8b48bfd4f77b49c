package io.readout.jobs.passes;

import io.readout.datasets.ExamplesSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * How a per-example table (teacher probabilities, early-readout weights) covers the training examples, in
 * one Spark aggregation over the training ids left-joined with the table's ids.
 *
 * @param rows          joined rows: one per training example, more where the table repeats an id
 * @param examples      distinct training examples
 * @param missing       training examples the table has no row for
 * @param firstMissing  the smallest such id, or null
 */
public record IdCoverage(long rows, long examples, long missing, String firstMissing) {
    private static final String TABLE_ID = "_table_id";

    /** The coverage of {@code table}'s {@code id} column over {@code train}'s. */
    public static IdCoverage of(Dataset<Row> train, Dataset<Row> table) {
        Dataset<Row> ids = table.select(col(ExamplesSchema.ID).as(TABLE_ID));
        Row r = train.select(ExamplesSchema.ID)
                .join(ids, col(ExamplesSchema.ID).equalTo(col(TABLE_ID)), "left")
                .agg(count(lit(1)), countDistinct(col(ExamplesSchema.ID)),
                        sum(when(col(TABLE_ID).isNull(), 1L).otherwise(0L)),
                        min(when(col(TABLE_ID).isNull(), col(ExamplesSchema.ID))))
                .first();
        return new IdCoverage(r.getLong(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2),
                r.isNullAt(3) ? null : r.getString(3));
    }

    /** Rows beyond one per example: ids the table repeats. */
    public long duplicates() {
        return rows - examples;
    }
}
