package io.readout.jobs.aggregate;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The maths over seeds, against values worked out by hand (dyadic fractions, so exact). */
class SeedSummaryTest {
    @Test
    void meanSampleStdMinMaxAndN() {
        // mean (0.25 + 0.75 + 0.5) / 3 = 0.5; squares 0.0625 + 0.0625 + 0 = 0.125; / (3 − 1) = 0.0625; sqrt 0.25
        assertEquals(new SeedSummary(0.5, 0.25, 0.25, 0.75, 3), SeedSummary.of(new double[] {0.25, 0.75, 0.5}));
        // two seeds: mean 0.625, squares 2 · 0.125² = 0.03125, / 1, sqrt = 0.17677669529663687
        SeedSummary two = SeedSummary.of(new double[] {0.5, 0.75});
        assertEquals(0.625, two.mean());
        assertEquals(Math.sqrt(0.03125), two.std());
        assertEquals(0.1767766952966369, two.std(), 1e-16);
        assertEquals(0, SeedSummary.of(new double[] {0.4, 0.4}).std());
    }

    @Test
    void oneSeedHasNoStandardDeviation() {
        assertEquals(new SeedSummary(0.8, null, 0.8, 0.8, 1), SeedSummary.of(new double[] {0.8}));
        assertThrows(IllegalArgumentException.class, () -> SeedSummary.of(new double[0]));
    }

    @Test
    void theSumFollowsTheSeedsOrder() {
        // (0.1 + 0.2) + 0.3 and (0.3 + 0.2) + 0.1 differ in the last bit: the order is part of the contract.
        assertEquals(((0.1 + 0.2) + 0.3) / 3, SeedSummary.of(new double[] {0.1, 0.2, 0.3}).mean());
        assertEquals(((0.3 + 0.2) + 0.1) / 3, SeedSummary.of(new double[] {0.3, 0.2, 0.1}).mean());
    }

    @Test
    void pairedDifferencesUseTheSeedsBothHave() {
        // seeds 0 and 2 in common: 0.75 − 0.5 = 0.25, 1.0 − 0.5 = 0.5; mean 0.375, std sqrt(2 · 0.125²) = sqrt(0.03125)
        SeedSummary p = SeedSummary.paired(new long[] {0, 1, 2}, new double[] {0.75, 0.5, 1.0},
                new long[] {0, 2, 3}, new double[] {0.5, 0.5, 0.25});
        assertEquals(new SeedSummary(0.375, Math.sqrt(0.03125), 0.25, 0.5, 2), p);
        // a run worse than its baseline: negative differences
        assertEquals(new SeedSummary(-0.25, null, -0.25, -0.25, 1), SeedSummary.paired(new long[] {3},
                new double[] {0.25}, new long[] {3}, new double[] {0.5}));
        assertNull(SeedSummary.paired(new long[] {1}, new double[] {0.5}, new long[] {2}, new double[] {0.5}));
    }

    @Test
    void figuresOfAMetricsFileLeaveNullOnesOut() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", "test");
        m.put("accuracy", 0.75);
        m.put("worst_group_accuracy", 0.5);
        m.put("group_mean_accuracy", 0.625);
        m.put("bias_conflicting_accuracy", null);
        assertEquals(Map.of("accuracy", 0.75, "wga", 0.5, "group_mean", 0.625), SeedFigures.of(Json.mapper().valueToTree(m), "m.json"));
        assertEquals(List.of("accuracy", "wga", "group_mean"), List.copyOf(SeedFigures.of(Json.mapper().valueToTree(m), "m.json").keySet()));
        m.put("bias_conflicting_accuracy", 0.25);
        assertEquals(0.25, SeedFigures.of(Json.mapper().valueToTree(m), "m.json").get("bias_conflicting"));
        m.remove("worst_group_accuracy");
        assertEquals("m.json: malformed metrics (worst_group_accuracy is missing)",
                assertThrows(BadInputException.class, () -> SeedFigures.of(Json.mapper().valueToTree(m), "m.json")).getMessage());
        m.put("worst_group_accuracy", "x");
        assertEquals("m.json: malformed metrics (worst_group_accuracy is not a number: x)",
                assertThrows(BadInputException.class, () -> SeedFigures.of(Json.mapper().valueToTree(m), "m.json")).getMessage());
        assertEquals("metrics/best/val.json", SeedFigures.file("best", "val"));
        assertEquals("metrics/test.json", SeedFigures.file("final", "test"));
    }
}
