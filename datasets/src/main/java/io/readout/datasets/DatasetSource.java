package io.readout.datasets;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * A dataset that {@code prepare} can turn into the examples table. Implementations read their
 * inputs through Hadoop file systems and fail with a one-line
 * {@link io.readout.common.BadInputException} naming the input on anything malformed.
 */
public interface DatasetSource {

    /** The name given to {@code --dataset}. */
    String name();

    /**
     * The examples, with the columns of {@link ExamplesSchema#IMAGE} or {@link ExamplesSchema#VECTOR}
     * (the {@code split} column included). Must be deterministic for the same inputs and seed.
     */
    Dataset<Row> examples(SparkSession spark);

    /**
     * What {@code dataset.json} records about the source: input paths, options, seed and, for image
     * datasets, the image shape under {@code "image_shape"}. Values must be JSON-friendly.
     */
    Map<String, Object> describe();
}
