package io.readout.jobs.prepare;

import io.readout.common.Json;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.TestData;
import io.readout.datasets.text.CivilCommentsSource;
import io.readout.datasets.text.MultiNliSource;
import io.readout.datasets.text.TextFixtures;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout prepare} end to end through the command line, on the real data and generated sets. */
class PrepareIT extends SharedSparkSession {

    static Map<String, Long> groupCounts(String dir) {
        Map<String, Long> m = new HashMap<>();
        for (Row r : spark.read().parquet(dir + "/examples").groupBy("split", "group").count().collectAsList()) {
            m.put(r.getString(0) + "/" + (r.isNullAt(1) ? "-" : r.getInt(1)), r.getLong(2));
        }
        return m;
    }

    /** Per split, the part files in order, as digests of their bytes. */
    static List<String> fileDigests(Path dir) throws Exception {
        List<String> out = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            try (Stream<Path> files = Files.list(dir.resolve("examples/split=" + split))) {
                for (Path f : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                    byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                    out.add(split + "/" + f.getFileName().toString().substring(0, 10) + " " + HexFormat.of().formatHex(d));
                }
            }
        }
        return out;
    }

    @Test
    void dominoesMatchesTheBenchmarkSpecAndIsReproducible(@TempDir Path tmp) throws Exception {
        String a = tmp.resolve("dom-a").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "dominoes", "--mnist", TestData.mnist(),
                "--fashion", TestData.fashion(), "--out", a);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("train       1      0          1      250"), run.out());
        assertEquals(Map.ofEntries(
                Map.entry("train/0", 4750L), Map.entry("train/1", 250L), Map.entry("train/2", 250L), Map.entry("train/3", 4750L),
                Map.entry("val/0", 500L), Map.entry("val/1", 500L), Map.entry("val/2", 500L), Map.entry("val/3", 500L),
                Map.entry("test/0", 500L), Map.entry("test/1", 500L), Map.entry("test/2", 500L), Map.entry("test/3", 500L)),
                groupCounts(a));

        Dataset<Row> table = spark.read().parquet(a + "/examples");
        ExamplesSchema.requireConforms(table.schema(), a);
        Row first = table.orderBy("id").first();
        assertEquals(56, (int) first.getAs("height"));
        assertEquals(28, (int) first.getAs("width"));
        assertEquals(1, (int) first.getAs("channels"));
        assertEquals(56 * 28, ((byte[]) first.getAs("features")).length);
        assertEquals(table.count(), table.select("id").distinct().count());
        // Sharded: --shards 4 files per split.
        try (Stream<Path> parts = Files.list(tmp.resolve("dom-a/examples/split=train"))) {
            assertEquals(4, parts.filter(p -> p.getFileName().toString().startsWith("part-")).count());
        }
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("dom-a/dataset.json")), "dataset.json");
        assertEquals("dominoes", json.get("name"));
        assertEquals(List.of(56, 28, 1), json.get("image_shape"));
        assertTrue(Files.exists(tmp.resolve("dom-a/_SUCCESS")));

        String b = tmp.resolve("dom-b").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "dominoes", "--mnist", TestData.mnist(),
                "--fashion", TestData.fashion(), "--out", b).code());
        assertEquals(fileDigests(tmp.resolve("dom-a")), fileDigests(tmp.resolve("dom-b")), "same seed, same bytes");
        assertEquals(Files.readString(tmp.resolve("dom-a/dataset.json")).replace("dom-a", "dom-b"),
                Files.readString(tmp.resolve("dom-b/dataset.json")));

        String c = tmp.resolve("dom-c").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "dominoes", "--mnist", TestData.mnist(),
                "--fashion", TestData.fashion(), "--out", c, "--seed", "1", "--rho", "0.99").code());
        assertEquals(50L, groupCounts(c).get("train/1"));
        assertNotEquals(spark.read().parquet(a + "/examples").where(col("split").equalTo("train")).orderBy("id").first().getString(0),
                spark.read().parquet(c + "/examples").where(col("split").equalTo("train")).orderBy("id").first().getString(0));
    }

    @Test
    void syntheticNeedsNoFiles(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("syn").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "synthetic", "--out", out, "--shards", "2");
        assertEquals(0, run.code(), run.err());
        Map<String, Long> counts = groupCounts(out);
        assertEquals(950L, counts.get("train/0"));
        assertEquals(50L, counts.get("train/2"));
        assertEquals(125L, counts.get("test/1"));
        String again = tmp.resolve("syn2").toString();
        assertEquals(0, CliRun.of("prepare", "--dataset", "synthetic", "--out", again, "--shards", "2").code());
        assertEquals(fileDigests(tmp.resolve("syn")), fileDigests(tmp.resolve("syn2")));
    }

    @Test
    void coloredIsThreeChannelsWithTheColourAsAttribute(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("col").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "colored", "--images", TestData.mnist(), "--classes", "0,1",
                "--rho", "0.9", "--palette", "ff0000,0000ff", "--out", out);
        assertEquals(0, run.code(), run.err());
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        assertEquals(1L, t.select("channels").distinct().count());
        assertEquals(3, t.select("channels").first().getInt(0));
        // Train: round(0.9 * n_c) of each class have their own colour.
        for (int label = 0; label < 2; label++) {
            long n = t.where(col("split").equalTo("train").and(col("label").equalTo(label))).count();
            long agree = t.where(col("split").equalTo("train").and(col("label").equalTo(label))
                    .and(col("attribute").equalTo(label))).count();
            assertEquals(Math.round(0.9 * n), agree);
        }
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("col/dataset.json")), "dataset.json");
        assertEquals(List.of(28, 28, 3), json.get("image_shape"));
    }

    @Test
    void idxKeepsTheChosenClasses(@TempDir Path tmp) {
        String out = tmp.resolve("fm").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "idx", "--images", TestData.fashion(), "--classes", "3,4",
                "--out", out);
        assertEquals(0, run.code(), run.err());
        assertEquals(Map.of("train/0", 5400L, "train/1", 5400L, "val/0", 600L, "val/1", 600L,
                "test/0", 1000L, "test/1", 1000L), groupCounts(out));
    }

    @Test
    void waterbirdsFromTheReleasedLayout(@TempDir Path tmp) throws Exception {
        Path root = ReleaseLayouts.waterbirds(tmp.resolve("waterbird_complete95_forest2water2"));
        String out = tmp.resolve("wb").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "waterbirds", "--source", root.toString(), "--image-size", "8x6",
                "--out", out, "--shards", "2");
        assertEquals(0, run.code(), run.err());
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        assertEquals(24L, t.count());
        // i = 1..24: split (i/4)%3 -> train holds i in 1..3, 12..15, 24 -> 8 rows.
        assertEquals(8L, t.where(col("split").equalTo("train")).count());
        Row r = t.where(col("id").equalTo("wb-6")).first();
        assertEquals(0, (int) r.getAs("label"));
        assertEquals(1, (int) r.getAs("attribute"));
        assertEquals(1, (int) r.getAs("group"));
        assertEquals(8 * 6 * 3, ((byte[]) r.getAs("features")).length);
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("wb/dataset.json")), "dataset.json");
        assertEquals("waterbirds", json.get("name"));
    }

    @Test
    void celebaFromTheReleasedLayout(@TempDir Path tmp) throws Exception {
        Path root = ReleaseLayouts.celeba(tmp.resolve("celeba"));
        String out = tmp.resolve("cel").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "celeba", "--source", root.toString(), "--image-size", "10x8",
                "--out", out);
        assertEquals(0, run.code(), run.err());
        Map<String, Long> counts = groupCounts(out);
        // 24 images, groups 2*Blond + Male cycle with period 4, partitions (i/4)%3 -> 2 of each group per split.
        for (String split : List.of("train", "val", "test")) {
            for (int g = 0; g < 4; g++) {
                assertEquals(2L, counts.get(split + "/" + g), split + "/" + g);
            }
        }
        CliRun smiling = CliRun.of("prepare", "--dataset", "celeba", "--source", root.toString(), "--target-attr",
                "Smiling", "--spurious-attr", "Bald", "--out", tmp.resolve("cel2").toString());
        assertEquals(0, smiling.code(), smiling.err());
        assertEquals(24L, spark.read().parquet(tmp.resolve("cel2/examples").toString())
                .where(col("label").equalTo(1).and(col("attribute").equalTo(0))).count());
    }

    @Test
    void civilCommentsFromTheWildsLayout(@TempDir Path tmp) throws Exception {
        Path root = TextFixtures.civilComments(tmp.resolve("civilcomments_v1.0"), TextFixtures.COMMENTS);
        String out = tmp.resolve("cc").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "civilcomments", "--source", root.toString(), "--out", out,
                "--shards", "2");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("train       3      1          1        2"), run.out());
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        ExamplesSchema.requireConforms(t.schema(), out);
        assertEquals(List.of("id", "label", "attribute", "group", "text", "text_pair", "split"), List.of(t.columns()));
        assertEquals("Multiple\r\nlines\n\nand \"\"doubled\"\" quotes",
                t.where(col("id").equalTo("cc-106")).first().getAs("text"));
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("cc/dataset.json")), "dataset.json");
        assertEquals("civilcomments", json.get("name"));
        assertEquals("text", json.get("features"));
        assertEquals(2, json.get("num_classes"));
        assertEquals(Map.of("total", 6, "groups", Map.of("0", 1, "1", 2, "2", 2, "3", 1)),
                ((Map<?, ?>) json.get("counts")).get("test"));
        assertEquals(CivilCommentsSource.WILDS_IDENTITIES, ((Map<?, ?>) json.get("source")).get("identities"));

        // A text table cannot be trained on until it is featurized: said in one line, exit code 2.
        CliRun train = CliRun.of("train", "--method", "erm", "--arch", "teacher", "--data", out, "--out",
                tmp.resolve("run").toString());
        assertEquals(2, train.code(), train.err());
        assertTrue(train.err().contains("'civilcomments' is a text table"), train.err());
        assertFalse(Files.exists(tmp.resolve("run")));
    }

    @Test
    void multiNliWithGroupDrosSplit(@TempDir Path tmp) throws Exception {
        Path root = TextFixtures.multiNliWithGroupDroSplit(tmp.resolve("multinli_1.0"));
        String out = tmp.resolve("mnli").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "multinli", "--source", root.toString(), "--out", out);
        assertEquals(0, run.code(), run.err());
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        assertEquals(22L, t.count());
        Row r = t.where(col("id").equalTo("mnli-3c")).first();
        assertEquals(List.of(0, 1, 1, "Two dogs.", "There are no dogs.", "test"), // position 8: 8 % 3 = 2
                List.of(r.getAs("label"), r.getAs("attribute"), r.getAs("group"), r.getAs("text"),
                        r.getAs("text_pair"), r.getAs("split")));
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("mnli/dataset.json")), "dataset.json");
        assertEquals(3, json.get("num_classes"));
        Map<?, ?> source = (Map<?, ?>) json.get("source");
        assertEquals(Map.of(MultiNliSource.TRAIN, 1, MultiNliSource.DEV_MATCHED, 1, MultiNliSource.DEV_MISMATCHED, 0),
                source.get("dropped_without_gold_label"));
        assertEquals(0, source.get("negation_disagreements_with_metadata"));

        CliRun preset = CliRun.of("prepare", "--dataset", "multinli", "--source", root.toString(), "--split-scheme",
                "preset", "--out", tmp.resolve("mnli-preset").toString());
        assertEquals(0, preset.code(), preset.err());
        assertEquals(Map.of("train/0", 1L, "train/1", 3L, "train/2", 2L, "train/3", 1L, "train/4", 3L, "train/5", 1L,
                "val/1", 2L, "val/2", 1L, "val/4", 1L, "val/5", 1L), filterSplits(groupCounts(tmp.resolve("mnli-preset")
                .toString()), "train", "val"));
    }

    private static Map<String, Long> filterSplits(Map<String, Long> counts, String... splits) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> {
            if (List.of(splits).contains(k.substring(0, k.indexOf('/')))) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void aUsersCsvTable(@TempDir Path tmp) throws Exception {
        Path csv = ReleaseLayouts.table(tmp.resolve("in/loans.csv"));
        String out = tmp.resolve("tab").toString();
        CliRun run = CliRun.of("prepare", "--dataset", "table", "--input", csv.toString(), "--id-col", "key",
                "--label-col", "default", "--split-col", "part", "--attribute-col", "region",
                "--feature-cols", "income,age", "--out", out);
        assertEquals(0, run.code(), run.err());
        Dataset<Row> t = spark.read().parquet(out + "/examples");
        ExamplesSchema.requireConforms(t.schema(), out);
        assertEquals(30L, t.count());
        Row r = t.where(col("id").equalTo("r7")).first();
        assertEquals(1, (int) r.getAs("label"));
        assertEquals(1, (int) r.getAs("attribute"));
        assertEquals(3, (int) r.getAs("group"));
        assertEquals("val", r.getAs("split"));
        assertEquals(List.of(1070f, 27f), r.getList(r.fieldIndex("features")));
        Map<String, Object> json = Json.readObject(Files.readString(tmp.resolve("tab/dataset.json")), "dataset.json");
        assertEquals(2, json.get("num_features"));
    }
}
