package io.readout.jobs.pipeline;

import io.readout.common.Json;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's closing table: for every evaluated run, the final and the validation-selected model,
 * average and worst-group accuracy on val and test, and test group-mean accuracy.
 */
public final class MethodsTable {
    /** One model's figures; null where a split was not evaluated. */
    public record Row(String run, String model, Double valAccuracy, Double valWga, Double testAccuracy,
                      Double testWga, Double testGroupMean) {
    }

    private MethodsTable() {
    }

    /** The rows of the runs (folder names under {@code root}) that have metrics, final then best. */
    public static List<Row> read(Configuration conf, String root, List<String> runs) {
        List<Row> rows = new ArrayList<>();
        for (String name : runs) {
            RunDir run = new RunDir(conf, io.readout.datasets.io.HadoopInputs.child(root, name));
            String label = label(run, name);
            for (String model : List.of("final", "best")) {
                String dir = RunDir.METRICS + (model.equals("best") ? "/best/" : "/");
                Map<String, Object> val = metrics(run, dir + "val.json");
                Map<String, Object> test = metrics(run, dir + "test.json");
                if (val == null && test == null) {
                    continue;
                }
                rows.add(new Row(label, model, figure(val, "accuracy"), figure(val, "worst_group_accuracy"),
                        figure(test, "accuracy"), figure(test, "worst_group_accuracy"),
                        figure(test, "group_mean_accuracy")));
            }
        }
        return rows;
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

    /** "student dedier": the arch and method of its config.json, else the folder name. */
    private static String label(RunDir run, String name) {
        if (!run.exists(RunDir.CONFIG)) {
            return name;
        }
        Map<String, Object> c = Json.readObject(run.readText(RunDir.CONFIG), run.path(RunDir.CONFIG));
        return c.get("arch") + " " + c.get("method");
    }

    private static Map<String, Object> metrics(RunDir run, String name) {
        return run.exists(name) ? Json.readObject(run.readText(name), run.path(name)) : null;
    }

    private static Double figure(Map<String, Object> m, String key) {
        return m != null && m.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static String text(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
