package io.readout.datasets.io;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetadataCsvTest {

    @Test
    void readsHeaderRowsAndLineNumbersThroughBomCrlfQuotesAndBlankLines() {
        MetadataCsv csv = MetadataCsv.parse("m.csv", "\uFEFFimg_id,img_filename,y\r\n1,\"a, b.jpg\",0\r\n\r\n2,c.jpg,1\r\n");
        assertEquals(List.of("img_id", "img_filename", "y"), csv.header());
        assertEquals(2, csv.lines().size());
        assertEquals(2, csv.lines().get(0).number());
        assertEquals(4, csv.lines().get(1).number());
        assertEquals("a, b.jpg", csv.cell(csv.lines().get(0), csv.require("img_filename")));
        assertEquals(1, csv.intIn(csv.lines().get(1), csv.require("y"), "y", null, 0, 1));
    }

    @Test
    void missingColumnListsTheHeader() {
        MetadataCsv csv = MetadataCsv.parse("root/metadata.csv", "img_id,img_filename,y,split\n1,a.jpg,0,0\n");
        BadInputException e = assertThrows(BadInputException.class, () -> csv.require("place"));
        assertEquals("root/metadata.csv: column 'place' is missing (has: img_id, img_filename, y, split)",
                e.getMessage());
    }

    @Test
    void shortRowAndOutOfRangeValueNameTheLine() {
        MetadataCsv csv = MetadataCsv.parse("m.csv", "a,b\n1\n1,7\n");
        BadInputException short_ = assertThrows(BadInputException.class, () -> csv.cell(csv.lines().get(0), 1));
        assertEquals("m.csv line 2: has 1 cells, the header has 2", short_.getMessage());
        BadInputException range = assertThrows(BadInputException.class,
                () -> csv.intIn(csv.lines().get(1), 1, "b", "a 1", -1, 1));
        assertEquals("m.csv line 3 (a 1), column 'b': value '7' is out of range (expected -1 or 1)",
                range.getMessage());
    }
}
