package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The nd4j-native builds side by side, from {@code docs/bench/backends.sh}'s collected JSON: one row
 * per variant with its kernels, single-process (1 thread) examples/s of teacher and student as the
 * median over rounds and the best round, the median of per-round ratios to the default build, Spark's
 * medians, the jar's size and the rounds that ran.
 */
final class BackendsTable implements TableRenderer {
    static final String KIND = "backends";

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        MarkdownTable table = new MarkdownTable(List.of("build", "kernels", "teacher, 1 thread: median (best)",
                "student, 1 thread: median (best)", "teacher / student vs default, median of per-round ratios",
                "Spark teacher / student, median", "jar", "rounds"));
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            for (Map.Entry<String, JsonNode> e : f.entries(f.json(), "", "variants")) {
                JsonNode v = e.getValue();
                String at = "variants." + e.getKey();
                String build = MarkdownTable.code(f.text(v, at, "build"));
                if (f.text(v, at, "helpers").equals("off")) {
                    build += ", helpers off";
                }
                if (f.bool(v, at, "default")) {
                    build += " (default)";
                }
                List<JsonNode> rounds = f.list(v, at, "rounds");
                int failed = (int) rounds.stream().filter(r -> r.path("failed").asBoolean(false)).count();
                JsonNode median = f.field(v, at, "median_examples_per_second");
                JsonNode ratio = f.field(v, at, "median_ratio_to_default");
                String medianAt = at + ".median_examples_per_second";
                String ratioAt = at + ".median_ratio_to_default";
                table.row(List.of(build, kernels(f.text(v, at, "kernels")),
                        medianAndBest(f, median, medianAt, rounds, "teacher_single_1t"),
                        medianAndBest(f, median, medianAt, rounds, "student_single_1t"),
                        MarkdownTable.fixed(f.number(ratio, ratioAt, "teacher_single_1t"), 2) + " / "
                                + MarkdownTable.fixed(f.number(ratio, ratioAt, "student_single_1t"), 2),
                        MarkdownTable.count(f.number(median, medianAt, "teacher_spark")) + " / "
                                + MarkdownTable.count(f.number(median, medianAt, "student_spark")),
                        MarkdownTable.fixed(f.number(v, at, "jar_mb"), 1) + " MB",
                        rounds.size() + (failed == 0 ? "" : " (" + failed + " failed)")));
            }
        }
        return new Rendered(table.render(), files);
    }

    /** What {@code NativeKernels.describe()} recorded, as the table names it. */
    private static String kernels(String recorded) {
        if (recorded.equals("cpu-onednn")) {
            return "oneDNN helpers";
        }
        if (recorded.startsWith("cpu-onednn")) {
            return "libnd4j (oneDNN build, helpers off)";
        }
        return recorded.equals("cpu") ? "libnd4j" : recorded;
    }

    private static String medianAndBest(ResultsFile f, JsonNode median, String medianAt, List<JsonNode> rounds,
                                        String key) {
        double best = rounds.stream().filter(r -> r.has(key)).mapToDouble(r -> r.get(key).doubleValue()).max()
                .orElseThrow(() -> f.bad(medianAt.replace(".median_examples_per_second", ".rounds"), "has no " + key));
        return MarkdownTable.count(f.number(median, medianAt, key)) + " (" + MarkdownTable.count(best) + ")";
    }
}
