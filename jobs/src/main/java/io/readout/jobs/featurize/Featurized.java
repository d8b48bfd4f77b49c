package io.readout.jobs.featurize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.JsonFiles;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.nio.charset.StandardCharsets;

import static org.apache.spark.sql.functions.col;

/**
 * A featurized text dataset's featurizer, reopened to turn new text the same way ({@code predict}, {@code evaluate}
 * on a text table): the Spark ML model in {@code featurizer/} and the layout dataset.json records.
 */
public final class Featurized {
    public static final String FEATURIZER_DIR = "featurizer";
    public static final String VOCABULARY = "vocabulary.txt";
    /** The object of dataset.json that says how the features were made; only featurized datasets have it. */
    public static final String FEATURIZATION = "featurization";

    /**
     * How features are laid out: the input kind, whether examples are sentence pairs, the vocabulary's size and
     * the token ids per text.
     */
    public record Layout(TextInput input, boolean pair, int vocabulary, int maxLength) {
        /** The values per example: V (2V for pairs) TF-IDF weights, or L (2L) token ids. */
        public int numFeatures() {
            int perText = input == TextInput.TFIDF ? vocabulary : maxLength;
            return pair ? 2 * perText : perText;
        }

        /** The distinct token ids (tokens only): padding, unknown and the vocabulary, per text of a pair. */
        public int vocabSize() {
            int perText = TokenIds.RESERVED + vocabulary;
            return pair ? 2 * perText : perText;
        }

        /** One line for dataset.json. */
        public String describe() {
            if (input == TextInput.TFIDF) {
                return pair ? "features [0, V): text's L2-normalized TF-IDF over vocabulary.txt; [V, 2V): text_pair's"
                        : "features [0, V): the text's L2-normalized TF-IDF over vocabulary.txt";
            }
            return "ids 0 padding, 1 unknown, 2 + j vocabulary.txt line j; " + maxLength + " per text"
                    + (pair ? ", text_pair's ids offset by V + 2" : "");
        }
    }

    private final String dir;
    private final Layout layout;
    private final PipelineModel model;

    private Featurized(String dir, Layout layout, PipelineModel model) {
        this.dir = dir;
        this.layout = layout;
        this.model = model;
    }

    /** Whether a prepared folder was written by {@code featurize} (its dataset.json has a featurization). */
    public static boolean isFeaturized(HadoopInputs inputs, String dir) {
        String path = HadoopInputs.child(dir, ExamplesTable.DATASET_JSON);
        if (!inputs.exists(path)) {
            return false;
        }
        return datasetJson(inputs, dir, "data").has(FEATURIZATION);
    }

    /**
     * Opens a featurized dataset's featurizer.
     *
     * @param flag how the user named the folder, e.g. {@code --featurizer}
     */
    public static Featurized open(HadoopInputs inputs, String dir, String flag) {
        inputs.requireDirectory(dir, flag);
        String path = HadoopInputs.child(dir, ExamplesTable.DATASET_JSON);
        JsonNode f = datasetJson(inputs, dir, flag).get(FEATURIZATION);
        if (f == null || !f.isObject()) {
            throw new BadInputException(flag + " " + dir + ": not a featurized text dataset (dataset.json has no"
                    + " featurization); run readout featurize");
        }
        Layout layout;
        try {
            layout = new Layout(TextInput.parse(f.get("input").asText()), f.get("pairs").asBoolean(),
                    f.get("vocabulary").asInt(), f.get("max_length").asInt());
        } catch (RuntimeException e) {
            throw new BadInputException(path + ": malformed featurization (" + e.getMessage() + ")", e);
        }
        String modelDir = HadoopInputs.child(dir, FEATURIZER_DIR);
        if (!inputs.exists(modelDir)) {
            throw new BadInputException(flag + " " + dir + ": no " + FEATURIZER_DIR + "/ (the fitted featurizer)");
        }
        return new Featurized(dir, layout, PipelineModel.load(modelDir));
    }

    /** A prepared folder's dataset.json; {@code flag} names the folder in errors. */
    static ObjectNode datasetJson(HadoopInputs inputs, String dir, String flag) {
        String path = HadoopInputs.child(dir, ExamplesTable.DATASET_JSON);
        return JsonFiles.readObject(new String(inputs.readAll(path, flag), StandardCharsets.UTF_8), path);
    }

    public String dir() {
        return dir;
    }

    public Layout layout() {
        return layout;
    }

    /**
     * Rows of a text table featurized as this dataset's were: the same tokenizer, vocabulary and IDF weights.
     *
     * @param dataName how the user named the text table, for the error when pairs meet single texts
     */
    public Dataset<Row> apply(Dataset<Row> textRows, String dataName) {
        boolean pairs = !textRows.where(col(ExamplesSchema.TEXT_PAIR).isNotNull()).isEmpty();
        if (pairs && !layout.pair()) {
            throw new BadInputException(dataName + " holds sentence pairs (text_pair), but the featurizer of " + dir
                    + " was fitted on single texts");
        }
        return TextFeaturizer.features(model, textRows, layout.input(), layout.pair(), layout.maxLength());
    }
}
