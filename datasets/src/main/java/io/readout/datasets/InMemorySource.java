package io.readout.datasets;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.List;

/**
 * A source whose examples a pure builder makes on the driver (IDX-based and generated datasets:
 * tens of thousands of small images at most). The rows are handed to Spark in slices, so the
 * plan does not carry them as one local relation.
 */
public abstract class InMemorySource implements DatasetSource {

    /** Builds the examples; pure and deterministic for the same inputs and seed. */
    public abstract List<Example> build();

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        List<Example> examples = build();
        if (examples.isEmpty()) {
            throw new io.readout.common.BadInputException(name() + ": no examples were built");
        }
        List<Row> rows = new ArrayList<>(examples.size());
        for (Example e : examples) {
            rows.add(e.toRow());
        }
        boolean image = examples.get(0).isImage();
        int slices = Math.max(1, Math.min(64, rows.size() / 2000 + 1));
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices);
        return spark.createDataFrame(rdd, image ? ExamplesSchema.IMAGE : ExamplesSchema.VECTOR);
    }
}
