package io.readout.jobs.report;

import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.SeedFigures;
import io.readout.jobs.aggregate.SeedSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sentence that opens the figures over seeds, written from them: each student's test worst-group accuracy
 * (final model, mean ± std over the seeds) against the ERM student's, with the paired difference of the two
 * (mean ± std of the per-seed differences, {@code aggregate/paired.json}). A method "raised" or "lowered" it
 * when the paired difference's mean lies more than one standard deviation of the differences away from 0, left
 * it "unchanged" when the two are equal on every seed, and "within seed noise" otherwise; then the teacher's
 * figure. None without an ERM student.
 */
public final class SeedsParagraph {
    /** The run every student is compared with. */
    static final String BASELINE = SeedFigures.BASELINES.get(0);
    private static final String SUBJECT = "the student's test worst-group accuracy";

    private SeedsParagraph() {
    }

    /** How a run's figure compares with the baseline's. */
    enum Change {
        RAISED, LOWERED, UNCHANGED, NOISE;

        /** From a paired difference: beyond one std of the differences (one seed: any difference) either way. */
        static Change of(SeedSummary paired) {
            double noise = paired.std() == null ? 0 : paired.std();
            if (paired.mean() == 0 && noise == 0) {
                return UNCHANGED;
            }
            return paired.mean() > noise ? RAISED : paired.mean() < -noise ? LOWERED : NOISE;
        }
    }

    /** The paragraph's text (plain, not HTML), or null when the aggregate has no ERM student's figure. */
    public static String of(SeedsReport seeds) {
        SeedSummary base = figure(seeds, BASELINE);
        if (base == null) {
            return null;
        }
        List<String> clauses = new ArrayList<>();
        List<String> teachers = new ArrayList<>();
        for (String run : seeds.runs()) {
            SeedSummary m = figure(seeds, run);
            if (run.equals(BASELINE) || m == null) {
                continue;
            }
            if (run.startsWith("teacher")) {
                teachers.add(run);
                continue;
            }
            clauses.add(clause(name(run), m, paired(seeds, run), clauses.isEmpty() ? base : null));
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Over %d seed%s (%s), ", seeds.seeds().size(),
                seeds.seeds().size() == 1 ? "" : "s", String.join(", ", seeds.seeds().stream().map(String::valueOf)
                        .toList())));
        b.append(clauses.isEmpty() ? "the ERM student's test worst-group accuracy was " + meanStd(base)
                : String.join("; ", clauses)).append('.');
        for (String t : teachers) {
            b.append(' ').append(teachers.size() == 1 ? "The teacher" : "The " + t).append(" reached ")
                    .append(meanStd(figure(seeds, t))).append('.');
        }
        return b.toString();
    }

    /**
     * One method's clause; {@code base} is given for the first, which names the figure and the ERM student's
     * value, and null for the others ("it").
     */
    static String clause(String name, SeedSummary figure, SeedSummary paired, SeedSummary base) {
        String object = base == null ? "it" : SUBJECT;
        String from = base == null ? "" : " from " + meanStd(base) + " (ERM)";
        if (paired == null) {
            return name + " reached " + meanStd(figure) + (base == null ? "" : ", ERM " + meanStd(base))
                    + " (no seed in common)";
        }
        String difference = " (" + signed(paired) + " paired)";
        return switch (Change.of(paired)) {
            case RAISED -> name + " raised " + object + from + " to " + meanStd(figure) + difference;
            case LOWERED -> name + " lowered " + object + from + " to " + meanStd(figure) + difference;
            case UNCHANGED -> name + " left " + object + " unchanged" + (base == null ? "" : " at " + meanStd(base)
                    + " (ERM)") + ", equal on every seed";
            case NOISE -> name + " left " + object + " within seed noise"
                    + (base == null ? "" : " of " + meanStd(base) + " (ERM)") + ", at " + meanStd(figure) + difference;
        };
    }

    /** "DEDIER" for "student dedier"; any other run by its label. */
    static String name(String run) {
        return run.matches("student [a-z]+") ? run.substring("student ".length()).toUpperCase(Locale.ROOT) : run;
    }

    private static SeedSummary figure(SeedsReport seeds, String run) {
        AggregateFiles.Method m = seeds.aggregate().method(run, SeedFigures.FINAL, "test", SeedFigures.WGA);
        return m == null ? null : m.summary();
    }

    private static SeedSummary paired(SeedsReport seeds, String run) {
        return seeds.aggregate().paired().stream().filter(p -> p.run().equals(run) && p.baseline().equals(BASELINE)
                        && p.model().equals(SeedFigures.FINAL) && p.split().equals("test")
                        && p.metric().equals(SeedFigures.WGA))
                .map(AggregateFiles.Paired::summary).findFirst().orElse(null);
    }

    /** 0.731 ± 0.190; 0.731 for one seed. */
    static String meanStd(SeedSummary s) {
        return String.format(Locale.ROOT, "%.3f", s.mean())
                + (s.std() == null ? "" : String.format(Locale.ROOT, " ± %.3f", s.std()));
    }

    /** +0.117 ± 0.073; −0.031 ± 0.010 (a minus sign). */
    static String signed(SeedSummary s) {
        return (String.format(Locale.ROOT, "%+.3f", s.mean()) + (s.std() == null ? ""
                : String.format(Locale.ROOT, " ± %.3f", s.std()))).replace('-', '−');
    }
}
