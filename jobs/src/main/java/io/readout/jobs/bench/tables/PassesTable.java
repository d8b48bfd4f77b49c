package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The separate passes against one Spark training epoch, one row per {@code readout bench throughput}
 * file: Spark / single process (1 thread) and the Spark epoch per architecture, then each pass as
 * {@code seconds = fraction of its architecture's epoch}, marked ✗ above the file's target. A pass is a
 * column per (name, architecture), in the order the files list them.
 */
final class PassesTable implements TableRenderer {
    static final String KIND = "passes";

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        Set<String> archs = new LinkedHashSet<>();
        Set<List<String>> passes = new LinkedHashSet<>();
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            f.entries(f.json(), "", "training").forEach(e -> archs.add(e.getKey()));
            List<JsonNode> list = f.list(f.json(), "", "passes");
            for (int i = 0; i < list.size(); i++) {
                passes.add(List.of(f.text(list.get(i), "passes[" + i + "]", "pass"),
                        f.text(list.get(i), "passes[" + i + "]", "arch")));
            }
        }
        Map<String, Long> namesUsed = new LinkedHashMap<>();
        passes.forEach(p -> namesUsed.merge(p.get(0), 1L, Long::sum));
        List<String> archList = List.copyOf(archs);
        List<String> header = new ArrayList<>(List.of("file", "master",
                "Spark / single 1 t, " + String.join(" / ", archList),
                "Spark epoch, " + String.join(" / ", archList)));
        for (List<String> p : passes) {
            header.add(namesUsed.get(p.get(0)) > 1 ? p.get(0) + " (" + p.get(1) + ")" : p.get(0));
        }
        MarkdownTable table = new MarkdownTable(header);
        for (ResultsFile f : files) {
            JsonNode json = f.json();
            JsonNode training = f.field(json, "", "training");
            List<String> ratios = new ArrayList<>();
            List<String> epochs = new ArrayList<>();
            for (String arch : archList) {
                if (!training.has(arch)) {
                    ratios.add("–");
                    epochs.add("–");
                    continue;
                }
                String at = "training." + arch;
                JsonNode t = training.get(arch);
                ratios.add(MarkdownTable.fixed(f.number(f.field(t, at, "spark_over_single"), at + ".spark_over_single",
                        "single_1_threads"), 2));
                epochs.add(MarkdownTable.fixed(f.number(t, at, "spark_epoch_seconds"), 2) + " s");
            }
            List<String> cells = new ArrayList<>(List.of(MarkdownTable.code(f.name()), f.text(json, "", "spark_master"),
                    String.join(" / ", ratios), String.join(" / ", epochs)));
            Map<List<String>, String> byPass = new LinkedHashMap<>();
            List<JsonNode> list = f.list(json, "", "passes");
            for (int i = 0; i < list.size(); i++) {
                JsonNode p = list.get(i);
                String at = "passes[" + i + "]";
                double seconds = f.number(p, at, "seconds_median");
                double fraction = f.number(p, at, "fraction_of_epoch");
                boolean meets = f.bool(p, at, "meets_target");
                byPass.put(List.of(f.text(p, at, "pass"), f.text(p, at, "arch")), MarkdownTable.fixed(seconds, 2)
                        + " s = " + MarkdownTable.fixed(fraction, 2) + (meets ? "" : " ✗"));
            }
            passes.forEach(p -> cells.add(byPass.getOrDefault(p, "")));
            table.row(cells);
        }
        return new Rendered(table.render(), files);
    }
}
