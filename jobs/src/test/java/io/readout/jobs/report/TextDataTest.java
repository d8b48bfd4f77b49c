package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import io.readout.jobs.featurize.TextInput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which datasets the report shows as text: featurized ones that kept their texts. */
class TextDataTest {
    private static final List<String> FEATURIZED = List.of("id", "split", "label", "attribute", "group", "features",
            "text", "text_pair");
    private static final List<String> PLAIN = List.of("id", "split", "label", "attribute", "group", "features");

    private static JsonNode json(String text) {
        return Json.mapper().valueToTree(Json.readObject(text, "dataset.json"));
    }

    @Test
    void aFeaturizedTableWithItsTextsIsText() {
        assertEquals(TextInput.TFIDF, TextData.kind(json("""
                {"features": "vector", "num_features": 8, "featurization": {"input": "tfidf"}}"""), FEATURIZED));
        assertEquals(TextInput.TOKENS, TextData.kind(json("""
                {"features": "tokens", "num_features": 16, "vocab_size": 12, "featurization": {"input": "tokens"}}"""),
                FEATURIZED));
    }

    @Test
    void imagesPlainTablesAndTextlessTablesAreNot() {
        assertNull(TextData.kind(json("{\"features\": \"vector\", \"num_features\": 8}"), PLAIN), "a plain table");
        assertNull(TextData.kind(json("{\"features\": \"vector\", \"num_features\": 8}"), FEATURIZED),
                "texts but no featurization");
        assertNull(TextData.kind(json("{\"features\": \"vector\", \"featurization\": {}}"), PLAIN), "no text column");
        assertNull(TextData.kind(json("{\"features\": \"image\", \"featurization\": {}}"), FEATURIZED), "images");
        assertNull(TextData.kind(json("{\"features\": \"vector\", \"featurization\": \"tfidf\"}"), FEATURIZED),
                "featurization not an object");
    }
}
