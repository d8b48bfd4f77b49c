package io.readout.jobs.featurize;

import io.readout.common.Json;
import io.readout.common.RelativeTolerance;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.text.TextFixtures;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturizeIT extends SharedSparkSession {
    /** The training comments' tokens of TextFixtures.COMMENTS, min-df 1: by count, then alphabetically. */
    static final List<String> TRAIN_VOCABULARY = List.of("comment", "line", "quotes", "a", "and", "café", "comma",
            "doubled", "hello", "left", "lines", "multiple", "naïve", "one", "plain", "said", "same", "she", "still",
            "the", "then", "two", "with");

    private static String civilText(Path tmp) throws Exception {
        Path root = TextFixtures.civilComments(tmp.resolve("civilcomments_v1.0"), TextFixtures.COMMENTS);
        String out = tmp.resolve("cc-text").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "civilcomments", "--source", root.toString(), "--out", out);
        assertEquals(0, run.code(), run.err());
        return out;
    }

    private static float[] features(String dir, String id) {
        List<?> v = spark.read().parquet(dir + "/examples").where(col("id").equalTo(id)).first().getList(
                spark.read().parquet(dir + "/examples").schema().fieldIndex(ExamplesSchema.FEATURES));
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) v.get(i)).floatValue();
        }
        return out;
    }

    @Test
    void tfidfIsFittedOnTrainOnlyAndMatchesAHandComputation(@TempDir Path tmp) throws Exception {
        String text = civilText(tmp);
        String out = tmp.resolve("cc").toString();
        CliRun run = CliRun.of("featurize", "--data", text, "--input", "tfidf", "--min-df", "1", "--out", out,
                "--shards", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("featurized 18 examples: tfidf, vocabulary 23"), run.out());

        // The vocabulary holds the training texts' tokens and nothing of val or test.
        List<String> vocabulary = Files.readAllLines(tmp.resolve("cc/vocabulary.txt"), StandardCharsets.UTF_8);
        assertEquals(TRAIN_VOCABULARY, vocabulary);
        for (String evalOnly : List.of("val", "neutral", "identity", "toxic", "ωmega", "test", "jewish", "again")) {
            assertFalse(vocabulary.contains(evalOnly), evalOnly);
        }
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("cc/dataset.json")), "dataset.json");
        assertEquals("vector", json.get("features"));
        assertEquals(23, json.get("num_features"));
        assertEquals("civilcomments", json.get("name"));
        assertEquals("train", ((Map<?, ?>) json.get("featurization")).get("fitted_on"));

        // Comment 101 "Plain comment, with a comma": idf = ln(7 / (df + 1)) over the 6 training comments; L2-normalized.
        double common = Math.log(7.0 / 3);
        double rare = Math.log(7.0 / 2);
        double norm = Math.sqrt(common * common + 4 * rare * rare);
        float[] expected = new float[23];
        expected[vocabulary.indexOf("comment")] = (float) (common / norm);
        for (String t : List.of("plain", "with", "a", "comma")) {
            expected[vocabulary.indexOf(t)] = (float) (rare / norm);
        }
        assertArrayEquals(expected, features(out, "cc-101"), 1e-6f);
        // Unseen words only, or no text at all: the zero vector.
        assertArrayEquals(new float[23], features(out, "cc-206"));
        assertArrayEquals(new float[23], features(out, "cc-105"));
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        assertEquals(List.of("id", "label", "attribute", "group", "features", "text", "text_pair", "split"),
                List.of(t.columns()));
        assertEquals("Multiple\r\nlines\n\nand \"\"doubled\"\" quotes",
                t.where(col("id").equalTo("cc-106")).first().getAs("text"));

        // Training reads it like any vector table.
        CliRun train = CliRun.of("train", "--method", "erm", "--arch", "student", "--data", out, "--epochs", "1",
                "--workers", "1", "--out", tmp.resolve("run").toString());
        assertEquals(0, train.code(), train.err());

        // Predict on the text table itself: featurized with the run's data's featurizer, the same predictions.
        CliRun viaText = CliRun.of("predict", "--run", tmp.resolve("run").toString(), "--data", text, "--split", "all",
                "--out", tmp.resolve("pred-text").toString());
        assertEquals(0, viaText.code(), viaText.err());
        CliRun viaFeatures = CliRun.of("predict", "--run", tmp.resolve("run").toString(), "--data", out, "--split",
                "all", "--out", tmp.resolve("pred-features").toString());
        assertEquals(0, viaFeatures.code(), viaFeatures.err());
        assertEquals(spark.read().parquet(tmp.resolve("pred-features").toString()).orderBy("id").collectAsList(),
                spark.read().parquet(tmp.resolve("pred-text").toString()).orderBy("id").collectAsList());

        // New comments, prepared on their own: featurized with the training featurizer, so a new comment with the
        // text of training comment 101 is predicted as 101 was, and one of unseen words only as an empty one.
        List<TextFixtures.Comment> fresh = List.of(
                new TextFixtures.Comment(901, "Plain comment, with a comma", "train", "0.0"),
                new TextFixtures.Comment(902, "zebra xylophone quasar", "val", "0.9", "muslim", "1.0"),
                new TextFixtures.Comment(903, "", "val", "0.1"),
                new TextFixtures.Comment(904, "Zebra: \"naïve\", then quasar.", "test", "0.2"));
        Path freshRoot = TextFixtures.civilComments(tmp.resolve("fresh-source"), fresh);
        String freshText = tmp.resolve("fresh-text").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "civilcomments", "--source", freshRoot.toString(), "--out",
                freshText).code());
        CliRun viaNew = CliRun.of("predict", "--run", tmp.resolve("run").toString(), "--data", freshText, "--split",
                "all", "--out", tmp.resolve("pred-fresh").toString());
        assertEquals(0, viaNew.code(), viaNew.err());
        Map<String, Row> freshPredictions = new java.util.HashMap<>();
        spark.read().parquet(tmp.resolve("pred-fresh").toString()).collectAsList()
                .forEach(r -> freshPredictions.put(r.getAs("id"), r));
        Row trained101 = spark.read().parquet(tmp.resolve("pred-text").toString()).where(col("id").equalTo("cc-101"))
                .first();
        // The same input in another forward-pass batch: the GEMM's blocking may round differently. The student's
        // longest sum has 480 + 1 terms, so float32 rounding stays far below 1e-4 of probabilities in [0, 1].
        double rtol = 1e-4;
        RelativeTolerance.assertClose(probs(trained101), probs(freshPredictions.get("cc-901")), rtol, "cc-901");
        RelativeTolerance.assertClose(probs(freshPredictions.get("cc-903")), probs(freshPredictions.get("cc-902")),
                rtol, "cc-902");
        assertEquals(4, freshPredictions.size());

        // Unlabelled new texts from a file: a CSV with a header and quoted cells, or JSON lines.
        Path csv = tmp.resolve("new.csv");
        Files.writeString(csv, "key,comment\nn1,\"Plain comment, with a comma\"\nn2,\"zebra\nxylophone \"\"quasar\"\"\"\n");
        String scores = tmp.resolve("scores").toString();
        CliRun fromCsv = CliRun.of("predict", "--run", tmp.resolve("run").toString(), "--text", csv.toString(),
                "--id-col", "key", "--text-col", "comment", "--out", scores);
        assertEquals(0, fromCsv.code(), fromCsv.err());
        Map<String, Row> scored = new java.util.HashMap<>();
        spark.read().parquet(scores).collectAsList().forEach(r -> scored.put(r.getAs("id"), r));
        assertEquals(2, scored.size());
        assertEquals("new", scored.get("n1").getAs("split"));
        assertTrue(scored.get("n1").isNullAt(scored.get("n1").fieldIndex("label")));
        RelativeTolerance.assertClose(probs(trained101), probs(scored.get("n1")), rtol, "n1");
        RelativeTolerance.assertClose(probs(freshPredictions.get("cc-903")), probs(scored.get("n2")), rtol, "n2");
        Path jsonl = tmp.resolve("new.jsonl");
        Files.writeString(jsonl, "{\"id\": \"j1\", \"text\": \"Plain comment, with a comma\"}\n");
        CliRun fromJson = CliRun.of("predict", "--run", tmp.resolve("run").toString(), "--text", jsonl.toString(),
                "--out", tmp.resolve("scores-json").toString());
        assertEquals(0, fromJson.code(), fromJson.err());
        for (String[] bad : List.of(
                new String[] {"--text", csv.toString(), "--out", tmp.resolve("x1").toString()},
                new String[] {"--text", csv.toString(), "--id-col", "key", "--text-col", "comment", "--split", "test",
                        "--out", tmp.resolve("x2").toString()},
                new String[] {"--text", tmp.resolve("nowhere.csv").toString(), "--out", tmp.resolve("x3").toString()},
                new String[] {"--out", tmp.resolve("x4").toString()},
                new String[] {"--text", csv.toString(), "--data", out, "--split", "test", "--out",
                        tmp.resolve("x5").toString()})) {
            List<String> args = new ArrayList<>(List.of("predict", "--run", tmp.resolve("run").toString()));
            args.addAll(List.of(bad));
            CliRun r = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.errLines().length, r.err());
        }
        assertFalse(Files.exists(tmp.resolve("x1")) || Files.exists(tmp.resolve("x3")));

        // The same text table and options give the same bytes (Spark ML's metadata files hold a timestamp).
        String again = tmp.resolve("cc-again").toString();
        assertEquals(0, CliRun.of("featurize", "--data", text, "--input", "tfidf", "--min-df", "1", "--out", again,
                "--shards", "2").code());
        assertEquals(digests(Path.of(out)), digests(Path.of(again)));
    }

    @Test
    void tokensAreVocabularyIdsPaddedAndTruncated(@TempDir Path tmp) throws Exception {
        String text = civilText(tmp);
        String out = tmp.resolve("cc-tokens").toString();
        CliRun run = CliRun.of("featurize", "--data", text, "--input", "tokens", "--min-df", "1", "--max-length", "4",
                "--out", out);
        assertEquals(0, run.code(), run.err());
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("cc-tokens/dataset.json")), "json");
        assertEquals("tokens", json.get("features"));
        assertEquals(4, json.get("num_features"));
        assertEquals(2 + 23, json.get("vocab_size"));
        // "She said "hello", then left." keeps its first four tokens.
        assertArrayEquals(new float[] {id("she"), id("said"), id("hello"), id("then")}, features(out, "cc-102"));
        // "test c\n": two unknown tokens, then padding.
        assertArrayEquals(new float[] {TokenIds.UNKNOWN, TokenIds.UNKNOWN, 0, 0}, features(out, "cc-303"));
        assertArrayEquals(new float[4], features(out, "cc-105"));
    }

    private static float[] probs(Row prediction) {
        List<?> p = prediction.getList(prediction.fieldIndex("probs"));
        float[] out = new float[p.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) p.get(i)).floatValue();
        }
        return out;
    }

    private static float id(String token) {
        return id(TRAIN_VOCABULARY, token);
    }

    private static float id(List<String> vocabulary, String token) {
        int j = vocabulary.indexOf(token);
        return j < 0 ? TokenIds.UNKNOWN : TokenIds.RESERVED + j;
    }

    @Test
    void sentencePairsGetTwoSegments(@TempDir Path tmp) throws Exception {
        Path root = TextFixtures.multiNliWithGroupDroSplit(tmp.resolve("multinli_1.0"));
        String text = tmp.resolve("mnli-text").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "multinli", "--source", root.toString(), "--out", text).code());
        String tfidf = tmp.resolve("mnli").toString();
        CliRun run = CliRun.of("featurize", "--data", text, "--min-df", "1", "--out", tfidf);
        assertEquals(0, run.code(), run.err());
        List<String> vocabulary = Files.readAllLines(tmp.resolve("mnli/vocabulary.txt"), StandardCharsets.UTF_8);
        int v = vocabulary.size();
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("mnli/dataset.json")), "json");
        assertEquals(2 * v, json.get("num_features"));

        String tokens = tmp.resolve("mnli-tokens").toString();
        assertEquals(0, CliRun.of("featurize", "--data", text, "--input", "tokens", "--min-df", "1", "--max-length",
                "3", "--out", tokens).code());
        Map<String, Object> tj = Json.readObject(Files.readString(tmp.resolve("mnli-tokens/dataset.json")), "json");
        assertEquals(6, tj.get("num_features"));
        assertEquals(2 * (v + 2), tj.get("vocab_size"));
        // "Two dogs." / "There are no dogs.": the hypothesis' ids are offset by V + 2.
        int offset = v + TokenIds.RESERVED;
        float[] f = features(tokens, "mnli-3c");
        assertArrayEquals(new float[] {id(vocabulary, "two"), id(vocabulary, "dogs"), 0,
                offset + id(vocabulary, "there"), offset + id(vocabulary, "are"), offset + id(vocabulary, "no")}, f);
    }

    @Test
    void theTokenizerNormalizesApostrophesCaseAndPunctuation() {
        Dataset<Row> rows = spark.createDataFrame(List.of(
                RowFactory.create("a", "Don’t STOP… it's 42 o'clock, ok?!", null),
                RowFactory.create("b", "Ωmega\n\tnaïve 😀 x-ray", "No‘one")), new org.apache.spark.sql.types.StructType()
                .add("id", "string").add("text", "string").add("text_pair", "string"));
        List<Row> t = TextFeaturizer.tokenize(rows).orderBy("id").collectAsList();
        assertEquals(List.of("don't", "stop", "it's", "42", "o'clock", "ok"), t.get(0).getList(
                t.get(0).fieldIndex(TextFeaturizer.TOKENS_TEXT)));
        assertEquals(List.of(), t.get(0).getList(t.get(0).fieldIndex(TextFeaturizer.TOKENS_PAIR)));
        assertEquals(List.of("ωmega", "naïve", "x", "ray"), t.get(1).getList(t.get(1).fieldIndex(TextFeaturizer.TOKENS_TEXT)));
        assertEquals(List.of("no'one"), t.get(1).getList(t.get(1).fieldIndex(TextFeaturizer.TOKENS_PAIR)));
    }

    @Test
    void badInputIsOneLineAndWritesNothing(@TempDir Path tmp) throws Exception {
        String image = tmp.resolve("syn").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "40", "--n-val", "10", "--n-test",
                "10", "--out", image).code());
        CliRun notText = CliRun.of("featurize", "--data", image, "--out", tmp.resolve("a").toString());
        assertEquals(2, notText.code(), notText.err());
        assertEquals(1, notText.errLines().length, notText.err());
        assertTrue(notText.err().contains("is not a text table"), notText.err());
        assertFalse(Files.exists(tmp.resolve("a")));

        CliRun missing = CliRun.of("featurize", "--data", tmp.resolve("nowhere").toString(), "--out",
                tmp.resolve("b").toString());
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("nowhere"), missing.err());

        String text = civilText(tmp);
        for (String[] flags : List.of(new String[] {"--input", "bags"}, new String[] {"--vocab-size", "0"},
                new String[] {"--min-df", "0"}, new String[] {"--max-length", "0"},
                new String[] {"--min-df", "100"})) {
            List<String> args = new ArrayList<>(List.of("featurize", "--data", text, "--out", tmp.resolve("c").toString()));
            args.addAll(List.of(flags));
            CliRun bad = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, bad.code(), String.join(" ", flags) + ": " + bad.err());
            assertEquals(1, bad.errLines().length, bad.err());
            assertFalse(Files.exists(tmp.resolve("c")), String.join(" ", flags));
        }
    }

    static List<String> digests(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().startsWith("part-")
                            && !dir.relativize(p).toString().contains("metadata"))
                    .sorted().toList()) {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                out.add(dir.relativize(f).getParent() + " " + HexFormat.of().formatHex(d));
            }
        }
        return out;
    }
}
