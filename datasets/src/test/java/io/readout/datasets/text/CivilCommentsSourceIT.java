package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.text.CivilCommentsSource.AttributeRule;
import io.readout.datasets.text.TextFixtures.Comment;
import org.apache.spark.sql.Row;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CivilCommentsSourceIT extends SharedSparkSession {
    @TempDir
    Path root;

    private CivilCommentsSource source(List<String> identities) {
        return new CivilCommentsSource(HadoopInputs.local(), root.toString(), identities, AttributeRule.ANY);
    }

    private Map<String, Row> byId(List<String> identities) {
        Map<String, Row> out = new HashMap<>();
        for (Row r : source(identities).examples(spark).collectAsList()) {
            out.put(r.getString(0), r);
        }
        return out;
    }

    private String file() {
        return root.resolve(CivilCommentsSource.FILE).toString();
    }

    @Test
    void readsEveryCommentWithWildsLabelAnyIdentityAttributeAndItsText() throws IOException {
        TextFixtures.civilComments(root, TextFixtures.COMMENTS);
        var examples = source(null).examples(spark);
        assertEquals(ExamplesSchema.TEXT_SCHEMA, examples.schema());

        Map<String, Long> perSplitGroup = new TreeMap<>();
        for (Row r : examples.groupBy("split", "group").count().collectAsList()) {
            perSplitGroup.put(r.getString(0) + "/" + r.getInt(1), r.getLong(2));
        }
        assertEquals("{test/0=1, test/1=2, test/2=2, test/3=1, train/0=2, train/1=1, train/2=1, train/3=2,"
                + " val/0=2, val/1=1, val/2=1, val/3=2}", perSplitGroup.toString());

        Map<String, Row> rows = byId(null);
        assertEquals(18, rows.size());
        for (Comment c : TextFixtures.COMMENTS) {
            Row r = rows.get("cc-" + c.id());
            int label = Double.parseDouble(c.toxicity()) >= 0.5 ? 1 : 0;
            assertEquals(c.split(), r.getString(1), "split of " + c.id());
            assertEquals(label, r.getInt(2), "label of " + c.id());
            assertEquals(2 * label + r.getInt(3), r.getInt(4), "group of " + c.id());
            assertEquals(c.text(), r.getString(5), "text of " + c.id());
            assertNull(r.get(6), "no second text");
        }
        // fractions at the threshold count, below do not; identities outside WILDS' eight are ignored.
        assertEquals(1, rows.get("cc-103").getInt(3), "muslim 0.5");
        assertEquals(0, rows.get("cc-102").getInt(3), "female 0.4");
        assertEquals(1, rows.get("cc-106").getInt(3), "LGBTQ 0.75");
        assertEquals(0, rows.get("cc-305").getInt(3), "jewish is not one of the eight");
        assertEquals(0, rows.get("cc-205").getInt(2), "toxicity 0.49999");
        assertEquals(1, rows.get("cc-104").getInt(2), "toxicity 0.5");
    }

    @Test
    void identitiesChooseTheColumnsOfTheAttribute() throws IOException {
        TextFixtures.civilComments(root, TextFixtures.COMMENTS);
        Map<String, Row> rows = byId(List.of("jewish"));
        for (Row r : rows.values()) {
            assertEquals(r.getString(0).equals("cc-305") ? 1 : 0, r.getInt(3), r.getString(0));
        }
        Map<String, Object> d = source(List.of("jewish", "muslim")).describe();
        assertEquals(List.of("jewish", "muslim"), d.get("identities"));
        assertEquals("any", d.get("attribute"));
    }

    @Test
    void nanCellsAreNotMentions() throws IOException {
        List<Comment> comments = new ArrayList<>(TextFixtures.COMMENTS);
        comments.set(0, new Comment(101, "NaN identity", "train", "0.0", "male", "NaN", "white", "nan"));
        TextFixtures.civilComments(root, comments);
        assertEquals(0, byId(null).get("cc-101").getInt(3), "Spark orders NaN above 0.5; it must not count");
    }

    @Test
    void buildingTwiceGivesTheSameRows() throws IOException {
        TextFixtures.civilComments(root, TextFixtures.COMMENTS);
        assertEquals(source(null).examples(spark).orderBy("id").collectAsList(),
                source(null).examples(spark).orderBy("id").collectAsList());
    }

    // ---- bad input ----------------------------------------------------------------------------------

    private String badInput(List<Comment> comments) throws IOException {
        TextFixtures.civilComments(root, comments);
        BadInputException e = assertThrows(BadInputException.class, () -> source(null).examples(spark));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    private static List<Comment> with(int index, Comment c) {
        List<Comment> comments = new ArrayList<>(TextFixtures.COMMENTS);
        comments.set(index, c);
        return comments;
    }

    @Test
    void eachRuleIsRefusedWithTheReason() {
        BadInputException e = assertThrows(BadInputException.class, () ->
                new CivilCommentsSource(HadoopInputs.local(), root.toString(), null, AttributeRule.EACH));
        assertTrue(e.getMessage().startsWith("--attribute each: WILDS' evaluation groups"), e.getMessage());
        assertTrue(e.getMessage().contains("use --attribute any"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        BadInputException e = assertThrows(BadInputException.class, () -> source(null).examples(spark));
        assertEquals("civilcomments comments " + file() + ": no such file or directory", e.getMessage());
    }

    @Test
    void missingColumnIsNamed() throws IOException {
        List<String> lines = TextFixtures.civilLines(TextFixtures.COMMENTS);
        lines.set(0, lines.get(0).replace(",toxicity,", ",toxicity_score,"));
        Files.write(root.resolve(CivilCommentsSource.FILE), lines);
        BadInputException e = assertThrows(BadInputException.class, () -> source(null).examples(spark));
        assertTrue(e.getMessage().startsWith(file() + ": column 'toxicity' is missing (has: _c0, id, comment_text,"),
                e.getMessage());
    }

    @Test
    void missingIdentityColumnIsNamed() throws IOException {
        TextFixtures.civilComments(root, TextFixtures.COMMENTS);
        BadInputException e = assertThrows(BadInputException.class,
                () -> source(List.of("male", "martian")).examples(spark));
        assertTrue(e.getMessage().startsWith(file() + ": column 'martian' is missing"), e.getMessage());
    }

    @Test
    void toxicityThatIsNotANumber() throws IOException {
        assertEquals(file() + " record 5 (id 105), column 'toxicity': value 'toxic' is not a number",
                badInput(with(4, new Comment(105, "x", "train", "toxic"))));
    }

    @Test
    void toxicityOutsideTheUnitInterval() throws IOException {
        assertEquals(file() + " record 8 (id 202), column 'toxicity': value '1.5' is outside [0, 1]",
                badInput(with(7, new Comment(202, "x", "val", "1.5"))));
    }

    @Test
    void emptyToxicity() throws IOException {
        assertEquals(file() + " record 2 (id 102), column 'toxicity': is empty",
                badInput(with(1, new Comment(102, "x", "train", ""))));
    }

    @Test
    void identityOutsideTheUnitInterval() throws IOException {
        assertEquals(file() + " record 13 (id 301), column 'black': value '-0.1' is outside [0, 1]",
                badInput(with(12, new Comment(301, "x", "test", "0.1", "black", "-0.1"))));
    }

    @Test
    void unknownSplitValue() throws IOException {
        assertEquals(file() + " record 3 (id 103), column 'split': value 'dev' is out of range"
                        + " (expected train, val or test)",
                badInput(with(2, new Comment(103, "x", "dev", "0.1"))));
    }

    @Test
    void emptySplit() throws IOException {
        List<Comment> comments = new ArrayList<>();
        for (Comment c : TextFixtures.COMMENTS) {
            comments.add(c.split().equals("val") ? new Comment(c.id(), c.text(), "train", c.toxicity(), c.identities())
                    : c);
        }
        assertEquals(file() + ": split 'val' has no rows", badInput(comments));
    }

    @Test
    void repeatedId() throws IOException {
        assertEquals(file() + " record 18 (id 305), column 'id': id 'cc-305' appears 2 times (ids must be unique)",
                badInput(with(17, new Comment(305, "again", "test", "0.0"))));
    }
}
