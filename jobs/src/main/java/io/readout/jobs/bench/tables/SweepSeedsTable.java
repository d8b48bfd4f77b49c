package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep over seeds, one row per group of trials that differ only by seed ({@code by_seed} of a
 * {@code readout sweep} summary, {@code OUT/sweep.json}): the file, the group's values of the searched flags,
 * the seeds, and the final epoch's model on val and test (accuracy and worst-group accuracy, mean ± std), then
 * the validation-selected model's test worst-group accuracy. Several files make one table (e.g. the same grid
 * before and after a change), in the order the marker lists them.
 */
final class SweepSeedsTable implements TableRenderer {
    static final String KIND = "sweep-seeds";

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            for (JsonNode g : f.list(f.json(), "", "by_seed")) {
                f.entries(g, "by_seed[]", "values").forEach(e -> flags.add(e.getKey()));
            }
        }
        boolean named = files.size() > 1; // one file: every row would name it
        List<String> header = new ArrayList<>(named ? List.of("file") : List.of());
        header.addAll(flags);
        header.addAll(List.of("seeds", "val avg", "val WGA", "test avg", "test WGA", "test WGA (selected epoch)"));
        MarkdownTable table = new MarkdownTable(header);
        for (ResultsFile f : files) {
            List<JsonNode> groups = f.list(f.json(), "", "by_seed");
            if (groups.isEmpty()) {
                throw f.bad("by_seed", "no groups: the sweep's space has no seed, or no trial finished");
            }
            for (JsonNode g : groups) {
                List<String> cells = new ArrayList<>(named ? List.of(MarkdownTable.code(f.name())) : List.of());
                JsonNode values = f.field(g, "by_seed[]", "values");
                for (String flag : flags) {
                    cells.add(values.has(flag) ? values.get(flag).asText() : "");
                }
                cells.add(String.valueOf(f.integer(g, "by_seed[]", "n")));
                JsonNode last = f.field(g, "by_seed[]", "final");
                cells.add(figure(f, last, "val", "accuracy"));
                cells.add(figure(f, last, "val", "worst_group_accuracy"));
                cells.add(figure(f, last, "test", "accuracy"));
                cells.add(figure(f, last, "test", "worst_group_accuracy"));
                cells.add(figure(f, f.field(g, "by_seed[]", "best"), "test", "worst_group_accuracy"));
                table.row(cells);
            }
        }
        return new Rendered(table.render(), files);
    }

    private static String figure(ResultsFile f, JsonNode model, String split, String metric) {
        JsonNode s = f.field(f.field(model, "by_seed[]", split), "by_seed[]." + split, metric);
        return MarkdownTable.meanStd(f.number(s, metric, "mean"), f.numberOrNull(s, metric, "std"), 3);
    }
}
