package io.readout.datasets;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
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
 *
 * <p>{@code dataset.json}'s {@code features} says what a row's {@code features} hold: {@code image} (bytes of
 * {@code image_shape}), {@code vector} (the default: {@code num_features} floats), {@code tokens}
 * ({@code num_features} token ids as floats, each an integer in [0, {@code vocab_size}), 0 padding; written by
 * {@code readout featurize --input tokens}) or {@code text} (raw strings, no tensor until featurized).
 */
public final class ExamplesTable implements Serializable {
    public static final String EXAMPLES_DIR = "examples";
    public static final String DATASET_JSON = "dataset.json";
    public static final String SUCCESS = "_SUCCESS";
    /** {@code dataset.json}'s {@code features} value for token-id datasets. */
    public static final String TOKENS = "tokens";

    private final String dir;
    private final int numClasses;
    private final boolean image;
    private final boolean text;
    private final ImageShape shape;
    private final int numFeatures;
    private final int vocabSize;
    private final String name;

    private ExamplesTable(String dir, String name, int numClasses, boolean image, boolean text, ImageShape shape,
                          int numFeatures, int vocabSize) {
        this.dir = dir;
        this.name = name;
        this.numClasses = numClasses;
        this.image = image;
        this.text = text;
        this.shape = shape;
        this.numFeatures = numFeatures;
        this.vocabSize = vocabSize;
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
            boolean tokens = TOKENS.equals(json.get("features"));
            ImageShape shape = null;
            int numFeatures = 0;
            int vocabSize = 0;
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
            if (tokens) {
                vocabSize = vocabSize(json.get("vocab_size"), jsonPath);
                if (numFeatures <= 0) {
                    throw new BadInputException(jsonPath + ": a \"features\": \"tokens\" dataset needs a positive"
                            + " \"num_features\" (ids per example), got " + numFeatures);
                }
            }
            return new ExamplesTable(dir, name, numClasses, image, text, shape, numFeatures, vocabSize);
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadInputException(jsonPath + ": malformed dataset.json (" + e.getMessage() + ")", e);
        }
    }

    /** A tokens dataset's {@code vocab_size}: an integer from 1 to 2^24 (ids travel as exact floats). */
    private static int vocabSize(Object value, String jsonPath) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.doubleValue() < 1
                || n.doubleValue() > NetworkConfig.MAX_VOCAB_SIZE) {
            throw new BadInputException(jsonPath + ": a \"features\": \"tokens\" dataset needs \"vocab_size\", an integer"
                    + " from 1 to " + NetworkConfig.MAX_VOCAB_SIZE + " (got " + value + ")");
        }
        return n.intValue();
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
                    + ExamplesSchema.TEXT + "); networks read images, feature vectors or token ids: run readout"
                    + " featurize --data " + dir + " --out DIR and train on DIR");
        }
    }

    /** Whether the features are token ids (each example {@link #numFeatures()} of them, below {@link #vocabSize()}). */
    public boolean isTokens() {
        return vocabSize > 0;
    }

    /** The number of distinct token ids (ids lie in [0, vocabSize), 0 is padding); 0 unless {@link #isTokens()}. */
    public int vocabSize() {
        return vocabSize;
    }

    /** The image shape, or null for a vector, tokens or text dataset. */
    public ImageShape shape() {
        return shape;
    }

    /** The vector length, or the number of token ids per example; 0 for images and text. */
    public int numFeatures() {
        return numFeatures;
    }

    /**
     * The network for this table's input: a CNN for images, an MLP for vectors, the tokens network (an embedding
     * bag first) for token ids ({@link io.readout.common.nets.Networks}).
     */
    public NetworkConfig network(Architecture arch, String updater, double lr, double weightDecay, long seed) {
        if (image) {
            return NetworkConfig.image(arch, shape.channels(), shape.height(), shape.width(), numClasses, updater, lr,
                    weightDecay, seed);
        }
        if (isTokens()) {
            return NetworkConfig.tokens(arch, numFeatures, vocabSize, numClasses, updater, lr, weightDecay, seed);
        }
        return NetworkConfig.vector(arch, numFeatures, numClasses, updater, lr, weightDecay, seed);
    }

    /** The length of one example's flattened input (for tokens, the number of ids L). */
    public int inputSize() {
        return image ? shape.pixels() : numFeatures;
    }
}
