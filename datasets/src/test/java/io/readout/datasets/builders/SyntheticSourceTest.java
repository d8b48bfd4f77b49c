package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.datasets.Example;
import io.readout.datasets.Split;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticSourceTest {

    @Test
    void groupCountsFollowRhoExactly() {
        List<Example> ex = SyntheticSource.defaults(0).build();
        Map<String, Integer> counts = new HashMap<>();
        ex.forEach(e -> counts.merge(e.split().column() + "/" + e.group(), 1, Integer::sum));
        assertEquals(Map.ofEntries(
                Map.entry("train/0", 950), Map.entry("train/1", 50), Map.entry("train/2", 50), Map.entry("train/3", 950),
                Map.entry("val/0", 125), Map.entry("val/1", 125), Map.entry("val/2", 125), Map.entry("val/3", 125),
                Map.entry("test/0", 125), Map.entry("test/1", 125), Map.entry("test/2", 125), Map.entry("test/3", 125)),
                counts);
    }

    @Test
    void theCornerPatchCarriesTheAttribute() {
        for (Example e : SyntheticSource.defaults(3).build().subList(0, 200)) {
            int sum = 0;
            for (int r = 0; r < SyntheticSource.PATCH; r++) {
                for (int c = 0; c < SyntheticSource.PATCH; c++) {
                    sum += e.image()[r * 16 + c] & 0xff;
                }
            }
            double mean = sum / 16.0 / 255.0;
            assertTrue(e.attribute() == 1 ? mean > 0.75 : mean < 0.25, e.id() + " patch mean " + mean);
        }
    }

    @Test
    void theStripesCarryTheLabel() {
        // Without noise, the rows of a horizontal-stripe image are constant along the row, and the columns
        // of a vertical-stripe image constant along the column (outside the patch).
        SyntheticSource clean = new SyntheticSource(8, 4, 4, 0.5, 0.3, 0.0, 1);
        for (Example e : clean.build()) {
            byte[] im = e.image();
            boolean rowsConstant = true;
            boolean colsConstant = true;
            for (int r = SyntheticSource.PATCH; r < 16; r++) {
                for (int c = SyntheticSource.PATCH + 1; c < 16; c++) {
                    rowsConstant &= im[r * 16 + c] == im[r * 16 + c - 1];
                    colsConstant &= im[r * 16 + c] == im[(r - 1) * 16 + c];
                }
            }
            assertEquals(e.label() == 0, rowsConstant, e.id());
            assertEquals(e.label() == 1, colsConstant, e.id());
            assertFalse(rowsConstant && colsConstant);
        }
    }

    @Test
    void deterministicInTheSeed() {
        List<Example> a = SyntheticSource.defaults(5).build();
        List<Example> b = SyntheticSource.defaults(5).build();
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k).image(), b.get(k).image());
            assertEquals(a.get(k).attribute(), b.get(k).attribute());
        }
        assertFalse(Arrays.equals(a.get(0).image(), SyntheticSource.defaults(6).build().get(0).image()));
        assertEquals(Split.TEST, a.get(a.size() - 1).split());
    }

    @Test
    void badSizesAndRangesAreRefused() {
        assertEquals("--n-val 2 must be at least 4 (one example per group)",
                assertThrows(BadInputException.class, () -> new SyntheticSource(10, 2, 10, 0.9, 0.1, 0.1, 0)).getMessage());
        assertEquals("--rho -0.1 is outside [0, 1]",
                assertThrows(BadInputException.class, () -> new SyntheticSource(10, 10, 10, -0.1, 0.1, 0.1, 0)).getMessage());
        assertEquals("--rho NaN is outside [0, 1]",
                assertThrows(BadInputException.class, () -> new SyntheticSource(10, 10, 10, Double.NaN, 0.1, 0.1, 0)).getMessage());
    }
}
