package io.readout.common.metrics;

import io.readout.common.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link GroupMetrics} against tables computed by hand. */
class GroupMetricsTest {
    private static final double EXACT = 0.0;

    /**
     * Four groups of a binary label and attribute (group = 2 label + attribute): groups 1 and 2
     * are bias-conflicting. Accuracies 9/10, 1/4, 3/5, 11/11; 24 of 30 right overall.
     */
    private static final List<GroupCount> FOUR_GROUPS = List.of(
            GroupCount.of(0, 10, 9, false),
            GroupCount.of(1, 4, 1, true),
            GroupCount.of(2, 5, 3, true),
            GroupCount.of(3, 11, 11, false));

    @Test
    void fourGroupsByHand() {
        SplitMetrics m = GroupMetrics.of("val", FOUR_GROUPS);
        assertEquals("val", m.split());
        assertEquals(30, m.n());
        assertEquals(24.0 / 30, m.accuracy(), EXACT);
        assertEquals(0.25, m.worstGroupAccuracy(), EXACT);
        assertEquals(1, m.worstGroup());
        assertEquals((0.9 + 0.25 + 0.6 + 1.0) / 4, m.groupMeanAccuracy(), 1e-15);
        assertEquals(0.6875, m.groupMeanAccuracy(), 1e-15);
        assertEquals(4.0 / 9, m.biasConflictingAccuracy(), EXACT);
        assertEquals(List.of(new GroupAccuracy(0, 10, 0.9), new GroupAccuracy(1, 4, 0.25),
                new GroupAccuracy(2, 5, 0.6), new GroupAccuracy(3, 11, 1.0)), m.groups());
    }

    @Test
    void aGroupWithNoExamplesIsListedButCountsNowhere() {
        List<GroupCount> withEmpty = new ArrayList<>(FOUR_GROUPS);
        withEmpty.add(0, new GroupCount(4, 0, 0));
        SplitMetrics m = GroupMetrics.of("val", withEmpty);
        SplitMetrics without = GroupMetrics.of("val", FOUR_GROUPS);
        assertEquals(5, m.groups().size());
        assertEquals(4, m.groups().get(4).group(), "sorted by group id");
        assertTrue(Double.isNaN(m.groups().get(4).accuracy()));
        assertEquals(without.n(), m.n());
        assertEquals(without.accuracy(), m.accuracy(), EXACT);
        assertEquals(0.25, m.worstGroupAccuracy(), EXACT, "an empty group is not the worst (it would be 0 or NaN)");
        assertEquals(1, m.worstGroup());
        assertEquals(0.6875, m.groupMeanAccuracy(), 1e-15, "the mean is over the 4 groups with examples");
        Map<?, ?> emptyRow = (Map<?, ?>) ((List<?>) m.toJson().get("groups")).get(4);
        assertTrue(emptyRow.containsKey("accuracy"));
        assertNull(emptyRow.get("accuracy"), "JSON has no NaN: an empty group's accuracy is null");
    }

    @Test
    void aSingleGroup() {
        SplitMetrics m = GroupMetrics.of("test", List.of(new GroupCount(7, 3, 2)));
        assertEquals(3, m.n());
        assertEquals(2.0 / 3, m.accuracy(), EXACT);
        assertEquals(2.0 / 3, m.worstGroupAccuracy(), EXACT);
        assertEquals(7, m.worstGroup());
        assertEquals(2.0 / 3, m.groupMeanAccuracy(), EXACT);
        assertNull(m.biasConflictingAccuracy(), "no attribute, no bias-conflicting figure");
    }

    @Test
    void tiesGoToTheSmallestGroupIdWhateverTheOrder() {
        // 1/2 = 2/4 and 1/3 = 2/6: equal as fractions though the counts differ.
        SplitMetrics half = GroupMetrics.of("val", List.of(new GroupCount(5, 2, 1), new GroupCount(9, 10, 10),
                new GroupCount(2, 4, 2)));
        assertEquals(2, half.worstGroup());
        assertEquals(0.5, half.worstGroupAccuracy(), EXACT);
        SplitMetrics third = GroupMetrics.of("val", List.of(new GroupCount(3, 6, 2), new GroupCount(1, 3, 1),
                new GroupCount(0, 5, 5)));
        assertEquals(1, third.worstGroup());
        assertEquals(1.0 / 3, third.worstGroupAccuracy(), EXACT);
        assertEquals((1.0 / 3 + 1.0 / 3 + 1.0) / 3, third.groupMeanAccuracy(), 1e-15);
    }

    @Test
    void biasConflictingAccuracyCountsExamplesNotGroups() {
        // A group mixing conflicting and aligned examples (a user-defined group column).
        SplitMetrics m = GroupMetrics.of("val", List.of(new GroupCount(0, 10, 8, 4, 1), new GroupCount(1, 6, 6, 2, 2)));
        assertEquals(3.0 / 6, m.biasConflictingAccuracy(), EXACT);
        // Attribute known but agreeing with the label everywhere: no conflicting example, null.
        assertNull(GroupMetrics.of("train", List.of(GroupCount.of(0, 5, 5, false), GroupCount.of(3, 5, 4, false)))
                .biasConflictingAccuracy());
    }

    @Test
    void refusesWhatIsNotATable() {
        assertThrows(IllegalArgumentException.class, () -> GroupMetrics.of("val", List.of()));
        assertThrows(IllegalArgumentException.class, () -> GroupMetrics.of("val", List.of(new GroupCount(0, 0, 0))));
        assertThrows(IllegalArgumentException.class,
                () -> GroupMetrics.of("val", List.of(new GroupCount(1, 2, 1), new GroupCount(1, 3, 1))));
        assertThrows(IllegalArgumentException.class, () -> new GroupCount(0, 2, 3));
        assertThrows(IllegalArgumentException.class, () -> new GroupCount(0, 4, 2, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new GroupCount(0, 4, 1, 3, 2));
    }

    @Test
    void jsonInTheContractsShapeAndOrder() {
        SplitMetrics m = GroupMetrics.of("val", FOUR_GROUPS);
        Map<String, Object> parsed = Json.readObject(Json.write(m.toJson()), "metrics");
        assertEquals(List.of("split", "n", "accuracy", "worst_group_accuracy", "worst_group", "group_mean_accuracy",
                "bias_conflicting_accuracy", "groups"), List.copyOf(parsed.keySet()));
        assertEquals("val", parsed.get("split"));
        assertEquals(30, ((Number) parsed.get("n")).intValue());
        assertEquals(0.8, (Double) parsed.get("accuracy"), EXACT);
        assertEquals(0.25, (Double) parsed.get("worst_group_accuracy"), EXACT);
        assertEquals(1, parsed.get("worst_group"));
        assertEquals(0.6875, (Double) parsed.get("group_mean_accuracy"), 1e-15);
        assertEquals(4.0 / 9, (Double) parsed.get("bias_conflicting_accuracy"), EXACT);
        assertEquals(Map.of("group", 2, "n", 5, "accuracy", 0.6), ((List<?>) parsed.get("groups")).get(2));
        assertEquals(m, SplitMetrics.fromJson(parsed), "round trip");

        Map<String, Object> noAttribute = GroupMetrics.of("test", List.of(new GroupCount(0, 2, 1))).toJson();
        assertTrue(noAttribute.containsKey("bias_conflicting_accuracy"));
        assertNull(noAttribute.get("bias_conflicting_accuracy"));
        assertTrue(Json.write(noAttribute).contains("\"bias_conflicting_accuracy\" : null"));
    }
}
