package io.readout.datasets;

import io.readout.datasets.io.HadoopInputs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prepared dataset folders written by tests, for what reads only their {@code dataset.json}
 * ({@link ExamplesTable#open}): the {@code examples/} table is left empty. Shared with the jobs module's tests
 * through this module's test-jar.
 */
public final class DatasetFolders {
    private DatasetFolders() {
    }

    /** A complete dataset folder at {@code root} with this dataset.json, opened as {@code --data}. */
    public static ExamplesTable open(Path root, String datasetJson) throws IOException {
        Files.createDirectories(root.resolve(ExamplesTable.EXAMPLES_DIR));
        Files.writeString(root.resolve(ExamplesTable.DATASET_JSON), datasetJson);
        Files.writeString(root.resolve(ExamplesTable.SUCCESS), "");
        return ExamplesTable.open(HadoopInputs.local(), root.toString(), "--data");
    }

    /** A two-class tokens dataset.json: {@code length} ids per example, {@code vocab} (JSON text, or null: absent). */
    public static String tokensJson(int length, String vocab) {
        return "{\"name\": \"comments\", \"num_classes\": 2, \"features\": \"tokens\", \"num_features\": " + length
                + (vocab == null ? "" : ", \"vocab_size\": " + vocab)
                + ", \"featurization\": {\"input\": \"tokens\"}}";
    }

    /** A two-class vector dataset.json of {@code numFeatures} features. */
    public static String vectorJson(int numFeatures) {
        return "{\"name\": \"vectors\", \"num_classes\": 2, \"features\": \"vector\", \"num_features\": " + numFeatures
                + "}";
    }
}
