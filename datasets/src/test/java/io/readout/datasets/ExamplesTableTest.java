package io.readout.datasets;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static io.readout.datasets.DatasetFolders.open;
import static io.readout.datasets.DatasetFolders.tokensJson;
import static io.readout.datasets.DatasetFolders.vectorJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link ExamplesTable#open} makes of a folder's dataset.json: the input kinds and the errors. */
class ExamplesTableTest {
    @Test
    void aTokensDatasetHasALengthAndAVocabulary(@TempDir Path dir) throws IOException {
        ExamplesTable t = open(dir, tokensJson(128, "20004"));
        assertTrue(t.isTokens());
        assertFalse(t.isImage());
        assertFalse(t.isText());
        assertEquals(128, t.numFeatures());
        assertEquals(128, t.inputSize());
        assertEquals(20_004, t.vocabSize());
        assertEquals(2, t.numClasses());
        assertNull(t.shape());
        t.requireTensors("--data");
    }

    @Test
    void vectorsHaveNoVocabulary(@TempDir Path dir) throws IOException {
        ExamplesTable t = open(dir, vectorJson(40));
        assertFalse(t.isTokens());
        assertEquals(0, t.vocabSize());
        assertEquals(40, t.inputSize());
        assertEquals(2, t.numClasses());
        ExamplesTable old = open(dir.resolve("old"), "{\"name\": \"v\", \"num_classes\": 3, \"num_features\": 7}");
        assertFalse(old.isTokens() || old.isImage() || old.isText());
        assertEquals(7, old.inputSize());
    }

    @Test
    void aTokensDatasetWithoutAValidVocabularySizeIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        String[] values = {null, "0", "-3", "2.5", "\"many\"", "16777217"};
        for (int i = 0; i < values.length; i++) {
            String bad = values[i];
            Path root = dir.resolve("d" + i);
            BadInputException e = assertThrows(BadInputException.class, () -> open(root, tokensJson(16, bad)));
            assertEquals(root.resolve(ExamplesTable.DATASET_JSON) + ": a \"features\": \"tokens\" dataset needs"
                    + " \"vocab_size\", an integer from 1 to 16777216 (got " + (bad == null ? null : bad.replace("\"", ""))
                    + ")", e.getMessage(), bad);
        }
        BadInputException noLength = assertThrows(BadInputException.class,
                () -> open(dir.resolve("len"), tokensJson(0, "100")));
        assertTrue(noLength.getMessage().startsWith(dir.resolve("len").resolve(ExamplesTable.DATASET_JSON)
                + ": a \"features\": \"tokens\" dataset needs a positive \"num_features\""), noLength.getMessage());
    }
}
