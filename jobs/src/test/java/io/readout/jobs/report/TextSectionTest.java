package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import io.readout.jobs.featurize.TextInput;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The text section without Spark: a sentence-pair dataset with TF-IDF input (words of both texts marked and
 * listed), a token-id dataset (predictions only, and the page says why), and the order of the rows.
 */
class TextSectionTest {
    private static final DatasetGroups GROUPS = DatasetGroups.of("/text", json("""
            {"source": {"label_names": ["negative", "positive"], "attribute_names": ["film", "movie"]},
             "counts": {"train": {"total": 100, "groups": {"0": 45, "1": 5, "2": 5, "3": 45}}}}"""),
            List.of(new DatasetGroups.Key(0, 0, 0), new DatasetGroups.Key(1, 0, 1), new DatasetGroups.Key(2, 1, 0),
                    new DatasetGroups.Key(3, 1, 1)));
    private static final ReportModel.Run ERM = run("student erm", "erm");
    private static final ReportModel.Run JTT = run("student jtt", "jtt");

    private static JsonNode json(String text) {
        return Json.mapper().valueToTree(Json.readObject(text, "test"));
    }

    private static ReportModel.Run run(String label, String method) {
        return new ReportModel.Run(label, method, "student", "/root/" + method, method, "/text", null, null, null,
                null, List.of(), null, null);
    }

    /** input(n) → softmax output(2), logits x·W (no bias). */
    private static ComputationGraph linear(float[][] w) {
        return ClassLogitGradientTest.linear(w, new float[] {0f, 0f});
    }

    @Test
    void pairsShowPremiseAndHypothesisWithEachModelsWordsMarked() {
        TextData input = new TextData("/text", TextInput.TFIDF, 6, List.of("good", "bad", "movie"), null);
        // features 0..2 the premise's words, 3..5 the hypothesis's; only "bad" in the hypothesis matters much
        ComputationGraph net = linear(new float[][] {{1, 0}, {0, 1}, {0, 0}, {0, 0}, {0, 4}, {0.5f, 0}});
        INDArray x = Nd4j.create(new float[][] {{1, 0, 0.2f, 0, 1, 0}});
        TextPanel.RunReadings erm = TextPanel.readings(ERM, net, x, input);
        assertArrayEquals(new int[] {1}, erm.predicted());
        // logits 1 against 4: p(1) = e^4 / (e^1 + e^4)
        assertEquals(Math.exp(4) / (Math.exp(1) + Math.exp(4)), erm.probability()[0], 1e-6);
        assertEquals(List.of(new WordImportance.Word("bad", true, 4.0)), erm.words().get(0));

        TextPanel panel = new TextPanel("/text", input, GROUPS, List.of(new TextPanel.Example("t-1", 1, 0,
                "A good movie.", "It was <bad>\n\"really\"")), List.of(erm), List.of());
        String html = TextSection.render(List.of(panel), r -> "", null);
        assertTrue(html.contains("<h2 id=\"texts\">"), html);
        assertTrue(html.contains("<span class=\"caption\">premise</span> A good movie.<br><span class=\"caption\">"
                + "hypothesis</span> It was &lt;bad&gt; &quot;really&quot;"), "the texts as they are: " + html);
        assertTrue(html.contains("It was &lt;<span class=\"w\" style=\"background:rgba(21,101,192,0.75)\" "
                .replace("21,101,192", "230,81,0") + "title=\"+4.00\">bad</span>&gt;"), "bad marked in the hypothesis: " + html);
        assertTrue(html.contains("premise</span> A good movie.<br>"), "nothing of the premise marked");
        assertTrue(html.contains("<span class=\"wrong\">positive ✗</span> <span class=\"caption\">p = 0.953</span>"),
                html);
        assertTrue(html.contains(">bad</span><sub>h</sub> +4.00"), "listed as a hypothesis word: " + html);
        assertTrue(html.contains("negative · movie <span class=\"caption\">n=5</span> <span class=\"tag\">"
                + "bias-conflicting</span>"), html);
    }

    @Test
    void tokenIdsGetPredictionsAndANoteInsteadOfWords() {
        TextData input = new TextData("/tokens", TextInput.TOKENS, 3, List.of(), "the network reads token ids");
        ComputationGraph net = linear(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        INDArray ids = Nd4j.create(new float[][] {{5, 2, 0}, {1, 7, 0}});
        TextPanel.RunReadings erm = TextPanel.readings(ERM, net, ids, input);
        TextPanel.RunReadings jtt = TextPanel.readings(JTT, net, ids, input);
        assertNull(erm.words());
        assertArrayEquals(new int[] {0, 1}, erm.predicted());
        TextPanel panel = new TextPanel("/tokens", input, GROUPS, List.of(new TextPanel.Example("a", 0, 0, "fine film",
                null), new TextPanel.Example("b", 3, 1, "nice movie", null)), List.of(erm, jtt), List.of());
        String html = TextSection.render(List.of(panel), r -> "", 3L);
        assertTrue(html.contains("token ids</p>"), html);
        assertTrue(html.contains("<p class=\"note\">the network reads token ids</p>"), html);
        assertFalse(html.contains("<div class=\"marked\">"), "no words marked");
        assertEquals(4, html.split(" ✓</span>", -1).length - 1, "two predictions per run, both right");
        assertTrue(html.contains("<th class=\"left\">student erm</th><th class=\"left\">student jtt</th>"), html);
        assertTrue(html.contains("The models of seed 3"), html);
        assertEquals("", TextSection.render(List.of(), r -> "", null));
    }

    @Test
    void biasConflictingGroupsComeFirst() {
        StructType schema = new StructType().add(ShownExamples.GROUP_OF, DataTypes.IntegerType)
                .add("id", DataTypes.StringType);
        List<Row> rows = List.of(row(schema, 0, "a"), row(schema, 1, "b"), row(schema, 1, "c"), row(schema, 2, "d"),
                row(schema, 3, "e"));
        assertEquals(List.of("b", "c", "d", "a", "e"),
                TextPanel.conflictingFirst(rows, GROUPS).stream().map(r -> r.getString(1)).toList());
        assertEquals(List.of("a", "b", "c", "d", "e"),
                TextPanel.conflictingFirst(rows, null).stream().map(r -> r.getString(1)).toList());
    }

    private static Row row(StructType schema, int group, String id) {
        return new GenericRowWithSchema(new Object[] {group, id}, schema);
    }
}
