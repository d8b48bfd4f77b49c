package io.readout.jobs.sweep;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchSpaceTest {
    private static SearchSpace space(Object... flagsAndValues) {
        Map<String, List<FlagValue>> m = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) {
            m.put((String) flagsAndValues[i], TestValues.list(List.of((Object[]) flagsAndValues[i + 1])));
        }
        return new SearchSpace(m);
    }

    @Test
    void theGridIsTheCartesianProductWithTheLastFlagFastest() {
        SearchSpace s = space("lr", new Object[] {0.001, 0.01}, "epochs", new Object[] {1, 2, 3}, "arch",
                new Object[] {"student"});
        assertEquals(6, s.size());
        List<Map<String, FlagValue>> grid = s.grid();
        assertEquals(6, grid.size());
        assertEquals(List.of(
                TestValues.values("lr", 0.001, "epochs", 1, "arch", "student"),
                TestValues.values("lr", 0.001, "epochs", 2, "arch", "student"),
                TestValues.values("lr", 0.001, "epochs", 3, "arch", "student"),
                TestValues.values("lr", 0.01, "epochs", 1, "arch", "student"),
                TestValues.values("lr", 0.01, "epochs", 2, "arch", "student"),
                TestValues.values("lr", 0.01, "epochs", 3, "arch", "student")), grid);
        assertEquals(List.of("lr", "epochs", "arch"), new ArrayList<>(grid.get(0).keySet()), "flags keep the file's order");
    }

    @Test
    void randomDrawsAreReproducibleDistinctAndAPrefixOfLargerDraws() {
        SearchSpace s = space("lr", new Object[] {1e-4, 3e-4, 1e-3, 3e-3, 1e-2}, "batch", new Object[] {16, 32, 64, 128},
                "weight-decay", new Object[] {0, 1e-4, 1e-3});
        List<Map<String, FlagValue>> a = s.sample(20, 7);
        assertEquals(a, s.sample(20, 7), "the same seed draws the same trials");
        assertEquals(20, new HashSet<>(a).size(), "no config twice");
        assertNotEquals(a, s.sample(20, 8));
        assertEquals(a.subList(0, 5), s.sample(5, 7), "raising trials keeps the trials already drawn");
        List<Map<String, FlagValue>> all = s.sample(1000, 7);
        assertEquals(60, all.size(), "a space smaller than trials is drawn whole, once each");
        assertEquals(new HashSet<>(s.grid()), new HashSet<>(all));
    }

    @Test
    void aSpaceTooLargeToEnumerateIsSampledWithoutRepeats() {
        Object[] ten = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        SearchSpace s = space("a", ten, "b", ten, "c", ten, "d", ten, "e", ten, "f", ten, "g", ten);
        assertTrue(s.size() > SearchSpace.PERMUTATION_LIMIT);
        List<Map<String, FlagValue>> drawn = s.sample(2000, 1);
        assertEquals(2000, new HashSet<>(drawn).size());
        assertEquals(drawn, s.sample(2000, 1));
        assertEquals(drawn.subList(0, 10), s.sample(10, 1));
    }
}
