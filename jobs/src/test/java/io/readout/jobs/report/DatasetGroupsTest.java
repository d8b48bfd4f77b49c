package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Group names, training sizes and the bias-conflicting rule on dataset.json files written by hand. */
class DatasetGroupsTest {
    private static JsonNode json(String text) {
        return Json.mapper().valueToTree(Json.readObject(text, "dataset.json"));
    }

    /** Binary label and attribute, g = 2y + a: groups 0..3. */
    private static final List<DatasetGroups.Key> BINARY = List.of(new DatasetGroups.Key(0, 0, 0),
            new DatasetGroups.Key(1, 0, 1), new DatasetGroups.Key(2, 1, 0), new DatasetGroups.Key(3, 1, 1));

    @Test
    void dominoesGroupsAreNamedSizedAndTheMinorityPairingsAreBiasConflicting() {
        DatasetGroups g = DatasetGroups.of("/data", json("""
                {"source": {"label_names": ["Dress", "Coat"], "attribute_names": ["digit 0", "digit 1"]},
                 "counts": {"train": {"total": 1000, "groups": {"0": 475, "1": 25, "2": 25, "3": 475}}}}"""), BINARY);
        assertEquals(List.of("Dress · digit 0", "Dress · digit 1", "Coat · digit 0", "Coat · digit 1"),
                g.groups().stream().map(DatasetGroups.Group::name).toList());
        assertEquals(List.of(475L, 25L, 25L, 475L), g.groups().stream().map(DatasetGroups.Group::trainSize).toList());
        assertEquals(List.of(1, 2), g.biasConflicting().stream().map(DatasetGroups.Group::group).toList());
        assertEquals("n=25", g.group(1).size());
        assertEquals("Coat", g.labelName(1));
        assertEquals("label 7", g.labelName(7));
        assertEquals("Dress · digit 1", g.name(1));
        assertEquals("group 9", g.name(9));
        assertNull(g.group(9));
        assertNull(g.note());
    }

    @Test
    void withoutNamesTheLabelAndAttributeAreNumbered() {
        DatasetGroups g = DatasetGroups.of("/data", json("""
                {"source": {}, "counts": {"train": {"total": 10, "groups": {"0": 4, "1": 1, "2": 1, "3": 4}}}}"""),
                BINARY);
        assertEquals("label 0 · attribute 1", g.name(1));
        assertEquals("label 1 · attribute 0", g.name(2));
        assertEquals("label 0", g.labelName(0));
    }

    @Test
    void groupsThatAreLabelsHaveNoAttributeAndNeverConflict() {
        DatasetGroups g = DatasetGroups.of("/data", json("""
                {"source": {}, "counts": {"train": {"total": 30, "groups": {"0": 25, "1": 5}}}}"""),
                List.of(new DatasetGroups.Key(0, 0, null), new DatasetGroups.Key(1, 1, null)));
        assertEquals(List.of("label 0", "label 1"), g.groups().stream().map(DatasetGroups.Group::name).toList());
        assertEquals(List.of(), g.biasConflicting());
    }

    @Test
    void onlyGroupsSmallerThanTheirLabelsLargestConflict() {
        // label 0: 80, 10, 10 (two minorities); label 1: 30, 30, 30 (no majority, none); label 2: only group 6;
        // group 8 of label 2 has no training example: smaller than group 6
        List<DatasetGroups.Key> keys = List.of(new DatasetGroups.Key(0, 0, 0), new DatasetGroups.Key(1, 0, 1),
                new DatasetGroups.Key(2, 0, 2), new DatasetGroups.Key(3, 1, 0), new DatasetGroups.Key(4, 1, 1),
                new DatasetGroups.Key(5, 1, 2), new DatasetGroups.Key(6, 2, 0), new DatasetGroups.Key(8, 2, 2),
                new DatasetGroups.Key(8, 2, 1));   // a second key of group 8: the first counts
        DatasetGroups g = DatasetGroups.of("/data", json("""
                {"source": {}, "counts": {"train": {"total": 260, "groups": {"0": 80, "1": 10, "2": 10, "3": 30,
                 "4": 30, "5": 30, "6": 40}}}}"""), keys);
        assertEquals(List.of(1, 2, 8), g.biasConflicting().stream().map(DatasetGroups.Group::group).toList());
        assertEquals(0L, g.group(8).trainSize());
        assertEquals(2, g.group(8).attribute());
        assertEquals(8, g.groups().size());
    }

    @Test
    void withoutTrainingCountsNoGroupIsSizedOrConflicting() {
        DatasetGroups g = DatasetGroups.of("/data", json("{\"source\": {\"label_names\": [\"a\", \"b\"]}}"), BINARY);
        assertEquals("a · attribute 1", g.name(1));
        assertNull(g.group(1).trainSize());
        assertEquals("", g.group(1).size());
        assertFalse(g.groups().stream().anyMatch(DatasetGroups.Group::biasConflicting));
        assertTrue(g.note().contains("no training counts"), g.note());
    }
}
