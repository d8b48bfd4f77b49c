package io.readout.jobs.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trials that differ only by seed, summarised by hand-computed means and sample standard deviations. */
class SeedGroupsTest {
    private static TrialResult trial(int id, int workers, int seed, double finalTestWga) {
        Map<String, FlagValue> values = TestValues.values("workers", workers, "seed", seed);
        TrialResult.Scores s = new TrialResult.Scores(0.9, 0.5, 0.7);
        return new TrialResult(id, "/r" + id, TrialResult.COMPLETE, values, "{}", 8, s, s, s,
                new TrialResult.Scores(0.8, finalTestWga, 0.6), 1.0, null);
    }

    @Test
    void trialsAreGroupedByEveryValueButTheSeed() {
        Map<String, List<FlagValue>> space = TestValues.space("workers", List.of(1, 2), "seed", List.of(0, 1, 2));
        List<TrialResult> results = List.of(trial(0, 1, 0, 0.5), trial(1, 1, 1, 0.6), trial(2, 1, 2, 0.7),
                trial(3, 2, 0, 0.2), trial(4, 2, 1, 0.4),
                new TrialResult(5, "/r5", TrialResult.DIVERGED, TestValues.values("workers", 2, "seed", 2), "{}", null, null,
                        null, null, null, 1.0, "NaN"));
        List<SeedGroups.Group> groups = SeedGroups.of(results, space);
        assertEquals(2, groups.size());
        assertEquals(TestValues.values("workers", 1), groups.get(0).values());
        assertEquals(3, groups.get(0).n());
        assertEquals(TestValues.list(List.of(0, 1, 2)), groups.get(0).seeds());
        SeedGroups.Stats wga = groups.get(0).finalModel().test().worstGroupAccuracy();
        assertEquals(0.6, wga.mean(), 1e-12);
        // sample std of 0.5, 0.6, 0.7: sqrt((0.01 + 0 + 0.01) / 2) = 0.1
        assertEquals(0.1, wga.std(), 1e-12);
        assertEquals(0.5, wga.min());
        assertEquals(0.7, wga.max());
        assertEquals(2, groups.get(1).n(), "the diverged trial is not a measurement");
        assertEquals(0.3, groups.get(1).finalModel().test().worstGroupAccuracy().mean(), 1e-12);
        assertEquals(0.0, groups.get(1).best().val().accuracy().std(), 0.0);
        List<SeedGroups.SeedRun> runs = groups.get(1).runs();
        assertEquals(List.of(3, 4), runs.stream().map(SeedGroups.SeedRun::trial).toList(), "each seed's own trial");
        assertEquals(TestValues.list(List.of(0, 1)), runs.stream().map(SeedGroups.SeedRun::seed).toList());
        assertEquals(0.4, runs.get(1).finalTest().worstGroupAccuracy(), 0.0, "the trial's own figure, not a mean");
        String table = SeedGroups.format(groups);
        assertTrue(table.contains("0.6000 ± 0.1000"), table);
    }

    @Test
    void oneSeedHasNoSpreadAndASpaceWithoutSeedsNoGroups() {
        Map<String, List<FlagValue>> space = TestValues.space("workers", List.of(1), "seed", List.of(0));
        assertNull(SeedGroups.of(List.of(trial(0, 1, 0, 0.5)), space).get(0).finalModel().test().accuracy().std());
        assertEquals(List.of(), SeedGroups.of(List.of(trial(0, 1, 0, 0.5)), TestValues.space("workers", List.of(1))));
    }
}
