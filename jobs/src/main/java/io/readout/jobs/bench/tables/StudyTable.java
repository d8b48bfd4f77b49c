package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.jobs.aggregate.SeedSummary;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Where a method helps: one {@code readout sweep} per method on the same data and teacher (their
 * {@code sweep.json} summaries, with {@code by_seed} groups and each group's {@code runs}), one row per method.
 * Per sweep the group of trials (a configuration over the seeds) with the highest mean validation worst-group
 * accuracy is chosen (ties: the higher mean validation accuracy, then the sweep's order), so the test split never
 * chooses; the row gives the configurations searched, the one chosen, its validation and test figures (mean ±
 * std over the seeds), and its test worst-group accuracy minus each baseline's chosen configuration's, seed by
 * seed (paired: same data, teacher and seed; mean ± std of the differences), with a verdict.
 *
 * <p>The verdict is "gain" (or "loss") when every seed's difference has the same sign and the mean difference is
 * larger than the differences' standard deviation, else "within noise": with 3 seeds a mean larger than its std
 * is a weak bar (a t-statistic above √3), so "gain" means likely, never proven.
 *
 * <p>Options: {@code baselines} (methods of the files, default {@code erm,kd}: the columns of differences);
 * {@code model} ({@code best}, the validation-selected epoch, the default; or {@code final}); {@code decimals}
 * (default 4, as in {@link AccuracyTable}).
 */
final class StudyTable implements TableRenderer {
    static final String KIND = "study";
    static final String GAIN = "gain";
    static final String LOSS = "loss";
    static final String NOISE = "within noise";

    /** One method's sweep: its method, configurations searched, and the chosen one's runs. */
    record Chosen(ResultsFile file, String method, int searched, String values, List<Run> runs) {
    }

    /** One seed of the chosen configuration. */
    record Run(long seed, double valAccuracy, double valWga, double testAccuracy, double testWga) {
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> options() {
        return Set.of("baselines", "model", "decimals");
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        String model = AccuracyTable.choose(marker, "model", List.of("best"), Set.of("best", "final")).get(0);
        List<String> baselines = marker.listOption("baselines", List.of("erm", "kd"));
        int decimals = AccuracyTable.decimals(marker);
        Map<String, Chosen> byMethod = new LinkedHashMap<>();
        for (String name : marker.files()) {
            Chosen c = choose(ResultsFile.read(results, name, true), model);
            if (byMethod.put(c.method(), c) != null) {
                throw marker.bad("two files sweep method " + c.method() + " (" + name + ")");
            }
        }
        for (String b : baselines) {
            if (!byMethod.containsKey(b)) {
                throw marker.bad("baseline " + b + " has no file (methods: " + byMethod.keySet() + ")");
            }
        }
        List<String> header = new ArrayList<>(List.of("method", "configs searched", "chosen on val", "seeds",
                "val WGA", "test avg", "test WGA"));
        baselines.forEach(b -> header.add("Δ test WGA vs " + b + " (paired)"));
        MarkdownTable table = new MarkdownTable(header);
        for (Chosen c : byMethod.values()) {
            List<String> cells = new ArrayList<>(List.of(c.method(), String.valueOf(c.searched()),
                    c.values().isEmpty() ? "(defaults)" : MarkdownTable.code(c.values()), String.valueOf(c.runs().size()),
                    summary(c.runs().stream().mapToDouble(Run::valWga).toArray(), decimals),
                    summary(c.runs().stream().mapToDouble(Run::testAccuracy).toArray(), decimals),
                    summary(c.runs().stream().mapToDouble(Run::testWga).toArray(), decimals)));
            for (String b : baselines) {
                cells.add(b.equals(c.method()) ? "" : difference(c, byMethod.get(b), decimals));
            }
            table.row(cells);
        }
        return new Rendered(table.render(), byMethod.values().stream().map(Chosen::file).toList());
    }

    /** The sweep's configuration with the highest mean validation worst-group accuracy. */
    static Chosen choose(ResultsFile f, String model) {
        String method = f.text(f.field(f.field(f.json(), "", "sweep"), "sweep", "base"), "sweep.base", "method");
        List<JsonNode> groups = f.list(f.json(), "", "by_seed");
        if (groups.isEmpty()) {
            throw f.bad("by_seed", "no groups: the sweep's space has no seed, or no trial finished");
        }
        JsonNode best = null;
        double bestWga = Double.NEGATIVE_INFINITY;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (JsonNode g : groups) {
            JsonNode val = f.field(f.field(g, "by_seed[]", model), "by_seed[]." + model, "val");
            double wga = f.number(f.field(val, "val", "worst_group_accuracy"), "worst_group_accuracy", "mean");
            double accuracy = f.number(f.field(val, "val", "accuracy"), "accuracy", "mean");
            if (wga > bestWga || wga == bestWga && accuracy > bestAccuracy) {
                best = g;
                bestWga = wga;
                bestAccuracy = accuracy;
            }
        }
        StringJoiner values = new StringJoiner(" ");
        f.entries(best, "by_seed[]", "values").forEach(e -> values.add(e.getKey() + "=" + e.getValue().asText()));
        String prefix = model.equals("final") ? "final_" : "";
        List<Run> runs = new ArrayList<>();
        for (JsonNode r : f.list(best, "by_seed[]", "runs")) {
            JsonNode val = f.field(r, "runs[]", prefix + "val");
            JsonNode test = f.field(r, "runs[]", prefix + "test");
            runs.add(new Run(f.field(r, "runs[]", "seed").asLong(), f.number(val, "val", "accuracy"),
                    f.number(val, "val", "worst_group_accuracy"), f.number(test, "test", "accuracy"),
                    f.number(test, "test", "worst_group_accuracy")));
        }
        return new Chosen(f, method, groups.size(), values.toString(), runs);
    }

    /** {@code run − baseline} on test worst-group accuracy, seed by seed, with the verdict. */
    static String difference(Chosen run, Chosen baseline, int decimals) {
        SeedSummary d = SeedSummary.paired(seeds(run), run.runs().stream().mapToDouble(Run::testWga).toArray(),
                seeds(baseline), baseline.runs().stream().mapToDouble(Run::testWga).toArray());
        if (d == null) {
            return "no common seed";
        }
        return signed(d.mean(), decimals) + (d.std() == null ? "" : " ± " + MarkdownTable.fixed(d.std(), decimals))
                + " (" + verdict(d) + ")";
    }

    /** {@value #GAIN}, {@value #LOSS} or {@value #NOISE} (see the class comment). */
    static String verdict(SeedSummary d) {
        if (d.std() == null) {
            return NOISE;
        }
        if (d.min() > 0 && d.mean() > d.std()) {
            return GAIN;
        }
        if (d.max() < 0 && -d.mean() > d.std()) {
            return LOSS;
        }
        return NOISE;
    }

    private static long[] seeds(Chosen c) {
        return c.runs().stream().mapToLong(Run::seed).toArray();
    }

    private static String summary(double[] values, int decimals) {
        SeedSummary s = SeedSummary.of(values);
        return MarkdownTable.meanStd(s.mean(), s.std(), decimals);
    }

    private static String signed(double value, int decimals) {
        String s = MarkdownTable.fixed(value, decimals);
        return value > 0 ? "+" + s : s;
    }
}
