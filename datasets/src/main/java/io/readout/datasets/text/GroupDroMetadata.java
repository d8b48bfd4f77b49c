package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.datasets.io.RowNumbers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * group DRO's MultiNLI split file, {@code metadata_random.csv}, as pandas wrote it: an unnamed
 * first column (the row's position in train + dev matched + dev mismatched), {@code gold_label}
 * (0/1/2, group DRO's numbering), {@code sentence2_has_negation} (0/1) and {@code split} (0/1/2 =
 * train/val/test); one row per labelled pair. Read with Spark's CSV reader and checked row by row.
 */
final class GroupDroMetadata {
    static final String INDEX = "__meta_index";
    static final String RECORD = "__meta_record";
    static final String LABEL = "__meta_label";
    static final String NEGATION = "__meta_negation";
    static final String SPLIT = "__meta_split";

    private static final String GOLD_LABEL = "gold_label";
    private static final String HAS_NEGATION = "sentence2_has_negation";
    private static final String SPLIT_COLUMN = "split";

    private GroupDroMetadata() {
    }

    /** The checked rows: {@link #INDEX}, {@link #RECORD}, {@link #LABEL}, {@link #NEGATION}, {@link #SPLIT}. */
    static Dataset<Row> read(SparkSession spark, String path, int numLabels) {
        Dataset<Row> csv = spark.read().option("header", "true").csv(path);
        TextRows.requireColumns(csv, List.of(GOLD_LABEL, HAS_NEGATION, SPLIT_COLUMN), path);
        String indexColumn = csv.columns()[0];
        Dataset<Row> numbered = RowNumbers.add(spark, csv, RECORD);
        Column index = integer(indexColumn);
        Column label = integer(GOLD_LABEL);
        Column negation = integer(HAS_NEGATION);
        Column splitCode = integer(SPLIT_COLUMN);
        Column split = lit(null).cast(DataTypes.StringType);
        for (Split s : Split.values()) {
            split = when(splitCode.equalTo(s.ordinal()), s.column()).otherwise(split);
        }
        Column problem = when(index.isNull().or(index.lt(0)), valueProblem(indexColumn, "a position (0, 1, 2, ...)"))
                .when(label.isNull().or(label.lt(0)).or(label.geq(numLabels)),
                        valueProblem(GOLD_LABEL, "0.." + (numLabels - 1)))
                .when(negation.isNull().or(negation.lt(0)).or(negation.gt(1)), valueProblem(HAS_NEGATION, "0 or 1"))
                .when(split.isNull(), valueProblem(SPLIT_COLUMN, "0, 1 or 2"));
        Dataset<Row> rows = numbered.select(
                col(RECORD).as(TextRows.ORDER),
                concat(lit(path + " record "), col(RECORD).plus(1).cast(DataTypes.StringType)).as(TextRows.WHERE),
                problem.as(TextRows.PROBLEM),
                split.as(ExamplesSchema.SPLIT),
                index.as(INDEX), col(RECORD), label.as(LABEL), negation.as(NEGATION));
        TextRows.requireGoodRows(rows, path);
        List<Row> repeated = rows.groupBy(INDEX).agg(functions.count(lit(1)).as("n"), functions.max(RECORD).as("at"))
                .where(col("n").gt(1)).orderBy("at").limit(1).collectAsList();
        if (!repeated.isEmpty()) {
            throw new BadInputException(path + " record " + (repeated.get(0).getLong(2) + 1) + ", column '"
                    + indexColumn + "': index " + repeated.get(0).getInt(0) + " appears more than once");
        }
        return rows.select(col(INDEX), col(RECORD), col(LABEL), col(NEGATION), col(ExamplesSchema.SPLIT).as(SPLIT));
    }

    /** A whole number written as 3 or 3.0; null for anything else. */
    private static Column integer(String name) {
        Column d = TextRows.tryDouble(name);
        return when(d.equalTo(functions.floor(d)).and(d.lt(Integer.MAX_VALUE)), d.cast(DataTypes.IntegerType));
    }

    private static Column valueProblem(String name, String expected) {
        return concat(lit("column '" + name + "': value '"), functions.coalesce(TextRows.column(name), lit("")),
                lit("' is out of range (expected " + expected + ")"));
    }
}
