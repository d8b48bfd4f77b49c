package io.readout.jobs.passes;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WeightsSummaryTest {
    /** Group 0: 3 right (raw 1), group 1: 1 right, 2 wrong with raw 3 and 5 (confidence 0.9 and 0.7). */
    private static final List<WeightsSummary.Group> GROUPS = List.of(
            new WeightsSummary.Group(0, 3, 0, 3.0, 0.0, 3, List.of()),
            new WeightsSummary.Group(1, 3, 2, 9.0, 1.6, 1, List.of(3f, 5f)));

    @Test
    void figuresCarryOverTheScaleByHand() {
        // Mean raw weight (3 + 9) / 6 = 2, so weights are raw / 2: 0.5 ×4, 1.5, 2.5.
        assertEquals(2.0, WeightsSummary.meanRaw(GROUPS), 1e-12);
        WeightsSummary.Summary s = WeightsSummary.of(GROUPS, 0.5);
        assertEquals(6L, s.examples());
        assertEquals(2L, s.flagged());
        assertEquals(2.0 / 6, s.flaggedFraction(), 1e-12);
        assertEquals(1.0, s.meanWeight(), 1e-12);
        assertEquals(0.8, s.meanErrorConfidence(), 1e-12);
        assertEquals(2.0, s.meanRawWeight(), 1e-12);
        assertEquals(2.5, s.maxWeight(), 1e-12);
        // Bins [0,0.5) [0.5,1) [1,1.5) [1.5,2) [2,3) ...: 0.5 ×4 → bin 1, 1.5 → bin 3, 2.5 → bin 4.
        assertEquals(List.of(0L, 4L, 0L, 1L, 1L, 0L, 0L, 0L, 0L),
                s.histogram().stream().map(WeightsSummary.Bin::count).toList());
        WeightsSummary.GroupSummary g0 = s.groups().get(0);
        WeightsSummary.GroupSummary g1 = s.groups().get(1);
        assertEquals(0.5, g0.meanWeight(), 1e-12);
        assertNull(g0.meanErrorConfidence());
        assertEquals(0.0, g0.flaggedFraction());
        assertEquals((0.5 + 1.5 + 2.5) / 3, g1.meanWeight(), 1e-12);
        assertEquals(0.8, g1.meanErrorConfidence(), 1e-12);
    }

    @Test
    void binsAreTheLastEdgeAtOrBelow() {
        assertEquals(0, WeightsSummary.bin(0.0));
        assertEquals(1, WeightsSummary.bin(0.5));
        assertEquals(1, WeightsSummary.bin(0.9999));
        assertEquals(8, WeightsSummary.bin(100));
        assertEquals((float) (3f * (1 / 3.0)), WeightsSummary.weight(3f, 1 / 3.0));
    }

    @Test
    void talliesOfPartitionsMergeIntoTheGroups() {
        // GROUPS as two partitions' verdicts: group 1's wrong examples in different partitions.
        WeightsSummary.Tally a = new WeightsSummary.Tally();
        a.add(1, true, 3f, 0.9f);
        a.add(0, false, 1f, 0.8f);
        a.add(0, false, 1f, 0.7f);
        WeightsSummary.Tally b = new WeightsSummary.Tally();
        b.add(0, false, 1f, 0.6f);
        b.add(1, false, 1f, 0.9f);
        b.add(1, true, 5f, 0.7f);
        List<WeightsSummary.Group> merged = new WeightsSummary.Tally().merge(a).merge(b).groups();
        assertEquals(GROUPS.get(0), merged.get(0));
        WeightsSummary.Group g1 = merged.get(1);
        assertEquals(List.of(1, 3L, 2L, 9.0, 1L), List.of(g1.group(), g1.n(), g1.flagged(), g1.rawSum(), g1.ones()));
        assertEquals(1.6, g1.errorConfidence(), 1e-6);
        assertEquals(List.of(3f, 5f), g1.otherRaw());
    }
}
