package io.readout.jobs.bench;

import io.readout.jobs.bench.SideBySide.JvmActivity;
import io.readout.jobs.bench.SideBySide.Measured;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.bench.SideBySide.WarmUp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * A JIT that compiles 600, 300, then 0.125 ms in the first three warm-up rounds of at least 5 ms each: the first
     * two compile for more than 5 % of their wall time, the third is quiet. The child-process trial warms up in the
     * first round only.
     */
    @Test
    void warmUpRoundsRepeatUntilTheJitIsQuietAndAChildProcessWarmsUpOnce() {
        List<String> calls = new ArrayList<>();
        double[] jit = {0};
        double[][] compiledPerRound = {{600}, {300}, {0.125}, {0}};
        int[] round = {-1};
        SideBySide.JvmClock clock = () -> new JvmActivity(jit[0], 0);
        List<Trial> trials = List.of(
                new Trial("jvm", () -> {
                    round[0]++;
                    jit[0] += compiledPerRound[Math.min(round[0], 3)][0];
                    sleep(5);
                    return log(calls, "jvm warm-up", -1);
                }, () -> log(calls, "jvm", 1)),
                new Trial("child", () -> log(calls, "child warm-up", -1), () -> log(calls, "child", 2), false));
        Measured m = SideBySide.measure(trials, WarmUp.untilQuiet(8), 2, clock);
        assertEquals(List.of("jvm warm-up", "child warm-up", "jvm warm-up", "jvm warm-up", "jvm", "child", "jvm",
                "child"), calls, "rounds 1 and 2 compiled more than 5 % of their few ms; round 3 (0.125 ms) was quiet");
        assertEquals(3, m.warmUp().size());
        assertEquals(List.of(600.0, 300.0, 0.125), m.warmUp().stream().map(w -> w.activity().jitMillis()).toList());
        assertTrue(m.warmUp().get(2).jitFraction() <= WarmUp.QUIET_FRACTION, m.warmUp().toString());
        assertEquals(List.of(List.of(1.0, 1.0), List.of(2.0, 2.0)), m.figures());
        assertEquals(List.of(new JvmActivity(0, 0), new JvmActivity(0, 0)), m.activity().get(0),
                "nothing compiled during the timed runs");
    }

    @Test
    void warmUpStopsAtItsMostRoundsAndOnceIsOneRound() {
        double[] jit = {0};
        int[] warmUps = {0};
        SideBySide.JvmClock busy = () -> new JvmActivity(jit[0] += 1000, 0); // the JIT never quiets down
        List<Trial> trials = List.of(new Trial("jvm", () -> ++warmUps[0], () -> 1.0));
        assertEquals(3, SideBySide.measure(trials, WarmUp.untilQuiet(3), 1, busy).warmUp().size());
        assertEquals(3, warmUps[0]);
        assertEquals(1, SideBySide.measure(trials, WarmUp.ONCE, 1, busy).warmUp().size());
        assertThrows(IllegalArgumentException.class, () -> new WarmUp(2, 1, 0.05));
    }

    @Test
    void theTimedRunsRecordWhatTheJvmCompiledAndCollectedDuringEach() {
        double[] now = {0, 0};
        SideBySide.JvmClock clock = () -> new JvmActivity(now[0], now[1]);
        List<Trial> trials = List.of(new Trial("a", () -> 0.0, () -> {
            now[0] += 7;
            now[1] += 2;
            return 1.0;
        }));
        Measured m = SideBySide.measure(trials, WarmUp.ONCE, 2, clock);
        assertEquals(List.of(new JvmActivity(7, 2), new JvmActivity(7, 2)), m.activity().get(0));
    }

    @Test
    void valuesAreRoundedAndSpaceSeparated() {
        assertEquals("1069 1110", SideBySide.formatValues(List.of(1069.4, 1109.5), 0));
        assertEquals("0.125", SideBySide.formatValues(List.of(0.125), 3));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double log(List<String> calls, String call, double figure) {
        calls.add(call);
        return figure;
    }
}
