package io.readout.datasets.table;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ImageShape;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.images.ImageFixtures;
import io.readout.datasets.io.HadoopInputs;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableSourceIT extends SharedSparkSession {
    private static final String HEADER = "x1,x2,label,split,attr";
    private static final List<String> FEATURES = List.of("x1", "x2");

    @TempDir
    Path dir;

    // Row i (1-based) of the fixture: rows 1-6 train, 7-9 val, 10-12 test.
    private static float x1(int i) {
        return i + 0.25f;
    }

    private static int label(int i) {
        return i % 2;
    }

    private static int attr(int i) {
        return i % 4 < 2 ? 0 : 1;
    }

    private static String split(int i) {
        return i <= 6 ? "train" : i <= 9 ? "val" : "test";
    }

    /** The 12-row feature CSV; {@code edit} may change the cells of a row (1-based) before it is written. */
    private Path writeCsv(String name, BiConsumer<Integer, String[]> edit) throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int i = 1; i <= 12; i++) {
            String[] cells = {String.valueOf(x1(i)), String.valueOf(-i), String.valueOf(label(i)), split(i),
                String.valueOf(attr(i))};
            edit.accept(i, cells);
            lines.add(String.join(",", cells));
        }
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }

    private Path writeCsv() throws IOException {
        return writeCsv("table.csv", (i, cells) -> { });
    }

    private static TableColumns features(String attribute, Integer numClasses) {
        return new TableColumns(null, "label", "split", attribute, null, null, FEATURES, null, null, numClasses);
    }

    private Dataset<Row> examples(Path input, TableColumns cols) {
        return new TableSource(HadoopInputs.local(), input.toString(), cols).examples(spark);
    }

    private static Map<String, Row> byId(Dataset<Row> examples) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : examples.collectAsList()) {
            out.put(r.getString(0), r);
        }
        return out;
    }

    @Test
    void csvFeaturesWithBinaryAttribute() throws IOException {
        Dataset<Row> examples = examples(writeCsv(), features("attr", 2));
        assertEquals(ExamplesSchema.VECTOR, examples.schema());

        Map<String, Long> perSplit = new TreeMap<>();
        for (Row r : examples.groupBy("split").count().collectAsList()) {
            perSplit.put(r.getString(0), r.getLong(1));
        }
        assertEquals(Map.of("train", 6L, "val", 3L, "test", 3L), perSplit);

        Map<String, Row> rows = byId(examples);
        assertEquals(12, rows.size());
        for (int i = 1; i <= 12; i++) {
            Row r = rows.get("row-" + i);
            assertNotNull(r, "row-" + i);
            assertEquals(split(i), r.getString(1));
            assertEquals(label(i), r.getInt(2));
            assertEquals(attr(i), r.getInt(3));
            assertEquals(2 * label(i) + attr(i), r.getInt(4));
            assertEquals(List.of(x1(i), (float) -i), r.getList(5));
        }
    }

    @Test
    void describeRecordsInputColumnsAndTheInferredFormat() throws IOException {
        Path csv = writeCsv();
        Map<String, Object> d = new TableSource(HadoopInputs.local(), csv.toString(), features("attr", 2)).describe();
        assertEquals("table", d.get("dataset"));
        assertEquals(csv.toString(), d.get("input"));
        assertEquals("csv", d.get("format"));
        assertEquals(FEATURES, d.get("feature_columns"));
        assertEquals(2, d.get("num_classes"));
    }

    @Test
    void buildingTwiceGivesTheSameRows() throws IOException {
        Path csv = writeCsv();
        List<Row> first = examples(csv, features("attr", null)).orderBy("id").collectAsList();
        List<Row> second = examples(csv, features("attr", null)).orderBy("id").collectAsList();
        assertEquals(12, first.size());
        assertEquals(first, second);
    }

    @Test
    void parquetFolderWithIdsGroupsAndNumericSplitCodes() {
        StructType schema = new StructType()
                .add("uid", DataTypes.StringType).add("y", DataTypes.LongType).add("part", DataTypes.IntegerType)
                .add("g", DataTypes.IntegerType).add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            rows.add(RowFactory.create("u" + i, (long) label(i), i <= 6 ? 0 : i <= 9 ? 1 : 2, 10 + i, i * 1.5, 0.0));
        }
        Path folder = dir.resolve("table.parquet.d");
        spark.createDataFrame(rows, schema).coalesce(1).write().parquet(folder.toString());

        TableColumns cols = new TableColumns(null, "y", "part", null, "g", "uid", List.of("a", "b"), null, null, 2);
        Map<String, Row> out = byId(examples(folder, cols));
        assertEquals(12, out.size());
        for (int i = 1; i <= 12; i++) {
            Row r = out.get("u" + i);
            assertEquals(split(i), r.getString(1));
            assertEquals(label(i), r.getInt(2));
            assertNull(r.get(3));
            assertEquals(10 + i, r.getInt(4));
            assertEquals(List.of(i * 1.5f, 0f), r.getList(5));
        }
    }

    @Test
    void attributeWithThreeValuesGivesThreeGroupsPerLabel() throws IOException {
        Path csv = writeCsv("three.csv", (i, cells) -> cells[4] = String.valueOf(i % 3));
        Map<String, Row> rows = byId(examples(csv, features("attr", null)));
        for (int i = 1; i <= 12; i++) {
            assertEquals(3 * label(i) + i % 3, rows.get("row-" + i).getInt(4), "row-" + i);
        }
    }

    @Test
    void withoutAttributeTheGroupIsTheLabel() throws IOException {
        Map<String, Row> rows = byId(examples(writeCsv(), features(null, null)));
        for (int i = 1; i <= 12; i++) {
            assertNull(rows.get("row-" + i).get(3));
            assertEquals(label(i), rows.get("row-" + i).getInt(4));
        }
    }

    @Test
    void imagePathsRelativeToTheTableFolderOrAbsolute() throws IOException {
        Path table = dir.resolve("birds");
        Path elsewhere = ImageFixtures.writeSolid(dir.resolve("elsewhere/blue.png"), 9, 7, ImageFixtures.BLUE);
        List<String> lines = new ArrayList<>(List.of("file,y,split,place"));
        for (int i = 1; i <= 12; i++) {
            String file = "images/" + i + ".png";
            if (i == 12) {
                file = elsewhere.toString();
            } else {
                ImageFixtures.writeSolid(table.resolve(file), 10 + i, 20 - i, i == 1 ? ImageFixtures.RED
                        : ImageFixtures.colour(i));
            }
            lines.add(file + "," + label(i) + "," + split(i) + "," + attr(i));
        }
        Files.write(table.resolve("meta.csv"), lines);

        ImageShape size = new ImageShape(6, 5, 3);
        TableColumns cols = new TableColumns(null, "y", "split", "place", null, null, null, "file", size, 2);
        Dataset<Row> examples = examples(table.resolve("meta.csv"), cols);
        assertEquals(ExamplesSchema.IMAGE, examples.schema());
        Map<String, Row> rows = byId(examples);
        assertEquals(12, rows.size());
        ImageFixtures.assertSolid((byte[]) rows.get("row-1").get(5), 6, 5, ImageFixtures.RED, 0, "row-1");
        ImageFixtures.assertSolid((byte[]) rows.get("row-5").get(5), 6, 5, ImageFixtures.colour(5), 0, "row-5");
        ImageFixtures.assertSolid((byte[]) rows.get("row-12").get(5), 6, 5, ImageFixtures.BLUE, 0, "row-12");
        Row r = rows.get("row-7");
        assertEquals(List.of("val", label(7), attr(7), 2 * label(7) + attr(7), 6, 5, 3),
                List.of(r.getString(1), r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(6), r.getInt(7), r.getInt(8)));
    }

    // ---- bad input ----------------------------------------------------------------------------------

    private String badInput(Path input, TableColumns cols) {
        BadInputException e = assertThrows(BadInputException.class, () -> examples(input, cols));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingInputIsNamed() {
        Path missing = dir.resolve("nope.csv");
        assertEquals("table input " + missing + ": no such file or directory", badInput(missing, features(null, null)));
    }

    @Test
    void unknownFormatAsksForIt() throws IOException {
        Path txt = Files.writeString(dir.resolve("table.txt"), HEADER + "\n");
        assertTrue(badInput(txt, features(null, null)).endsWith(
                "table.txt: cannot tell from its name whether it is Parquet or CSV; give the format"));
    }

    @Test
    void missingColumnListsTheColumnsThere() throws IOException {
        Path csv = writeCsv();
        TableColumns cols = new TableColumns(null, "label", "split", "attr", null, null, List.of("x1", "x3"),
                null, null, null);
        assertEquals(csv + ": column 'x3' is missing (has: x1, x2, label, split, attr)", badInput(csv, cols));
    }

    @Test
    void firstNegativeLabelIsReported() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> {
            if (i == 4 || i == 9) {
                cells[2] = "-1";
            }
        });
        assertEquals(csv + ": row 4, column 'label': value '-1' is negative", badInput(csv, features("attr", null)));
    }

    @Test
    void fractionalAndNonNumericLabelsAreNotIntegers() throws IOException {
        Path fractional = writeCsv("f.csv", (i, cells) -> cells[2] = i == 3 ? "1.5" : cells[2]);
        assertEquals(fractional + ": row 3, column 'label': value '1.5' is not an integer",
                badInput(fractional, features(null, null)));
        Path text = writeCsv("t.csv", (i, cells) -> cells[2] = i == 11 ? "bird" : cells[2]);
        assertEquals(text + ": row 11, column 'label': value 'bird' is not an integer",
                badInput(text, features(null, null)));
    }

    @Test
    void labelAtOrAboveNumClassesIsOutOfRange() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> cells[2] = i == 2 ? "2" : cells[2]);
        assertEquals(csv + ": row 2, column 'label': value '2' is out of range (expected 0..1 for 2 classes)",
                badInput(csv, features(null, 2)));
    }

    @Test
    void unknownSplitIsOutOfRange() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> cells[3] = i == 8 ? "dev" : cells[3]);
        assertEquals(csv + ": row 8, column 'split': value 'dev' is out of range (expected train/val/test or 0/1/2)",
                badInput(csv, features(null, null)));
    }

    @Test
    void nonNumericFeatureIsNamed() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> cells[1] = i == 6 ? "n/a" : cells[1]);
        assertEquals(csv + ": row 6, column 'x2': value 'n/a' is not a number", badInput(csv, features(null, null)));
    }

    @Test
    void nanAndInfiniteFeaturesAreNotFinite() throws IOException {
        Path nan = writeCsv("nan.csv", (i, cells) -> cells[0] = i == 5 ? "NaN" : cells[0]);
        assertEquals(nan + ": row 5, column 'x1': value 'NaN' is not finite", badInput(nan, features(null, null)));
        Path inf = writeCsv("inf.csv", (i, cells) -> cells[1] = i == 12 ? "1e60" : cells[1]);
        assertEquals(inf + ": row 12, column 'x2': value '1e60' is not finite", badInput(inf, features(null, null)));
    }

    @Test
    void emptySplitIsNamed() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> cells[3] = cells[3].equals("val") ? "0" : cells[3]);
        assertEquals(csv + ": split 'val' has no rows", badInput(csv, features(null, null)));
    }

    @Test
    void repeatedIdIsNamed() throws IOException {
        Path csv = writeCsv("t.csv", (i, cells) -> cells[1] = String.valueOf(i == 10 ? 3 : i));
        TableColumns cols = new TableColumns(null, "label", "split", null, null, "x2", List.of("x1"), null, null, null);
        assertEquals(csv + ": row 3, column 'x2': value '3' appears 2 times (ids must be unique)", badInput(csv, cols));
    }

    @Test
    void missingImageIsNamedThroughTheSparkFailure() throws IOException {
        List<String> lines = new ArrayList<>(List.of("file,y,split"));
        for (int i = 1; i <= 12; i++) {
            if (i != 7) {
                ImageFixtures.writeSolid(dir.resolve("img/" + i + ".png"), 4, 4, ImageFixtures.colour(i));
            }
            lines.add("img/" + i + ".png," + label(i) + "," + split(i));
        }
        Path csv = Files.write(dir.resolve("images.csv"), lines);
        TableColumns cols = new TableColumns("csv", "y", "split", null, null, null, null, "file",
                new ImageShape(4, 4, 3), null);
        SparkException e = assertThrows(SparkException.class, () -> examples(csv, cols).collectAsList());
        BadInputException bad = BadInputException.findIn(e);
        assertNotNull(bad, "no BadInputException in the cause chain of " + e);
        assertTrue(bad.getMessage().endsWith("img/7.png (row-7): no such file"), bad.getMessage());
    }
}
