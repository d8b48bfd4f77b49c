package io.readout.jobs.report;

import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.SeedSummary;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The sentence over seeds for a method that raises the figure, one that lowers it and one within seed noise. */
class SeedsParagraphTest {
    private static AggregateFiles.Method wga(String run, double mean, Double std) {
        return new AggregateFiles.Method(run, "final", "test", "wga", new SeedSummary(mean, std, 0, 1, 3));
    }

    private static AggregateFiles.Paired paired(String run, double mean, Double std) {
        return new AggregateFiles.Paired(run, "student erm", "final", "test", "wga", new SeedSummary(mean, std, 0, 1, 3));
    }

    private static SeedsReport seeds(List<Long> seeds, List<AggregateFiles.Method> methods,
                                     List<AggregateFiles.Paired> paired) {
        List<AggregateFiles.Method> all = new ArrayList<>(methods);
        // figures the sentence does not read: another split, model and metric
        all.add(new AggregateFiles.Method("student dedier", "best", "test", "wga", new SeedSummary(0.1, 0.1, 0, 1, 3)));
        all.add(new AggregateFiles.Method("student dedier", "final", "val", "wga", new SeedSummary(0.2, 0.1, 0, 1, 3)));
        return new SeedsReport("/ROOT", seeds, seeds.get(0), new AggregateFiles.Aggregate(all, paired), List.of());
    }

    @Test
    void raisedLoweredAndWithinSeedNoise() {
        SeedsReport s = seeds(List.of(0L, 1L, 2L), List.of(wga("teacher erm", 0.8, 0.05), wga("student erm", 0.731, 0.19),
                wga("student kd", 0.7, 0.1), wga("student dedier", 0.848, 0.12), wga("student sifer", 0.74, 0.15)),
                List.of(paired("teacher erm", 0.07, 0.1), paired("student kd", -0.031, 0.01),
                        paired("student dedier", 0.117, 0.073), paired("student sifer", 0.009, 0.05)));
        assertEquals("Over 3 seeds (0, 1, 2), KD lowered the student's test worst-group accuracy from 0.731 ± 0.190 (ERM) "
                + "to 0.700 ± 0.100 (−0.031 ± 0.010 paired); DEDIER raised it to 0.848 ± 0.120 (+0.117 ± 0.073 paired); "
                + "SIFER left it within seed noise, at 0.740 ± 0.150 (+0.009 ± 0.050 paired). "
                + "The teacher reached 0.800 ± 0.050.", SeedsParagraph.of(s));
    }

    @Test
    void theFirstMethodNamesTheFigureWhicheverWayItWent() {
        SeedsReport raised = seeds(List.of(0L, 1L, 2L), List.of(wga("student erm", 0.731, 0.19),
                wga("student dedier", 0.848, 0.12)), List.of(paired("student dedier", 0.117, 0.073)));
        assertEquals("Over 3 seeds (0, 1, 2), DEDIER raised the student's test worst-group accuracy from 0.731 ± 0.190 "
                + "(ERM) to 0.848 ± 0.120 (+0.117 ± 0.073 paired).", SeedsParagraph.of(raised));
        SeedsReport noise = seeds(List.of(4L, 7L), List.of(wga("student erm", 0.5, 0.2), wga("student sifer", 0.52, 0.1)),
                List.of(paired("student sifer", -0.02, 0.02)));   // exactly one std below: still noise
        assertEquals("Over 2 seeds (4, 7), SIFER left the student's test worst-group accuracy within seed noise of "
                + "0.500 ± 0.200 (ERM), at 0.520 ± 0.100 (−0.020 ± 0.020 paired).", SeedsParagraph.of(noise));
    }

    @Test
    void equalOnEverySeedIsUnchanged() {
        SeedsReport s = seeds(List.of(0L, 1L), List.of(wga("student erm", 0.0, 0.0), wga("student kd", 0.0, 0.0),
                wga("student dedier", 0.0, 0.0)), List.of(paired("student kd", 0.0, 0.0), paired("student dedier", 0, 0.0)));
        assertEquals("Over 2 seeds (0, 1), KD left the student's test worst-group accuracy unchanged at 0.000 ± 0.000 "
                + "(ERM), equal on every seed; DEDIER left it unchanged, equal on every seed.", SeedsParagraph.of(s));
    }

    @Test
    void oneSeedHasNoNoiseToCompareWith() {
        SeedsReport one = seeds(List.of(3L), List.of(wga("student erm", 0.5, null), wga("student jtt", 0.45, null)),
                List.of(paired("student jtt", -0.05, null)));
        assertEquals("Over 1 seed (3), JTT lowered the student's test worst-group accuracy from 0.500 (ERM) to 0.450 "
                + "(−0.050 paired).", SeedsParagraph.of(one));
    }

    @Test
    void withoutAnErmStudentThereIsNoSentenceAndWithOnlyItTheFigureAlone() {
        assertNull(SeedsParagraph.of(seeds(List.of(0L), List.of(wga("student kd", 0.5, null)), List.of())));
        assertEquals("Over 2 seeds (0, 1), the ERM student's test worst-group accuracy was 0.500 ± 0.100.",
                SeedsParagraph.of(seeds(List.of(0L, 1L), List.of(wga("student erm", 0.5, 0.1)), List.of())));
        assertEquals("student erm (s1)", SeedsParagraph.name("student erm (s1)"));
    }
}
