package io.readout.datasets.table;

import io.readout.common.BadInputException;
import io.readout.datasets.ImageShape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableColumnsTest {
    private static final ImageShape SIZE = new ImageShape(8, 8, 3);

    @Test
    void featureTableNormalisesFormatAndCopiesColumns() {
        TableColumns c = new TableColumns(" CSV ", "y", "split", null, null, null, List.of("x1", "x2"), null, null, 2);
        assertEquals("csv", c.format());
        assertFalse(c.isImage());
        assertEquals(List.of("x1", "x2"), c.featureCols());
    }

    @Test
    void imageTableNeedsASize() {
        assertTrue(new TableColumns(null, "y", "split", "a", null, null, null, "path", SIZE, null).isImage());
        BadInputException e = assertThrows(BadInputException.class,
                () -> new TableColumns(null, "y", "split", "a", null, null, null, "path", null, null));
        assertEquals("table columns: image column 'path' needs an image size", e.getMessage());
    }

    @Test
    void featuresAndImageAreExclusiveAndOneIsRequired() {
        BadInputException both = assertThrows(BadInputException.class,
                () -> new TableColumns(null, "y", "s", null, null, null, List.of("x"), "path", SIZE, null));
        assertEquals("table columns: give either feature columns or an image column, not both", both.getMessage());
        BadInputException neither = assertThrows(BadInputException.class,
                () -> new TableColumns(null, "y", "s", null, null, null, List.of(), null, null, null));
        assertEquals("table columns: give either feature columns or an image column", neither.getMessage());
    }

    @Test
    void unknownFormatMissingLabelAndNonPositiveClassesAreRejected() {
        assertEquals("table format 'orc': expected parquet or csv", assertThrows(BadInputException.class,
                () -> new TableColumns("orc", "y", "s", null, null, null, List.of("x"), null, null, null)).getMessage());
        assertEquals("table columns: the label column is not named", assertThrows(BadInputException.class,
                () -> TableColumns.ofFeatures(null, "s", List.of("x"))).getMessage());
        assertThrows(BadInputException.class,
                () -> new TableColumns(null, "y", "s", null, null, null, List.of("x"), null, null, 0));
    }
}
