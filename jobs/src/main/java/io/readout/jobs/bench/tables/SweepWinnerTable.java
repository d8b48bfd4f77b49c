package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A sweep's winner, one row per {@code readout sweep} summary ({@code OUT/sweep.json}): trials finished,
 * the winning trial and its values of the searched flags, its selected epoch, the selection figure
 * ({@code select}, e.g. {@code val_wga}) and its test accuracy and worst-group accuracy.
 */
final class SweepWinnerTable implements TableRenderer {
    static final String KIND = "sweep-winner";

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        Set<String> flags = new LinkedHashSet<>();
        Set<String> selects = new LinkedHashSet<>();
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            f.entries(f.field(f.json(), "", "winner"), "winner", "values").forEach(e -> flags.add(e.getKey()));
            selects.add(f.text(f.json(), "", "select"));
        }
        if (selects.size() != 1) {
            throw marker.bad("its sweeps select by different figures " + selects + ": one table per figure");
        }
        String select = selects.iterator().next();
        List<String> header = new ArrayList<>(List.of("file", "trials finished", "winner"));
        header.addAll(flags);
        header.addAll(List.of("selected epoch", select, "test avg", "test WGA"));
        MarkdownTable table = new MarkdownTable(header);
        for (ResultsFile f : files) {
            JsonNode json = f.json();
            JsonNode w = f.field(json, "", "winner");
            JsonNode values = f.field(w, "winner", "values");
            JsonNode test = f.field(w, "winner", "test");
            List<String> cells = new ArrayList<>(List.of(MarkdownTable.code(f.name()),
                    f.integer(json, "", "finished") + " of " + f.integer(json, "", "trials"),
                    String.format("%04d", f.integer(w, "winner", "trial"))));
            for (String flag : flags) {
                cells.add(values.has(flag) ? values.get(flag).asText() : "");
            }
            cells.add(String.valueOf(f.integer(w, "winner", "selected_epoch")));
            cells.add(MarkdownTable.fixed(f.number(w, "winner", select), 3));
            cells.add(MarkdownTable.fixed(f.number(test, "winner.test", "accuracy"), 4));
            cells.add(MarkdownTable.fixed(f.number(test, "winner.test", "worst_group_accuracy"), 3));
            table.row(cells);
        }
        return new Rendered(table.render(), files);
    }
}
