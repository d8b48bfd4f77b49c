package io.readout.datasets.io;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each row's 0-based position in read order, the basis of default ids and of the row or line
 * numbers in errors. Stable for the same input: Spark reads the same files in the same order.
 */
public final class RowNumbers {
    private RowNumbers() {
    }

    /** The table with one more column, {@code column} (long, not null), holding the row's position. */
    public static Dataset<Row> add(SparkSession spark, Dataset<Row> table, String column) {
        StructType schema = table.schema().add(column, DataTypes.LongType, false);
        JavaRDD<Row> rows = table.javaRDD().zipWithIndex().map(pair -> {
            Row r = pair._1();
            Object[] values = new Object[r.length() + 1];
            for (int i = 0; i < r.length(); i++) {
                values[i] = r.get(i);
            }
            values[r.length()] = pair._2();
            return RowFactory.create(values);
        });
        return spark.createDataFrame(rows, schema);
    }
}
