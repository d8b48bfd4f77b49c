package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.featurize.Featurized;
import io.readout.jobs.featurize.TextInput;
import org.apache.spark.sql.SparkSession;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a featurized text dataset (written by {@code readout featurize}) feeds its texts to the networks, as the
 * report needs to know it: a data folder is one when its {@code dataset.json} has a {@code featurization} object
 * and its examples table keeps the {@value ExamplesSchema#TEXT} column next to {@code features}. Its
 * {@code features} says how: {@link TextInput#TFIDF} (TF-IDF over {@value #VOCABULARY}'s words: feature j is word j
 * of {@code text}, feature V + j word j of {@code text_pair}) or {@link TextInput#TOKENS} (token ids). Other folders
 * (images, plain tables) are not text, and the report treats them as before.
 *
 * @param vocabulary {@value #VOCABULARY}'s lines, empty when it cannot be read (then {@code note} says why)
 * @param note       why word importances cannot be shown, or null
 */
public record TextData(String data, TextInput kind, int numFeatures, List<String> vocabulary, String note) {
    public static final String VOCABULARY = Featurized.VOCABULARY;
    static final String FEATURIZATION = Featurized.FEATURIZATION;

    /**
     * The kind of a featurized text dataset from its dataset.json and its examples' columns; null for any other
     * dataset: no {@value #FEATURIZATION} object, no {@value ExamplesSchema#TEXT} column, or features that are
     * neither vectors nor token ids.
     */
    public static TextInput kind(JsonNode datasetJson, List<String> columns) {
        if (!datasetJson.path(FEATURIZATION).isObject() || !columns.contains(ExamplesSchema.TEXT)) {
            return null;
        }
        return TextInput.ofFeatures(datasetJson.path("features").asText(""));
    }

    /**
     * The text input of a data folder, or null when it is no featurized text dataset or cannot be read (the
     * Grad-CAM section then says why, as for any other folder).
     */
    public static TextData read(SparkSession spark, String data) {
        HadoopInputs in = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        try {
            ExamplesTable table = ExamplesTable.open(in, data, "data");
            JsonNode json = DatasetGroups.datasetJson(in, data);
            if (!json.path(FEATURIZATION).isObject()) {
                return null;
            }
            List<String> columns = List.of(spark.read().parquet(HadoopInputs.child(data, ExamplesTable.EXAMPLES_DIR))
                    .schema().fieldNames());
            TextInput kind = kind(json, columns);
            if (kind == null) {
                return null;
            }
            if (kind == TextInput.TOKENS) {
                return new TextData(data, kind, table.numFeatures(), List.of(), "the network reads token ids, "
                        + "not a vector of word weights: no word importances are computed for it");
            }
            String vocabulary = HadoopInputs.child(data, VOCABULARY);
            if (!in.exists(vocabulary)) {
                return new TextData(data, kind, table.numFeatures(), List.of(), "no word importances: " + data
                        + " has no " + VOCABULARY);
            }
            List<String> words = new String(in.readAll(vocabulary, "data"), StandardCharsets.UTF_8).lines().toList();
            return new TextData(data, kind, table.numFeatures(), words,
                    WordImportance.mismatch(table.numFeatures(), words.size()));
        } catch (BadInputException e) {
            return null;
        }
    }

    /** Whether word importances can be computed: TF-IDF vectors over a vocabulary that fits them. */
    public boolean importances() {
        return kind == TextInput.TFIDF && note == null;
    }
}
