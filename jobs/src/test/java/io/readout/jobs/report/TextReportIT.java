package io.readout.jobs.report;

import io.readout.common.Json;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout report} on featurized text datasets written by hand as {@code readout featurize} writes them
 * (examples with features, text and text_pair; dataset.json with a featurization; vocabulary.txt): reviews whose
 * label (negative, positive) goes with "film" or "movie" in most training texts. ERM and SIFER students trained
 * for a few epochs on the TF-IDF vectors: the page shows the test texts, escaped, the bias-conflicting groups
 * first, each model's prediction and its top words marked, and no Grad-CAM section. A token-id dataset gets
 * predictions and a note instead of words; a plain feature-vector table keeps its Grad-CAM note and gets no text.
 */
class TextReportIT extends SharedSparkSession {
    private static final List<String> VOCABULARY = List.of("good", "great", "bad", "awful", "movie", "film", "plot",
            "the");
    /** Test texts by group (2 × label + attribute), two each, awkward on purpose. */
    private static final List<String> TEST_TEXTS = List.of(
            "The film was bad.\nReally bad", "the film, awful",
            "<script>alert('movie')</script> bad movie", "Un movie «bad» — très awful",
            "great \"film\" & plot", "good film",
            "the movie was great", "good movie");
    private static final Pattern ROW_ID = Pattern.compile("<br>(test-\\d\\d)</span></td>");

    @TempDir
    static Path tmp;
    static Path root;

    /** A review of the group's sentiment and topic, varied by i. */
    private static String review(int label, int attribute, int i) {
        String sentiment = label == 1 ? (i % 2 == 0 ? "good" : "great") : (i % 2 == 0 ? "bad" : "awful");
        return "the " + (attribute == 1 ? "movie" : "film") + " was " + sentiment + (i % 3 == 0 ? ", nice plot" : "");
    }

    /** Term counts of the vocabulary's words in a text (lower-cased runs of letters). */
    private static float[] termCounts(String text) {
        float[] f = new float[VOCABULARY.size()];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
            int j = VOCABULARY.indexOf(w);
            if (j >= 0) {
                f[j] += 1;
            }
        }
        return f;
    }

    /**
     * A featurized folder: per group (2 × label + attribute; 1 and 2 the minorities) {@code train[g]} training and
     * two val examples of {@link #review}, two test examples of {@link #TEST_TEXTS}; TF-IDF as term counts.
     */
    private static Path featurized(String name, String features, boolean featurization) throws IOException {
        Path dir = tmp.resolve(name);
        int[] train = {16, 4, 4, 16};
        List<Row> rows = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            int label = g / 2;
            int attribute = g % 2;
            for (int i = 0; i < train[g] + 2; i++) {
                String split = i < train[g] ? "train" : "val";
                String text = review(label, attribute, i);
                rows.add(RowFactory.create(String.format(Locale.ROOT, "%s-%d-%02d", split, g, i), split, label,
                        attribute, g, termCounts(text), text, null));
            }
            for (int i = 0; i < 2; i++) {
                String text = TEST_TEXTS.get(2 * g + i);
                rows.add(RowFactory.create(String.format(Locale.ROOT, "test-%02d", 2 * g + i), "test", label, attribute,
                        g, termCounts(text), text, null));
            }
        }
        StructType schema = ExamplesSchema.VECTOR.add(ExamplesSchema.TEXT, DataTypes.StringType, false)
                .add(ExamplesSchema.TEXT_PAIR, DataTypes.StringType, true);
        spark.createDataFrame(rows, schema).coalesce(1).write().partitionBy(ExamplesSchema.SPLIT)
                .parquet(dir.resolve(ExamplesTable.EXAMPLES_DIR).toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("num_classes", 2);
        json.put("features", features);
        json.put("num_features", VOCABULARY.size());
        if (features.equals("tokens")) {
            json.put("vocab_size", VOCABULARY.size() + 2);
        }
        json.put("source", Map.of("label_names", List.of("negative", "positive"),
                "attribute_names", List.of("film", "movie")));
        json.put("counts", Map.of("train", Map.of("total", 40, "groups", Map.of("0", 16, "1", 4, "2", 4, "3", 16))));
        if (featurization) {
            json.put("featurization", Map.of("input", features.equals("tokens") ? "tokens" : "tfidf",
                    "vocabulary_size", VOCABULARY.size()));
        }
        Files.writeString(dir.resolve(ExamplesTable.DATASET_JSON), Json.write(json));
        Files.writeString(dir.resolve(TextData.VOCABULARY), String.join("\n", VOCABULARY) + "\n");
        Files.writeString(dir.resolve(ExamplesTable.SUCCESS), "");
        return dir;
    }

    private static void train(String method, Path data, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--method", method, "--arch", "student", "--data",
                data.toString(), "--out", out.toString(), "--epochs", "2", "--batch", "16", "--lr", "0.05",
                "--workers", "1", "--eval-batch", "64", "--seed", "5"));
        args.addAll(List.of(more));
        ReportIT.ok(args.toArray(new String[0]));
    }

    @BeforeAll
    static void pipelineRoot() throws IOException {
        root = tmp.resolve("root");
        Path data = featurized("reviews", "vector", true);
        train("erm", data, root.resolve("students/erm"));
        train("sifer", data, root.resolve("students/sifer"), "--forget-every", "2");
    }

    private static String report(Path root) throws IOException {
        CliRun run = CliRun.of("report", "--run", root.toString());
        assertEquals(0, run.code(), run.err());
        return Files.readString(root.resolve("report/report.html"));
    }

    @Test
    void theTestTextsWithEachModelsPredictionAndWords() throws Exception {
        String html = report(root);
        assertTrue(html.contains("<h2 id=\"texts\">Test examples as text</h2>"), "the text section");
        assertFalse(html.contains("id=\"gradcam\""), "no Grad-CAM section");
        assertFalse(html.contains("<script"), "the script of a text is escaped");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;"), html);
        assertTrue(html.contains("<td>The film was bad. Really bad</td>"), "a new line flattened");
        assertTrue(html.contains("<td>Un movie «bad» — très awful</td>"), "non-ASCII kept");
        assertTrue(html.contains("<td>great &quot;film&quot; &amp; plot</td>"), "quotes escaped");
        assertTrue(html.contains("— très <span class=\"w\""), "a word marked after non-ASCII text");
        // the runs as columns, ERM first; a row per test example, the bias-conflicting groups (1, 2) first
        List<String> columns = new ArrayList<>();
        Matcher th = Pattern.compile("<th class=\"left\">(?:<span[^>]*></span>)?([^<]*)</th>")
                .matcher(html.substring(html.indexOf("<table class=\"texts\">")));
        while (th.find() && columns.size() < 4) {
            columns.add(th.group(1));
        }
        assertEquals(List.of("example", "text", "student erm", "student sifer"), columns);
        List<String> ids = new ArrayList<>();
        Matcher id = ROW_ID.matcher(html);
        while (id.find()) {
            ids.add(id.group(1));
        }
        assertEquals(List.of("test-02", "test-03", "test-04", "test-05", "test-00", "test-01", "test-06", "test-07"), ids);
        assertEquals(TEST_TEXTS.size(), ReportIT.count(html, "\"caption\">true: "), "a row per test example");
        // a prediction, a probability and marked words per example and run
        int readings = TEST_TEXTS.size() * 2;
        assertEquals(readings, ReportIT.count(html, " ✓</span> <span class=\"caption\">p = ")
                + ReportIT.count(html, " ✗</span> <span class=\"caption\">p = "));
        assertEquals(readings, ReportIT.count(html, "<div class=\"marked\">"));
        assertEquals(readings, ReportIT.count(html, "<div class=\"caption\">top words: <span class=\"w\""),
                "every text has a vocabulary word, so every run has top words");
        assertTrue(ReportIT.count(html, "<span class=\"w\"") > 2 * readings, "words marked in the texts and listed");
        assertTrue(html.contains(">bad</span>") && html.contains(">good</span>"), "the sentiment words marked");
    }

    @Test
    void tokenIdsGetANoteAndPlainTablesKeepTheirGradCamNote() throws Exception {
        Path other = tmp.resolve("other");
        copyRun(root.resolve("students/erm"), other.resolve("students/tokens"), featurized("ids", "tokens", true));
        copyRun(root.resolve("students/erm"), other.resolve("students/table"), featurized("table", "vector", false));
        String html = report(other);
        assertTrue(html.contains("<h2 id=\"texts\">"), html);
        assertTrue(html.contains("token ids</p>"), html);
        assertTrue(html.contains("no word importances are computed for it"), html);
        assertFalse(html.contains("<div class=\"marked\">"), "no words marked");
        assertEquals(1, ReportIT.count(html, "<table class=\"texts\">"), "text for the token dataset only");
        assertTrue(html.contains("<h2 id=\"gradcam\">"), "the plain table's Grad-CAM note, as before");
        assertTrue(html.contains("holds feature vectors, not images"), html);
        assertFalse(html.contains("<table class=\"gradcam\">"));
    }

    /** A copy of a run's folder whose config.json names another data folder. */
    @SuppressWarnings("unchecked")
    private static void copyRun(Path from, Path to, Path data) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (f.getFileName().toString().endsWith(".crc")) {
                    continue;
                }
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        Path config = to.resolve("config.json");
        Map<String, Object> json = Json.readObject(Files.readString(config), config.toString());
        json.put("data", data.toString());
        Files.writeString(config, Json.write(json));
    }
}
