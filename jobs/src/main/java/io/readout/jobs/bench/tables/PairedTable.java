package io.readout.jobs.bench.tables;

import io.readout.jobs.bench.tables.AccuracyResults.Stat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Each run against its baseline, seed by seed, from the {@code paired} entries of accuracy results
 * files ({@link AccuracyResults}): the difference's mean ± std, its range and the seeds, for one model
 * ({@code model}, default final) and split ({@code split}, default test) and the metrics in
 * {@code metrics} (default wga, accuracy). Options {@code runs} and {@code decimals} as in
 * {@link AccuracyTable}.
 */
final class PairedTable implements TableRenderer {
    static final String KIND = "paired";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> options() {
        return Set.of("runs", "model", "split", "metrics", "decimals");
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<AccuracyResults> files = new ArrayList<>();
        for (String name : marker.files()) {
            files.add(AccuracyResults.read(ResultsFile.read(results, name, true)));
        }
        String model = AccuracyTable.choose(marker, "model", List.of(AccuracyResults.FINAL), AccuracyResults.MODELS).get(0);
        String split = AccuracyTable.choose(marker, "split", List.of("test"), AccuracyResults.SPLITS).get(0);
        List<String> metrics = AccuracyTable.choose(marker, "metrics", List.of("wga", "accuracy"),
                Set.copyOf(AccuracyResults.METRICS));
        int decimals = AccuracyTable.decimals(marker);
        List<String> runs = marker.listOption("runs", null);
        boolean labelRho = files.stream().map(AccuracyResults::label).distinct().count() > 1;
        MarkdownTable table = new MarkdownTable(List.of("run", "baseline", "metric",
                split + " difference (" + model + "), mean ± std", "min … max", "seeds"));
        for (AccuracyResults f : files) {
            for (String metric : metrics) {
                for (Stat s : f.paired()) {
                    if (!s.model().equals(model) || !s.split().equals(split) || !s.metric().equals(metric)
                            || (runs != null && !runs.contains(s.run()))) {
                        continue;
                    }
                    String label = labelRho ? s.run() + " (" + f.label() + ")"
                            : s.run();
                    table.row(List.of(label, s.baseline(), AccuracyTable.label(metric),
                            signed(s.mean(), decimals) + (s.std() == null ? "" : " ± "
                                    + MarkdownTable.fixed(s.std(), decimals)),
                            signed(s.min(), decimals) + " … " + signed(s.max(), decimals), String.valueOf(s.n())));
                }
            }
        }
        if (table.rows() == 0) {
            throw marker.bad("no paired entry for model " + model + ", split " + split + ", metrics " + metrics
                    + (runs == null ? "" : ", runs " + runs) + " in " + marker.files());
        }
        return new Rendered(table.render(), files.stream().map(AccuracyResults::file).toList());
    }

    private static String signed(double value, int decimals) {
        String s = MarkdownTable.fixed(value, decimals);
        return value > 0 ? "+" + s : s;
    }
}
