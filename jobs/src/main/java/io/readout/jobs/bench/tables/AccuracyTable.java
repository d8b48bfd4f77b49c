package io.readout.jobs.bench.tables;

import io.readout.jobs.bench.tables.AccuracyResults.Stat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Accuracy over seeds, one row per run of each accuracy results file ({@link AccuracyResults}): the
 * seeds, then per model ({@code models}, default final) and metric ({@code metrics}, default
 * accuracy and wga) of one split ({@code split}, default test) the mean ± std, each followed by its
 * fidelity band and ✓/✗ when a {@code bands} file ({@link ReferenceBands}) has one for that model and
 * split. Options: {@code runs} (which runs, in this order; default every run of every file),
 * {@code decimals} (default 4).
 */
final class AccuracyTable implements TableRenderer {
    static final String KIND = "accuracy";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> options() {
        return Set.of("bands", "runs", "models", "split", "metrics", "decimals");
    }

    /** How a table heads a metric. */
    static String label(String metric) {
        return switch (metric) {
            case "accuracy" -> "avg";
            case "wga" -> "WGA";
            case "group_mean" -> "group mean";
            case "bias_conflicting" -> "bias-conflicting";
            default -> metric;
        };
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<AccuracyResults> files = new ArrayList<>();
        for (String name : marker.files()) {
            files.add(AccuracyResults.read(ResultsFile.read(results, name, true)));
        }
        Optional<ReferenceBands> bands = marker.find("bands")
                .map(b -> ReferenceBands.read(ResultsFile.read(results, b, false)));
        List<String> models = choose(marker, "models", List.of(AccuracyResults.FINAL), AccuracyResults.MODELS);
        List<String> metrics = choose(marker, "metrics", List.of("accuracy", "wga"), Set.copyOf(AccuracyResults.METRICS));
        String split = choose(marker, "split", List.of("test"), AccuracyResults.SPLITS).get(0);
        int decimals = decimals(marker);
        List<String> runs = runs(marker, files);
        boolean labelRho = files.stream().map(AccuracyResults::label).distinct().count() > 1;

        List<String> header = new ArrayList<>(List.of("run", "seeds"));
        for (String model : models) {
            for (String metric : metrics) {
                header.add(split + " " + label(metric) + " (" + model + ")");
                if (bands.isPresent() && bands.get().split().equals(split) && bands.get().model().equals(model)) {
                    header.add("band");
                }
            }
        }
        MarkdownTable table = new MarkdownTable(header);
        for (AccuracyResults f : files) {
            for (String run : runs) {
                if (!f.runs().contains(run)) {
                    continue;
                }
                List<String> cells = new ArrayList<>();
                Set<Integer> seeds = new TreeSet<>();
                for (String model : models) {
                    for (String metric : metrics) {
                        Stat s = f.requireMethod(run, model, split, metric);
                        seeds.add(s.n());
                        cells.add(MarkdownTable.meanStd(s.mean(), s.std(), decimals));
                        if (bands.isPresent() && bands.get().split().equals(split) && bands.get().model().equals(model)) {
                            cells.add(bands.get().band(f.dataset(), f.rho(), run, split, model, metric)
                                    .map(b -> b.judge(s.mean())).orElse(""));
                        }
                    }
                }
                String label = labelRho ? run + " (" + f.label() + ")" : run;
                List<String> row = new ArrayList<>(List.of(label,
                        String.join(" / ", seeds.stream().map(String::valueOf).toList())));
                row.addAll(cells);
                table.row(row);
            }
        }
        if (table.rows() == 0) {
            throw marker.bad("no run of " + runs + " is in " + marker.files());
        }
        return new Rendered(table.render(), files.stream().map(AccuracyResults::file).toList(),
                bands.map(b -> List.of(b.file())).orElse(List.of()));
    }

    /** The runs to show: the {@code runs} option (each must be in some file) or every run in file order. */
    static List<String> runs(TableMarker marker, List<AccuracyResults> files) {
        Set<String> all = new LinkedHashSet<>();
        files.forEach(f -> all.addAll(f.runs()));
        List<String> chosen = marker.listOption("runs", List.copyOf(all));
        for (String run : chosen) {
            if (!all.contains(run)) {
                throw marker.bad("runs names '" + run + "', which no file has (runs: " + String.join(", ", all) + ")");
            }
        }
        return chosen;
    }

    static List<String> choose(TableMarker marker, String option, List<String> fallback, Set<String> allowed) {
        List<String> values = marker.listOption(option, fallback);
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw marker.bad(option + " '" + v + "' is not one of " + new TreeSet<>(allowed));
            }
        }
        if (values.isEmpty()) {
            throw marker.bad(option + " is empty");
        }
        return values;
    }

    static int decimals(TableMarker marker) {
        String value = marker.option("decimals", "4");
        try {
            int d = Integer.parseInt(value);
            if (d >= 0 && d <= 8) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw marker.bad("decimals '" + value + "' is not a whole number from 0 to 8");
    }
}
