package io.readout.jobs.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's closing table: for every evaluated run, the final and the validation-selected model,
 * average and worst-group accuracy on val and test, and test group-mean accuracy. With a seed list, the
 * same table of {@code mean ± std} over the seeds ({@code ROOT/aggregate/methods.json}) and the paired
 * differences of test worst-group accuracy against the ERM and KD students.
 */
public final class MethodsTable {
    /** One model's figures; null where a split was not evaluated. */
    public record Row(String run, String model, Double valAccuracy, Double valWga, Double testAccuracy,
                      Double testWga, Double testGroupMean) {
    }

    /** The table's columns as (split, metric) of the aggregate. */
    private static final List<String[]> COLUMNS = List.of(new String[] {"val", SeedFigures.ACCURACY},
            new String[] {"val", SeedFigures.WGA}, new String[] {"test", SeedFigures.ACCURACY},
            new String[] {"test", SeedFigures.WGA}, new String[] {"test", SeedFigures.GROUP_MEAN});
    private static final List<String> HEADERS = List.of("val acc", "val wga", "test acc", "test wga", "test gmean");

    private MethodsTable() {
    }

    /** The rows of the runs (folder names under {@code root}) that have metrics, final then best. */
    public static List<Row> read(Configuration conf, String root, List<String> runs) {
        List<Row> rows = new ArrayList<>();
        Map<String, String> labels = labels(conf, root, runs);
        for (String name : runs) {
            RunDir run = new RunDir(conf, HadoopInputs.child(root, name));
            for (String model : List.of("final", "best")) {
                String dir = RunDir.METRICS + (model.equals("best") ? "/best/" : "/");
                JsonNode val = metrics(run, dir + "val.json");
                JsonNode test = metrics(run, dir + "test.json");
                if (val == null && test == null) {
                    continue;
                }
                rows.add(new Row(labels.get(name), model, figure(val, "accuracy"), figure(val, "worst_group_accuracy"),
                        figure(test, "accuracy"), figure(test, "worst_group_accuracy"),
                        figure(test, "group_mean_accuracy")));
            }
        }
        return rows;
    }

    /**
     * How the table names each run folder under {@code root}: "student dedier", the arch and method of its
     * config.json (else the folder name). The teacher is an ERM run: when it has a student's arch it would
     * share the ERM student's name, so it is then named "student erm (teacher)".
     */
    public static Map<String, String> labels(Configuration conf, String root, List<String> runs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String name : runs) {
            labels.put(name, label(new RunDir(conf, HadoopInputs.child(root, name)), name));
        }
        String teacher = labels.get(PipelineRoot.TEACHER_DIR);
        if (teacher != null && labels.entrySet().stream()
                .anyMatch(e -> !e.getKey().equals(PipelineRoot.TEACHER_DIR) && e.getValue().equals(teacher))) {
            labels.put(PipelineRoot.TEACHER_DIR, teacher + " (" + PipelineRoot.TEACHER_DIR + ")");
        }
        return labels;
    }

    public static String format(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-18s %-6s %8s %8s %9s %9s %10s%n", "run",
                "model", "val acc", "val wga", "test acc", "test wga", "test gmean"));
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-18s %-6s %8s %8s %9s %9s %10s%n", r.run(), r.model(),
                    text(r.valAccuracy()), text(r.valWga()), text(r.testAccuracy()), text(r.testWga()),
                    text(r.testGroupMean())));
        }
        return b.toString();
    }

    /**
     * The table over seeds: per run and model (in the aggregate's order) each column as {@code mean ± std}
     * ({@code -} for the std of one seed), then a line naming the seeds.
     */
    public static String formatSeeds(List<AggregateFiles.Method> methods, List<Long> seeds) {
        AggregateFiles.Aggregate a = new AggregateFiles.Aggregate(methods, List.of());
        Set<List<String>> rows = new LinkedHashSet<>();
        methods.forEach(m -> rows.add(List.of(m.run(), m.model())));
        int width = Math.max(18, rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0));
        String line = "%-" + width + "s %-6s" + " %17s".repeat(COLUMNS.size()) + "%n";
        List<Object> header = new ArrayList<>(List.of("run", "model"));
        header.addAll(HEADERS);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, line, header.toArray()));
        for (List<String> r : rows) {
            List<Object> cells = new ArrayList<>(r);
            for (String[] c : COLUMNS) {
                AggregateFiles.Method m = a.method(r.get(0), r.get(1), c[0], c[1]);
                cells.add(m == null ? "-" : meanStd(m.summary(), false));
            }
            b.append(String.format(Locale.ROOT, line, cells.toArray()));
        }
        b.append(String.format(Locale.ROOT, "mean ± std over %d seed%s (%s)%n", seeds.size(), seeds.size() == 1 ? "" : "s",
                String.join(", ", seeds.stream().map(String::valueOf).toList())));
        return b.toString();
    }

    /**
     * Test worst-group accuracy of each run minus each baseline's, paired by seed ({@code mean ± std} of the
     * differences), final and best model; runs in {@code order}. Empty when no baseline is among the runs.
     */
    public static String formatPaired(List<AggregateFiles.Paired> paired, List<String> order) {
        List<String[]> columns = new ArrayList<>();
        for (String baseline : SeedFigures.BASELINES) {
            for (String model : SeedFigures.MODELS) {
                if (paired.stream().anyMatch(p -> p.baseline().equals(baseline) && p.model().equals(model))) {
                    columns.add(new String[] {baseline, model});
                }
            }
        }
        if (columns.isEmpty()) {
            return "";
        }
        List<String> runs = order.stream().filter(r -> paired.stream().anyMatch(p -> p.run().equals(r))).toList();
        int width = Math.max(18, runs.stream().mapToInt(String::length).max().orElse(0));
        String line = "%-" + width + "s" + " %22s".repeat(columns.size()) + "%n";
        List<Object> header = new ArrayList<>(List.of("run"));
        columns.forEach(c -> header.add(c[1] + " vs " + c[0]));
        StringBuilder b = new StringBuilder("test wga minus the baseline's, paired by seed (mean ± std):\n");
        b.append(String.format(Locale.ROOT, line, header.toArray()));
        for (String run : runs) {
            List<Object> cells = new ArrayList<>(List.of(run));
            for (String[] c : columns) {
                SeedSummary s = paired.stream().filter(p -> p.run().equals(run) && p.baseline().equals(c[0])
                                && p.model().equals(c[1]) && p.split().equals("test") && p.metric().equals(SeedFigures.WGA))
                        .map(AggregateFiles.Paired::summary).findFirst().orElse(null);
                cells.add(s == null ? "-" : meanStd(s, true));
            }
            b.append(String.format(Locale.ROOT, line, cells.toArray()));
        }
        return b.toString();
    }

    /** {@code 0.7747 ± 0.0204}; {@code +0.0120 ± 0.0300} when signed; {@code ± -} for one seed. */
    public static String meanStd(SeedSummary s, boolean signed) {
        return String.format(Locale.ROOT, signed ? "%+.4f ± %s" : "%.4f ± %s", s.mean(),
                s.std() == null ? "-" : String.format(Locale.ROOT, "%.4f", s.std()));
    }

    /** "student dedier": the arch and method of its config.json, else the folder name. */
    private static String label(RunDir run, String name) {
        if (!run.exists(RunDir.CONFIG)) {
            return name;
        }
        JsonNode c = AggregateFiles.tree(run.readText(RunDir.CONFIG), run.path(RunDir.CONFIG));
        return shown(c.get("arch")) + " " + shown(c.get("method"));
    }

    /** A config value as text: a string as it is, anything else as JSON, "null" when absent. */
    private static String shown(JsonNode v) {
        return v == null || v.isNull() ? "null" : v.isTextual() ? v.asText() : v.toString();
    }

    private static JsonNode metrics(RunDir run, String name) {
        return run.exists(name) ? AggregateFiles.tree(run.readText(name), run.path(name)) : null;
    }

    private static Double figure(JsonNode m, String key) {
        return m != null && m.path(key).isNumber() ? m.get(key).doubleValue() : null;
    }

    private static String text(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
