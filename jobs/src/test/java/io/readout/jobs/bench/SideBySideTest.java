package io.readout.jobs.bench;

import io.readout.jobs.bench.SideBySide.Trial;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SideBySideTest {
    @Test
    void medianOfAnOddCountIsTheMiddleValueAndOfAnEvenCountTheMeanOfTheTwo() {
        assertEquals(3.0, SideBySide.median(List.of(5.0, 1.0, 3.0)));
        assertEquals(2.5, SideBySide.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertEquals(7.0, SideBySide.median(List.of(7.0)));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.median(List.of()));
    }

    @Test
    void everyTrialWarmsUpOnceThenTheRoundsAlternateInOrder() {
        List<String> calls = new ArrayList<>();
        double[] next = {0};
        List<Trial> trials = List.of(
                new Trial("a", () -> log(calls, "a warm-up", -1), () -> log(calls, "a", ++next[0])),
                new Trial("b", () -> log(calls, "b warm-up", -1), () -> log(calls, "b", ++next[0])));
        List<List<Double>> figures = SideBySide.alternate(trials, 3);
        assertEquals(List.of("a warm-up", "b warm-up", "a", "b", "a", "b", "a", "b"), calls);
        assertEquals(List.of(List.of(1.0, 3.0, 5.0), List.of(2.0, 4.0, 6.0)), figures, "warm-ups are not figures");
    }

    @Test
    void valuesAreRoundedAndSpaceSeparated() {
        assertEquals("1069 1110", SideBySide.formatValues(List.of(1069.4, 1109.5), 0));
        assertEquals("0.125", SideBySide.formatValues(List.of(0.125), 3));
    }

    private static double log(List<String> calls, String call, double figure) {
        calls.add(call);
        return figure;
    }
}
