package io.readout.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.readout.jobs.aggregate.SeedSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A sweep over seeds, read as repeated measurements: the complete trials grouped by every searched value but
 * {@value #SEED}, and per group the mean, sample standard deviation (n − 1; null for one seed), minimum and
 * maximum of each figure of the selected ({@code best}) and final epoch's model on val and test. A difference
 * between two groups means something only when it is larger than their spread over seeds. Each group also lists
 * its trials' own figures, seed by seed ({@code runs}), so that two groups, or two sweeps on the same data, can be
 * compared seed by seed (paired differences).
 */
public final class SeedGroups {
    public static final String SEED = "seed";

    /**
     * One group, as the {@code by_seed} list of the sweep's summary holds it; {@code best} and {@code final} are
     * left out when a trial was recorded before its figures were kept.
     */
    @JsonPropertyOrder({"values", "n", "seeds", "trials", "best", "final", "runs"})
    public record Group(Map<String, FlagValue> values, int n, List<FlagValue> seeds, List<Integer> trials,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Model best,
                        @JsonProperty("final") @JsonInclude(JsonInclude.Include.NON_NULL) Model finalModel,
                        List<SeedRun> runs) {
    }

    /**
     * One trial of a group: its seed, its number, and the figures of its selected ({@code val}, {@code test})
     * and final epoch's model ({@code final_val}, {@code final_test}), each left out when the trial lacks it.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"seed", "trial", "val", "test", "final_val", "final_test"})
    public record SeedRun(FlagValue seed, int trial,
                          @JsonInclude(JsonInclude.Include.NON_NULL) TrialResult.Scores val,
                          @JsonInclude(JsonInclude.Include.NON_NULL) TrialResult.Scores test,
                          @JsonInclude(JsonInclude.Include.NON_NULL) TrialResult.Scores finalVal,
                          @JsonInclude(JsonInclude.Include.NON_NULL) TrialResult.Scores finalTest) {
        static SeedRun of(TrialResult t) {
            return new SeedRun(t.values().get(SEED), t.trial(), t.val(), t.test(), t.finalVal(), t.finalTest());
        }
    }

    /** A model's figures on val and test; a split is left out when a trial lacks it. */
    @JsonPropertyOrder({"val", "test"})
    public record Model(@JsonInclude(JsonInclude.Include.NON_NULL) Figures val,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Figures test) {
        static Model of(Figures val, Figures test) {
            return val == null && test == null ? null : new Model(val, test);
        }
    }

    /** The three figures of a split over the seeds. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"accuracy", "worst_group_accuracy", "group_mean_accuracy"})
    public record Figures(Stats accuracy, Stats worstGroupAccuracy, Stats groupMeanAccuracy) {
    }

    /** mean, std (sample; null for n = 1), min, max. */
    @JsonPropertyOrder({"mean", "std", "min", "max"})
    public record Stats(double mean, Double std, double min, double max) {
    }

    private SeedGroups() {
    }

    /** The groups of {@code results} in order of their first trial; empty when the space has no seed. */
    public static List<Group> of(List<TrialResult> results, Map<String, List<FlagValue>> space) {
        if (!space.containsKey(SEED)) {
            return List.of();
        }
        Map<Map<String, FlagValue>, List<TrialResult>> groups = new LinkedHashMap<>();
        for (TrialResult r : results) {
            if (!r.isComplete()) {
                continue;
            }
            Map<String, FlagValue> values = new LinkedHashMap<>(r.values());
            values.remove(SEED);
            groups.computeIfAbsent(values, v -> new ArrayList<>()).add(r);
        }
        List<Group> out = new ArrayList<>();
        groups.forEach((values, trials) -> out.add(new Group(values, trials.size(),
                trials.stream().map(t -> t.values().get(SEED)).toList(),
                trials.stream().map(TrialResult::trial).toList(),
                Model.of(figures(trials, TrialResult::val), figures(trials, TrialResult::test)),
                Model.of(figures(trials, TrialResult::finalVal), figures(trials, TrialResult::finalTest)),
                trials.stream().map(SeedRun::of).toList())));
        return out;
    }

    /** A split's figures over the trials; null when a trial lacks them (recorded before final figures were kept). */
    private static Figures figures(List<TrialResult> trials, Function<TrialResult, TrialResult.Scores> scores) {
        if (trials.stream().anyMatch(t -> scores.apply(t) == null)) {
            return null;
        }
        return new Figures(stats(trials, scores, TrialResult.Scores::accuracy),
                stats(trials, scores, TrialResult.Scores::worstGroupAccuracy),
                stats(trials, scores, TrialResult.Scores::groupMeanAccuracy));
    }

    private static Stats stats(List<TrialResult> trials, Function<TrialResult, TrialResult.Scores> scores,
                               ToDoubleFunction<TrialResult.Scores> figure) {
        return stats(trials.stream().map(scores).mapToDouble(figure).toArray());
    }

    /** mean, std (sample; null for n = 1), min, max of {@code v}, summed in trial order ({@link SeedSummary}). */
    static Stats stats(double[] v) {
        SeedSummary s = SeedSummary.of(v);
        return new Stats(s.mean(), s.std(), s.min(), s.max());
    }

    /** The printed table: one line per group, final and best test figures as mean ± std. */
    public static String format(List<Group> groups) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-40s %3s  %-15s  %-15s  %-15s%n",
                "over seeds", "n", "final test acc", "final test wga", "best test wga"));
        for (Group g : groups) {
            b.append(String.format(Locale.ROOT, "%-40s %3d  %-15s  %-15s  %-15s%n", g.values(), g.n(),
                    cell(g.finalModel(), Figures::accuracy), cell(g.finalModel(), Figures::worstGroupAccuracy),
                    cell(g.best(), Figures::worstGroupAccuracy)));
        }
        return b.toString();
    }

    private static String cell(Model m, Function<Figures, Stats> metric) {
        if (m == null) {
            return "-";
        }
        Stats s = metric.apply(m.test());
        return String.format(Locale.ROOT, "%.4f", s.mean())
                + (s.std() == null ? "" : String.format(Locale.ROOT, " ± %.4f", s.std()));
    }
}
