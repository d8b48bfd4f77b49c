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

class CelebaSourceIT extends SharedSparkSession {
    private static final ImageShape SIZE = new ImageShape(10, 8, 3);

    /** The 40 attributes of list_attr_celeba.csv, in release order. */
    private static final List<String> ATTRIBUTES = List.of("5_o_Clock_Shadow", "Arched_Eyebrows", "Attractive",
            "Bags_Under_Eyes", "Bald", "Bangs", "Big_Lips", "Big_Nose", "Black_Hair", "Blond_Hair", "Blurry",
            "Brown_Hair", "Bushy_Eyebrows", "Chubby", "Double_Chin", "Eyeglasses", "Goatee", "Gray_Hair",
            "Heavy_Makeup", "High_Cheekbones", "Male", "Mouth_Slightly_Open", "Mustache", "Narrow_Eyes", "No_Beard",
            "Oval_Face", "Pale_Skin", "Pointy_Nose", "Receding_Hairline", "Rosy_Cheeks", "Sideburns", "Smiling",
            "Straight_Hair", "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick", "Wearing_Necklace",
            "Wearing_Necktie", "Young");

    /** image number, Blond_Hair, Male, Eyeglasses (-1/1), partition, height, width: 6 train, 3 val, 3 test. */
    private static final int[][] ROWS = {
        {1, 1, -1, -1, 0, 22, 18}, {2, -1, 1, 1, 0, 18, 22}, {3, -1, -1, -1, 0, 30, 24}, {4, 1, 1, 1, 0, 16, 16},
        {5, -1, 1, -1, 0, 21, 17}, {6, -1, -1, 1, 0, 25, 20},
        {7, 1, -1, -1, 1, 20, 20}, {8, -1, 1, 1, 1, 24, 19}, {9, -1, -1, -1, 1, 12, 10},
        {10, 1, 1, -1, 2, 26, 21}, {11, -1, 1, 1, 2, 19, 15}, {12, -1, -1, -1, 2, 22, 18},
    };

    @TempDir
    Path root;

    private static String imageId(int n) {
        return String.format("%06d.jpg", n);
    }

    /** Writes the release layout: attribute and partition CSVs and one solid JPEG per image (image 1 red). */
    private List<String> writeRelease() throws IOException {
        List<String> attrs = new ArrayList<>(List.of("image_id," + String.join(",", ATTRIBUTES)));
        List<String> parts = new ArrayList<>(List.of("image_id,partition"));
        for (int[] r : ROWS) {
            StringBuilder line = new StringBuilder(imageId(r[0]));
            for (int a = 0; a < ATTRIBUTES.size(); a++) {
                String name = ATTRIBUTES.get(a);
                int v = name.equals("Blond_Hair") ? r[1] : name.equals("Male") ? r[2]
                        : name.equals("Eyeglasses") ? r[3] : ((r[0] + a) % 3 == 0 ? 1 : -1);
                line.append(',').append(v);
            }
            attrs.add(line.toString());
            parts.add(imageId(r[0]) + "," + r[4]);
            int colour = r[0] == 1 ? ImageFixtures.RED : ImageFixtures.colour(r[0]);
            ImageFixtures.writeSolid(root.resolve("img_align_celeba").resolve(imageId(r[0])), r[5], r[6], colour);
        }
        Files.write(root.resolve("list_attr_celeba.csv"), attrs);
        Files.write(root.resolve("list_eval_partition.csv"), parts);
        return attrs;
    }

    private CelebaSource source() {
        return new CelebaSource(HadoopInputs.local(), root.toString(), CelebaSource.DEFAULT_TARGET,
                CelebaSource.DEFAULT_SPURIOUS, SIZE);
    }

    private static int binary(int minusOneOrOne) {
        return minusOneOrOne == 1 ? 1 : 0;
    }

    @Test
    void blondHairByMaleByDefault() throws IOException {
        writeRelease();
        var examples = source().examples(spark);
        assertEquals(ExamplesSchema.IMAGE, examples.schema());

        Map<String, Long> perSplit = new TreeMap<>();
        for (Row r : examples.groupBy("split").count().collectAsList()) {
            perSplit.put(r.getString(0), r.getLong(1));
        }
        assertEquals(Map.of("train", 6L, "val", 3L, "test", 3L), perSplit);
        Map<Integer, Long> perGroup = new TreeMap<>();
        for (Row r : examples.groupBy("group").count().collectAsList()) {
            perGroup.put(r.getInt(0), r.getLong(1));
        }
        // group 0: not blond, female; 1: not blond, male; 2: blond female; 3: blond male.
        assertEquals(Map.of(0, 4L, 1, 4L, 2, 2L, 3, 2L), perGroup);

        Map<String, Row> byId = new HashMap<>();
        for (Row r : examples.collectAsList()) {
            byId.put(r.getString(0), r);
        }
        for (int[] m : ROWS) {
            String id = String.format("celeba-%06d", m[0]);
            Row r = byId.get(id);
            assertNotNull(r, id);
            assertEquals(List.of("train", "val", "test").get(m[4]), r.getString(1), id);
            assertEquals(binary(m[1]), r.getInt(2), id);
            assertEquals(binary(m[2]), r.getInt(3), id);
            assertEquals(2 * binary(m[1]) + binary(m[2]), r.getInt(4), id);
            assertEquals(List.of(10, 8, 3), List.of(r.getInt(6), r.getInt(7), r.getInt(8)));
        }
        ImageFixtures.assertSolid((byte[]) byId.get("celeba-000001").get(5), 10, 8, ImageFixtures.RED,
                ImageFixtures.JPEG_TOLERANCE, "celeba-000001");
        ImageFixtures.assertSolid((byte[]) byId.get("celeba-000007").get(5), 10, 8, ImageFixtures.colour(7),
                ImageFixtures.JPEG_TOLERANCE, "celeba-000007");
    }

    @Test
    void otherTargetAndSpuriousAttributes() throws IOException {
        writeRelease();
        var source = new CelebaSource(HadoopInputs.local(), root.toString(), "Eyeglasses", "Blond_Hair", SIZE);
        Map<String, List<Integer>> byId = new HashMap<>();
        for (Row r : source.examples(spark).select("id", "label", "attribute", "group").collectAsList()) {
            byId.put(r.getString(0), List.of(r.getInt(1), r.getInt(2), r.getInt(3)));
        }
        for (int[] m : ROWS) {
            int label = binary(m[3]);
            int attribute = binary(m[1]);
            assertEquals(List.of(label, attribute, 2 * label + attribute), byId.get(String.format("celeba-%06d", m[0])));
        }
        assertEquals("Eyeglasses", source.describe().get("target_attribute"));
    }

    @Test
    void buildingTwiceGivesTheSameRows() throws IOException {
        writeRelease();
        List<Row> first = source().examples(spark).orderBy("id").collectAsList();
        List<Row> second = source().examples(spark).orderBy("id").collectAsList();
        assertEquals(12, first.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i).getString(0), second.get(i).getString(0));
            assertEquals(first.get(i).getInt(4), second.get(i).getInt(4));
            assertArrayEquals((byte[]) first.get(i).get(5), (byte[]) second.get(i).get(5), first.get(i).getString(0));
        }
    }

    // ---- bad input ----------------------------------------------------------------------------------

    private String badInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> source().examples(spark));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private String badInputOnExecutor() {
        SparkException e = assertThrows(SparkException.class, () -> source().examples(spark).count());
        BadInputException bad = BadInputException.findIn(e);
        assertNotNull(bad, "no BadInputException in the cause chain of " + e);
        assertFalse(bad.getMessage().contains("\n"), bad.getMessage());
        return bad.getMessage();
    }

    /** Rewrites one cell of the attribute file. */
    private void setAttribute(List<String> attrs, int image, String attribute, String value) throws IOException {
        String[] cells = attrs.get(image).split(",");
        cells[1 + ATTRIBUTES.indexOf(attribute)] = value;
        attrs.set(image, String.join(",", cells));
        Files.write(root.resolve("list_attr_celeba.csv"), attrs);
    }

    @Test
    void missingRootIsNamed() {
        String missing = root.resolve("celeba").toString();
        BadInputException e = assertThrows(BadInputException.class, () -> new CelebaSource(HadoopInputs.local(),
                missing, null, null, SIZE).examples(spark));
        assertEquals("celeba root " + missing + ": no such file or directory", e.getMessage());
    }

    @Test
    void missingAttributeFileIsNamed() throws IOException {
        writeRelease();
        Files.delete(root.resolve("list_attr_celeba.csv"));
        assertTrue(badInput().endsWith("list_attr_celeba.csv: no such file or directory"));
    }

    @Test
    void missingPartitionFileIsNamed() throws IOException {
        writeRelease();
        Files.delete(root.resolve("list_eval_partition.csv"));
        assertTrue(badInput().endsWith("list_eval_partition.csv: no such file or directory"));
    }

    @Test
    void missingTargetColumnIsNamed() throws IOException {
        List<String> attrs = writeRelease();
        attrs.set(0, attrs.get(0).replace("Blond_Hair", "Blonde_Hair"));
        Files.write(root.resolve("list_attr_celeba.csv"), attrs);
        String m = badInput();
        assertTrue(m.contains("list_attr_celeba.csv: column 'Blond_Hair' is missing (has: image_id, 5_o_Clock_Shadow,"), m);
    }

    @Test
    void attributeValueOtherThanMinusOneOrOneIsNamed() throws IOException {
        List<String> attrs = writeRelease();
        setAttribute(attrs, 5, "Male", "0");
        String m = badInput();
        assertTrue(m.endsWith("list_attr_celeba.csv line 6 (image_id 000005.jpg), column 'Male': value '0' is out of range (expected -1 or 1)"), m);
    }

    @Test
    void partitionOutOfRangeIsNamed() throws IOException {
        writeRelease();
        List<String> parts = new ArrayList<>(Files.readAllLines(root.resolve("list_eval_partition.csv")));
        parts.set(8, imageId(8) + ",3");
        Files.write(root.resolve("list_eval_partition.csv"), parts);
        String m = badInput();
        assertTrue(m.contains("list_eval_partition.csv line 9 (image_id 000008.jpg), column 'partition': split value '3' is out of range"), m);
    }

    @Test
    void imageWithoutPartitionIsNamed() throws IOException {
        writeRelease();
        List<String> parts = new ArrayList<>(Files.readAllLines(root.resolve("list_eval_partition.csv")));
        parts.remove(4);
        Files.write(root.resolve("list_eval_partition.csv"), parts);
        String m = badInput();
        assertTrue(m.contains("list_eval_partition.csv: image_id '000004.jpg' has no partition"), m);
    }

    @Test
    void emptyTestSplitIsNamed() throws IOException {
        writeRelease();
        List<String> parts = new ArrayList<>(Files.readAllLines(root.resolve("list_eval_partition.csv")));
        parts.replaceAll(l -> l.endsWith(",2") ? l.substring(0, l.length() - 1) + "1" : l);
        Files.write(root.resolve("list_eval_partition.csv"), parts);
        assertTrue(badInput().endsWith("list_attr_celeba.csv: split 'test' has no rows"));
    }

    @Test
    void missingImageIsNamedThroughTheSparkFailure() throws IOException {
        writeRelease();
        Files.delete(root.resolve("img_align_celeba").resolve(imageId(10)));
        String m = badInputOnExecutor();
        assertTrue(m.endsWith("img_align_celeba/000010.jpg (celeba-000010): no such file"), m);
    }

    @Test
    void imageThatDoesNotDecodeIsNamedThroughTheSparkFailure() throws IOException {
        writeRelease();
        byte[] jpeg = Files.readAllBytes(root.resolve("img_align_celeba").resolve(imageId(3)));
        Files.write(root.resolve("img_align_celeba").resolve(imageId(3)), Arrays.copyOf(jpeg, 30));
        String m = badInputOnExecutor();
        assertTrue(m.contains("img_align_celeba/000003.jpg (celeba-000003): cannot decode as JPEG or PNG"), m);
    }
}
