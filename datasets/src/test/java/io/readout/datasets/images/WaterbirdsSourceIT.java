package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ImageShape;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.io.HadoopInputs;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaterbirdsSourceIT extends SharedSparkSession {
    private static final ImageShape SIZE = new ImageShape(8, 12, 3);
    private static final String HEADER = "img_id,img_filename,y,split,place";

    /** img_id, y, place, split code, image height, width: 6 train, 3 val, 3 test rows over all four groups. */
    private static final int[][] ROWS = {
        {1, 0, 0, 0, 20, 30}, {2, 0, 1, 0, 30, 20}, {3, 1, 0, 0, 16, 16}, {4, 1, 1, 0, 25, 40},
        {5, 0, 0, 0, 12, 12}, {6, 1, 1, 0, 40, 25},
        {7, 0, 0, 1, 20, 20}, {8, 1, 1, 1, 22, 33}, {9, 0, 1, 1, 9, 14},
        {10, 0, 0, 2, 30, 30}, {11, 1, 0, 2, 21, 17}, {12, 1, 1, 2, 18, 24},
    };

    @TempDir
    Path root;

    /** Writes the release layout: species folders, one solid image per row (row 1 a red PNG), metadata.csv. */
    private List<String> writeRelease() throws IOException {
        List<String> lines = new ArrayList<>(List.of(HEADER));
        for (int[] r : ROWS) {
            String file = fileName(r[0], r[1]);
            int colour = r[0] == 1 ? ImageFixtures.RED : ImageFixtures.colour(r[0]);
            ImageFixtures.writeSolid(root.resolve(file), r[4], r[5], colour);
            lines.add(r[0] + "," + file + "," + r[1] + "," + r[3] + "," + r[2]);
        }
        writeMetadata(lines);
        return lines;
    }

    private static String fileName(int id, int y) {
        String folder = y == 1 ? "001.Black_footed_Albatross" : "010.Red_winged_Blackbird";
        String stem = (y == 1 ? "Black_Footed_Albatross_" : "Red_Winged_Blackbird_") + String.format("%04d", id) + "_" + id;
        return folder + "/" + stem + (id == 1 ? ".png" : ".jpg");
    }

    private void writeMetadata(List<String> lines) throws IOException {
        Files.write(root.resolve("metadata.csv"), lines);
    }

    private WaterbirdsSource source() {
        return new WaterbirdsSource(HadoopInputs.local(), root.toString(), SIZE);
    }

    private List<Row> sortedRows() {
        return source().examples(spark).orderBy(ExamplesSchema.ID).collectAsList();
    }

    @Test
    void buildsOneExamplePerMetadataRowWithLabelsAttributesAndGroups() throws IOException {
        writeRelease();
        var examples = source().examples(spark);
        assertEquals(ExamplesSchema.IMAGE, examples.schema());

        Map<String, Long> perSplit = new TreeMap<>();
        Map<String, Long> perSplitGroup = new TreeMap<>();
        for (Row r : examples.groupBy("split", "group").count().collectAsList()) {
            perSplit.merge(r.getString(0), r.getLong(2), Long::sum);
            perSplitGroup.put(r.getString(0) + "/" + r.getInt(1), r.getLong(2));
        }
        assertEquals(Map.of("train", 6L, "val", 3L, "test", 3L), perSplit);
        assertEquals(Map.of("train/0", 2L, "train/1", 1L, "train/2", 1L, "train/3", 2L,
                "val/0", 1L, "val/1", 1L, "val/3", 1L,
                "test/0", 1L, "test/2", 1L, "test/3", 1L), perSplitGroup);

        Map<String, Row> byId = new HashMap<>();
        for (Row r : examples.collectAsList()) {
            byId.put(r.getString(0), r);
        }
        assertEquals(12, byId.size());
        for (int[] m : ROWS) {
            Row r = byId.get("wb-" + m[0]);
            assertNotNull(r, "wb-" + m[0]);
            assertEquals(m[1], r.getInt(2), "label of wb-" + m[0]);
            assertEquals(m[2], r.getInt(3), "attribute of wb-" + m[0]);
            assertEquals(2 * m[1] + m[2], r.getInt(4), "group of wb-" + m[0]);
            assertEquals(List.of("train", "val", "test").get(m[3]), r.getString(1));
            assertEquals(List.of(8, 12, 3), List.of(r.getInt(6), r.getInt(7), r.getInt(8)));
            assertEquals(SIZE.pixels(), ((byte[]) r.get(5)).length);
        }
    }

    @Test
    void redImageComesOutRedAndJpegColoursSurviveResizing() throws IOException {
        writeRelease();
        Map<String, byte[]> pixels = new HashMap<>();
        for (Row r : source().examples(spark).select("id", "features").collectAsList()) {
            pixels.put(r.getString(0), (byte[]) r.get(1));
        }
        // The 20x30 PNG: exactly 255 in channel 0 and 0 in channels 1 and 2, everywhere.
        ImageFixtures.assertSolid(pixels.get("wb-1"), 8, 12, ImageFixtures.RED, 0, "wb-1");
        for (int[] m : ROWS) {
            if (m[0] != 1) {
                ImageFixtures.assertSolid(pixels.get("wb-" + m[0]), 8, 12, ImageFixtures.colour(m[0]),
                        ImageFixtures.JPEG_TOLERANCE, "wb-" + m[0]);
            }
        }
    }

    @Test
    void buildingTwiceGivesTheSameRows() throws IOException {
        writeRelease();
        List<Row> first = sortedRows();
        List<Row> second = sortedRows();
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            Row a = first.get(i);
            Row b = second.get(i);
            for (int c = 0; c < a.length(); c++) {
                if (a.get(c) instanceof byte[] bytes) {
                    assertArrayEquals(bytes, (byte[]) b.get(c), a.getString(0));
                } else {
                    assertEquals(a.get(c), b.get(c), a.getString(0) + " column " + c);
                }
            }
        }
    }

    @Test
    void describeRecordsRootAndImageShape() {
        Map<String, Object> d = source().describe();
        assertEquals("waterbirds", d.get("dataset"));
        assertEquals(root.toString(), d.get("root"));
        assertEquals(Map.of("height", 8, "width", 12, "channels", 3), d.get("image_shape"));
    }

    // ---- bad input ----------------------------------------------------------------------------------

    private String badInput(Runnable build) {
        BadInputException e = assertThrows(BadInputException.class, build::run);
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    /** An executor-side failure: Spark wraps it, the caller unwraps it the way the command line does. */
    private String badInputOnExecutor() {
        SparkException e = assertThrows(SparkException.class, () -> source().examples(spark).collectAsList());
        BadInputException bad = BadInputException.findIn(e);
        assertNotNull(bad, "no BadInputException in the cause chain of " + e);
        assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
        return bad.getMessage();
    }

    private void replaceLine(List<String> lines, int imgId, String line) throws IOException {
        lines.set(imgId, line);
        writeMetadata(lines);
    }

    @Test
    void shapeWithFourChannelsIsRejectedOnTheDriver() throws IOException {
        writeRelease();
        WaterbirdsSource rgba = new WaterbirdsSource(HadoopInputs.local(), root.toString(), new ImageShape(8, 8, 4));
        assertEquals("image shape 8x8x4: images have 1 (grey) or 3 (RGB) channels", badInput(() -> rgba.examples(spark)));
    }

    @Test
    void missingRootIsNamed() {
        String missing = root.resolve("nope").toString();
        String m = badInput(() -> new WaterbirdsSource(HadoopInputs.local(), missing, SIZE).examples(spark));
        assertEquals("waterbirds root " + missing + ": no such file or directory", m);
    }

    @Test
    void missingMetadataFileIsNamed() throws IOException {
        writeRelease();
        Files.delete(root.resolve("metadata.csv"));
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv: no such file or directory"), m);
    }

    @Test
    void missingColumnListsTheColumnsThere() throws IOException {
        List<String> lines = writeRelease();
        lines.replaceAll(l -> l.substring(0, l.lastIndexOf(',')));
        writeMetadata(lines);
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv: column 'place' is missing (has: img_id, img_filename, y, split)"), m);
    }

    @Test
    void labelOutsideZeroOneNamesLineIdAndValue() throws IOException {
        List<String> lines = writeRelease();
        replaceLine(lines, 3, "3," + fileName(3, 1) + ",2,0,0");
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv line 4 (img_id 3), column 'y': value '2' is out of range (expected 0 or 1)"), m);
    }

    @Test
    void placeThatIsNotANumberIsOutOfRange() throws IOException {
        List<String> lines = writeRelease();
        replaceLine(lines, 5, "5," + fileName(5, 0) + ",0,0,water");
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv line 6 (img_id 5), column 'place': value 'water' is out of range (expected 0 or 1)"), m);
    }

    @Test
    void splitCodeOutOfRangeIsNamed() throws IOException {
        List<String> lines = writeRelease();
        replaceLine(lines, 7, "7," + fileName(7, 0) + ",0,3,0");
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.contains("metadata.csv line 8 (img_id 7), column 'split': split value '3' is out of range"), m);
    }

    @Test
    void emptySplitIsNamed() throws IOException {
        List<String> lines = writeRelease();
        lines.replaceAll(l -> l.replaceAll("^(\\d+,[^,]+,\\d),1,", "$1,0,"));
        writeMetadata(lines);
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv: split 'val' has no rows"), m);
    }

    @Test
    void repeatedImageIdIsNamed() throws IOException {
        List<String> lines = writeRelease();
        replaceLine(lines, 12, "11," + fileName(12, 1) + ",1,2,1");
        String m = badInput(() -> source().examples(spark));
        assertTrue(m.endsWith("metadata.csv line 13 (img_id 11), column 'img_id': value '11' appears more than once"), m);
    }

    @Test
    void imageThatDoesNotDecodeIsNamedThroughTheSparkFailure() throws IOException {
        writeRelease();
        Files.writeString(root.resolve(fileName(9, 0)), "this is not a JPEG");
        String m = badInputOnExecutor();
        assertTrue(m.startsWith("image "), m);
        assertTrue(m.contains(fileName(9, 0) + " (wb-9): cannot decode as JPEG or PNG"), m);
    }

    @Test
    void missingImageFileIsNamedThroughTheSparkFailure() throws IOException {
        writeRelease();
        Files.delete(root.resolve(fileName(11, 1)));
        String m = badInputOnExecutor();
        assertTrue(m.endsWith(fileName(11, 1) + " (wb-11): no such file"), m);
    }
}
