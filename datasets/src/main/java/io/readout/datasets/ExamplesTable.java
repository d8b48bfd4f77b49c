package io.readout.datasets;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * A prepared dataset folder as later stages read it: {@code examples/} (the table),
 * {@code dataset.json} and {@code _SUCCESS}. A folder without {@code _SUCCESS} is not a dataset.
 */
public final class ExamplesTable implements Serializable {
    public static final String EXAMPLES_DIR = "examples";
    public static final String DATASET_JSON = "dataset.json";
    public static final String SUCCESS = "_SUCCESS";

    private final String dir;
    private final int numClasses;
    private final boolean image;
    private final boolean text;
    private final ImageShape shape;
    private final int numFeatures;
    private final String name;

    private ExamplesTable(String dir, String name, int numClasses, boolean image, boolean text, ImageShape shape,
                          int numFeatures) {
        this.dir = dir;
        this.name = name;
        this.numClasses = numClasses;
        this.image = image;
        this.text = text;
        this.shape = shape;
        this.numFeatures = numFeatures;
    }

    /**
     * Opens a prepared folder; {@code flag} names it in errors (e.g. {@code --data}).
     */
    @SuppressWarnings("unchecked")
    public static ExamplesTable open(HadoopInputs inputs, String dir, String flag) {
        inputs.requireDirectory(dir, flag);
        if (!inputs.exists(HadoopInputs.child(dir, SUCCESS))) {
            throw new BadInputException(flag + " " + dir + ": not a complete prepared dataset (no _SUCCESS); run readout prepare");
        }
        if (!inputs.exists(HadoopInputs.child(dir, EXAMPLES_DIR))) {
            throw new BadInputException(flag + " " + dir + ": no " + EXAMPLES_DIR
                    + "/ table (prepared by an older readout?); run readout prepare again");
        }
        String jsonPath = HadoopInputs.child(dir, DATASET_JSON);
        Map<String, Object> json = Json.readObject(new String(inputs.readAll(jsonPath, flag), StandardCharsets.UTF_8),
                jsonPath);
        try {
            String name = (String) json.get("name");
            int numClasses = ((Number) json.get("num_classes")).intValue();
            boolean image = "image".equals(json.get("features"));
            boolean text = "text".equals(json.get("features"));
            ImageShape shape = null;
            int numFeatures = 0;
            if (image) {
                Object s = json.get("image_shape");
                List<Number> hwc = s instanceof Map<?, ?> m
                        ? List.of((Number) m.get("height"), (Number) m.get("width"), (Number) m.get("channels"))
                        : (List<Number>) s;
                shape = new ImageShape(hwc.get(0).intValue(), hwc.get(1).intValue(), hwc.get(2).intValue());
            } else if (!text) {
                // A text table has no tensor shape until a featurization step gives it one.
                numFeatures = ((Number) json.get("num_features")).intValue();
            }
            return new ExamplesTable(dir, name, numClasses, image, text, shape, numFeatures);
        } catch (RuntimeException e) {
            throw new BadInputException(jsonPath + ": malformed dataset.json (" + e.getMessage() + ")", e);
        }
    }

    /** All examples, checked against the contract. */
    public Dataset<Row> read(SparkSession spark) {
        String path = HadoopInputs.child(dir, EXAMPLES_DIR);
        Dataset<Row> t = spark.read().parquet(path);
        ExamplesSchema.requireConforms(t.schema(), path);
        return t;
    }

    /** The examples of one split. */
    public Dataset<Row> split(SparkSession spark, Split split) {
        return read(spark).where(col(ExamplesSchema.SPLIT).equalTo(split.column()));
    }

    public String dir() {
        return dir;
    }

    public String name() {
        return name;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean isImage() {
        return image;
    }

    /** Whether the table holds raw text ({@code text}, {@code text_pair}) rather than images or vectors. */
    public boolean isText() {
        return text;
    }

    /**
     * Refuses a text table where a network needs tensors: text must be featurized first.
     *
     * @param flag how the user named the folder, e.g. {@code --data}
     */
    public void requireTensors(String flag) {
        if (text) {
            throw new BadInputException(flag + " " + dir + ": '" + name + "' is a text table (raw strings in "
                    + ExamplesSchema.TEXT + "); networks read images or feature vectors, so featurize it first");
        }
    }

    /** The image shape, or null for a vector or text dataset. */
    public ImageShape shape() {
        return shape;
    }

    public int numFeatures() {
        return numFeatures;
    }

    /** The length of one example's flattened input. */
    public int inputSize() {
        return image ? shape.pixels() : numFeatures;
    }
}
