package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.text.MultiNliSource.SplitScheme;
import io.readout.datasets.text.TextFixtures.Pair;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultiNliSourceIT extends SharedSparkSession {
    @TempDir
    Path root;

    private MultiNliSource source(SplitScheme scheme) {
        return new MultiNliSource(HadoopInputs.local(), root.toString(), scheme);
    }

    private static Map<String, Row> byId(List<Row> rows) {
        Map<String, Row> out = new HashMap<>();
        rows.forEach(r -> out.put(r.getString(0), r));
        return out;
    }

    private String path(String name) {
        return root.resolve(name).toString();
    }

    @Test
    void presetSplitIsTheFilesWithLabelsNegationAndBothTexts() throws IOException {
        TextFixtures.multiNli(root);
        MultiNliSource source = source(SplitScheme.PRESET);
        var examples = source.examples(spark);
        assertEquals(ExamplesSchema.TEXT_SCHEMA, examples.schema());
        Map<String, Row> rows = byId(examples.collectAsList());
        assertEquals(22, rows.size(), "24 pairs, 2 without gold label");
        Map<String, String> splitOf = new HashMap<>();
        TextFixtures.TRAIN.forEach(p -> splitOf.put(p.pairId(), "train"));
        TextFixtures.DEV_MATCHED.forEach(p -> splitOf.put(p.pairId(), "val"));
        TextFixtures.DEV_MISMATCHED.forEach(p -> splitOf.put(p.pairId(), "test"));
        for (Pair p : TextFixtures.allPairs()) {
            Row r = rows.get("mnli-" + p.pairId());
            if (p.gold().equals("-")) {
                assertFalse(rows.containsKey("mnli-" + p.pairId()), p.pairId());
                continue;
            }
            int label = List.of("contradiction", "entailment", "neutral").indexOf(p.gold());
            int negation = TextFixtures.negated(p.pairId()) ? 1 : 0;
            assertEquals(splitOf.get(p.pairId()), r.getString(1), "split of " + p.pairId());
            assertEquals(label, r.getInt(2), "label of " + p.pairId());
            assertEquals(negation, r.getInt(3), "negation of " + p.pairId() + ": " + p.hypothesis());
            assertEquals(2 * label + negation, r.getInt(4), "group of " + p.pairId());
            assertEquals(p.premise(), r.getString(5));
            assertEquals(p.hypothesis(), r.getString(6));
        }
        Map<String, Object> d = source.describe();
        assertEquals(Map.of(MultiNliSource.TRAIN, 1L, MultiNliSource.DEV_MATCHED, 1L, MultiNliSource.DEV_MISMATCHED, 0L),
                d.get("dropped_without_gold_label"));
        assertEquals("preset", d.get("split_scheme"));
    }

    @Test
    void groupDroSplitComesFromItsMetadataByPosition() throws IOException {
        TextFixtures.multiNliWithGroupDroSplit(root);
        MultiNliSource source = source(SplitScheme.GROUPDRO);
        Map<String, Row> rows = byId(source.examples(spark).collectAsList());
        assertEquals(22, rows.size());
        List<Pair> all = TextFixtures.allPairs();
        for (int i = 0; i < all.size(); i++) {
            Pair p = all.get(i);
            if (!p.gold().equals("-")) {
                assertEquals(List.of("train", "val", "test").get(TextFixtures.groupDroSplit(i)),
                        rows.get("mnli-" + p.pairId()).getString(1), "split of " + p.pairId() + " at " + i);
            }
        }
        assertEquals(0L, source.describe().get("negation_disagreements_with_metadata"));
    }

    @Test
    void groupDroAttributeIsTheMetadataOneAndDisagreementsAreCounted() throws IOException {
        TextFixtures.multiNli(root);
        List<String> lines = TextFixtures.groupDroMetadataLines();
        lines.set(1, "0,1,0,0"); // 1e: "Nobody is awake." -- the metadata says no negation
        TextFixtures.groupDroMetadata(root, lines);
        MultiNliSource source = source(SplitScheme.GROUPDRO);
        Row r = byId(source.examples(spark).collectAsList()).get("mnli-1e");
        assertEquals(0, r.getInt(3));
        assertEquals(2, r.getInt(4));
        assertEquals(1L, source.describe().get("negation_disagreements_with_metadata"));
    }

    @Test
    void blankLinesAreSkippedAsPandasSkipsThem() throws IOException {
        TextFixtures.multiNliWithGroupDroSplit(root);
        Path train = root.resolve(MultiNliSource.TRAIN);
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        lines.add(3, "");
        lines.add("   ");
        Files.write(train, lines);
        assertEquals(22, source(SplitScheme.GROUPDRO).examples(spark).count());
    }

    // ---- bad input ----------------------------------------------------------------------------------

    private String badInput(SplitScheme scheme) {
        BadInputException e = assertThrows(BadInputException.class, () -> source(scheme).examples(spark));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    /** Line {@code index} (from 0) of a written release file replaced by {@code text}, as a broken release would have it. */
    private void replaceLine(String file, int index, String text) throws IOException {
        Path path = root.resolve(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(path));
        lines.set(index, text);
        Files.write(path, lines);
    }

    private void replacePair(String file, int index, Pair p) throws IOException {
        List<Pair> pairs = new ArrayList<>(switch (file) {
            case MultiNliSource.TRAIN -> TextFixtures.TRAIN;
            case MultiNliSource.DEV_MATCHED -> TextFixtures.DEV_MATCHED;
            default -> TextFixtures.DEV_MISMATCHED;
        });
        pairs.set(index, p);
        TextFixtures.writePairs(root.resolve(file), pairs);
    }

    @Test
    void missingFileIsNamed() throws IOException {
        TextFixtures.multiNli(root);
        Files.delete(root.resolve(MultiNliSource.DEV_MISMATCHED));
        assertEquals("multinli pairs " + path(MultiNliSource.DEV_MISMATCHED) + ": no such file or directory",
                badInput(SplitScheme.PRESET));
    }

    @Test
    void missingGroupDroSplitSaysWhereItComesFrom() throws IOException {
        TextFixtures.multiNli(root);
        String m = badInput(SplitScheme.GROUPDRO);
        assertTrue(m.startsWith("multinli split " + path("metadata_random.csv") + ": no such file"), m);
        assertTrue(m.contains("kohpangwei/group_DRO") && m.contains("--split-scheme preset"), m);
    }

    @Test
    void unknownGoldLabel() throws IOException {
        TextFixtures.multiNli(root);
        replacePair(MultiNliSource.DEV_MATCHED, 2, new Pair("5c", "contradicts", "A cat.", "Never a cat."));
        assertEquals(path(MultiNliSource.DEV_MATCHED) + " line 3 (pairID 5c), field 'gold_label': value 'contradicts'"
                + " is out of range (expected contradiction, entailment, neutral or -)", badInput(SplitScheme.PRESET));
    }

    @Test
    void lineThatIsNotJson() throws IOException {
        TextFixtures.multiNli(root);
        replaceLine(MultiNliSource.TRAIN, 4, "{\"gold_label\": \"neutral\", \"sentence1\": \"cut off");
        assertEquals(path(MultiNliSource.TRAIN) + " line 5, not a JSON object", badInput(SplitScheme.PRESET));
    }

    @Test
    void missingHypothesis() throws IOException {
        TextFixtures.multiNli(root);
        replaceLine(MultiNliSource.DEV_MISMATCHED, 1,
                "{\"gold_label\": \"neutral\", \"sentence1\": \"Sun.\", \"pairID\": \"7n\"}");
        assertEquals(path(MultiNliSource.DEV_MISMATCHED) + " line 2 (pairID 7n), field 'sentence2': is missing",
                badInput(SplitScheme.PRESET));
    }

    @Test
    void emptySplit() throws IOException {
        TextFixtures.multiNli(root);
        List<Pair> unlabelled = new ArrayList<>();
        TextFixtures.DEV_MATCHED.forEach(p -> unlabelled.add(new Pair(p.pairId(), "-", p.premise(), p.hypothesis())));
        TextFixtures.writePairs(root.resolve(MultiNliSource.DEV_MATCHED), unlabelled);
        String m = badInput(SplitScheme.PRESET);
        assertTrue(m.endsWith(": split 'val' has no rows"), m);
    }

    @Test
    void repeatedPairId() throws IOException {
        TextFixtures.multiNli(root);
        replacePair(MultiNliSource.DEV_MISMATCHED, 5, new Pair("1c", "contradiction", "Wind.", "No wind."));
        assertEquals(path(MultiNliSource.DEV_MISMATCHED) + " line 6 (pairID 1c), field 'pairID': id 'mnli-1c'"
                + " appears 2 times (ids must be unique)", badInput(SplitScheme.PRESET));
    }

    @Test
    void metadataOfOtherFilesIsRefused() throws IOException {
        TextFixtures.multiNliWithGroupDroSplit(root);
        // One pair fewer in train: every later position moves, labels stop matching.
        List<Pair> train = new ArrayList<>(TextFixtures.TRAIN);
        train.remove(0);
        TextFixtures.writePairs(root.resolve(MultiNliSource.TRAIN), train);
        String m = badInput(SplitScheme.GROUPDRO);
        assertTrue(m.startsWith(path(MultiNliSource.TRAIN) + " line 1 (pairID 1n), gold_label 'neutral' but "
                + path("metadata_random.csv") + " record 1 (index 0) says 1 (entailment)"), m);
    }

    @Test
    void metadataSplitCodeOutOfRange() throws IOException {
        TextFixtures.multiNli(root);
        List<String> lines = TextFixtures.groupDroMetadataLines();
        lines.set(3, "2,0,1,3");
        TextFixtures.groupDroMetadata(root, lines);
        assertEquals(path("metadata_random.csv") + " record 3, column 'split': value '3' is out of range"
                + " (expected 0, 1 or 2)", badInput(SplitScheme.GROUPDRO));
    }

    @Test
    void metadataWithoutAPairsRow() throws IOException {
        TextFixtures.multiNli(root);
        List<String> lines = TextFixtures.groupDroMetadataLines();
        lines.remove(2); // index 1, pair 1n
        TextFixtures.groupDroMetadata(root, lines);
        assertEquals(path(MultiNliSource.TRAIN) + " line 2 (pairID 1n), no row with index 1 in "
                + path("metadata_random.csv"), badInput(SplitScheme.GROUPDRO));
    }

    @Test
    void metadataMissingAColumn() throws IOException {
        TextFixtures.multiNli(root);
        List<String> lines = TextFixtures.groupDroMetadataLines();
        lines.set(0, ",gold_label,has_negation,split");
        TextFixtures.groupDroMetadata(root, lines);
        String m = badInput(SplitScheme.GROUPDRO);
        assertTrue(m.startsWith(path("metadata_random.csv") + ": column 'sentence2_has_negation' is missing"), m);
    }

    @Test
    void describeNamesTheFilesAndRules() {
        Map<String, Object> d = new LinkedHashMap<>(source(SplitScheme.GROUPDRO).describe());
        assertEquals(List.of("contradiction", "entailment", "neutral"), d.get("labels"));
        assertEquals("groupdro", d.get("split_scheme"));
    }
}
