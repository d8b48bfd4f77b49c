package io.readout.datasets;

import io.readout.common.BadInputException;
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
    private static final long SLICE_BYTES = 512 * 1024;

    /** Builds the examples; pure and deterministic for the same inputs and seed. */
    public abstract List<Example> build();

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        List<Example> examples = build();
        if (examples.isEmpty()) {
            throw new BadInputException(name() + ": no examples were built");
        }
        List<Row> rows = new ArrayList<>(examples.size());
        long bytes = 0;
        for (Example e : examples) {
            rows.add(e.toRow());
            bytes += 64 + (e.isImage() ? e.image().length : 4L * e.vector().length);
        }
        boolean image = examples.get(0).isImage();
        // Slices of about half a megabyte keep every task well under Spark's recommended task size.
        int slices = (int) Math.max(spark.sparkContext().defaultParallelism(),
                Math.min(4096, bytes / SLICE_BYTES + 1));
        JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, slices);
        return spark.createDataFrame(rdd, image ? ExamplesSchema.IMAGE : ExamplesSchema.VECTOR);
    }
}
