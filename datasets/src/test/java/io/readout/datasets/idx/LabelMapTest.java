package io.readout.datasets.idx;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LabelMapTest {

    @Test
    void classesAreLabelledInTheOrderGiven() {
        LabelMap m = LabelMap.parse("4,3", null);
        assertEquals(0, m.labelOf(4));
        assertEquals(1, m.labelOf(3));
        assertEquals(-1, m.labelOf(5));
        assertEquals(2, m.numClasses());
    }

    @Test
    void explicitMapMayMergeClasses() {
        LabelMap m = LabelMap.parse(null, "0:0,1:0,7:1");
        assertEquals(Map.of(0, 0, 1, 0, 7, 1), m.asMap());
        assertEquals(2, m.numClasses());
    }

    @Test
    void classesRestrictAnExplicitMap() {
        LabelMap m = LabelMap.parse("3,4", "3:1,4:0,5:2");
        assertEquals(Map.of(3, 1, 4, 0), m.asMap());
    }

    @Test
    void neitherFlagMeansIdentityLater() {
        assertNull(LabelMap.parse(null, " "));
    }

    @Test
    void malformedFlagsAreOneLineErrors() {
        assertEquals("--classes '3,x': 'x' is not a non-negative integer",
                assertThrows(BadInputException.class, () -> LabelMap.parse("3,x", null)).getMessage());
        assertEquals("--label-map '3-0': entry '3-0' is not CLASS:LABEL",
                assertThrows(BadInputException.class, () -> LabelMap.parse(null, "3-0")).getMessage());
        assertEquals("--label-map '3:0,4:2': labels must be 0..2 without gaps; no class maps to 1",
                assertThrows(BadInputException.class, () -> LabelMap.parse(null, "3:0,4:2")).getMessage());
        assertEquals("--classes '3,3': class 3 is listed twice",
                assertThrows(BadInputException.class, () -> LabelMap.parse("3,3", null)).getMessage());
    }

    @Test
    void aKeptClassAbsentFromTheDataIsOutOfRange() {
        IdxFile.Labels labels = new IdxFile.Labels("labels.gz", 3, new byte[] {0, 1, 1});
        BadInputException e = assertThrows(BadInputException.class,
                () -> LabelMap.parse("1,12", null).requirePresent(labels));
        assertEquals("labels.gz: class 12 (kept by --classes/--label-map) is out of range: no label 12 in the file",
                e.getMessage());
    }
}
