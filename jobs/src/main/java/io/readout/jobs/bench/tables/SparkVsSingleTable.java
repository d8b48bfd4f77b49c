package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Spark parameter averaging against a single process, one row per network and file: the JSON of
 * {@code readout bench training} (one network: {@code runs}) and of {@code bench throughput} (one per
 * architecture: {@code training.ARCH.runs}). Columns: examples, K, examples/s of the single process
 * per thread count found in any file, Spark's median with its runs, and Spark / single per thread count.
 */
final class SparkVsSingleTable implements TableRenderer {
    static final String KIND = "spark-vs-single";

    /** One row's figures. */
    private record Row(String file, String net, long examples, int k, String master, Map<Integer, Double> single,
                       double spark, List<Double> sparkRuns, Map<Integer, Double> ratio) {
    }

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            JsonNode json = f.json();
            JsonNode config = f.field(json, "", "config");
            long examples = (long) f.number(json, "", "examples");
            int k = f.integer(config, "config", "averaging_frequency");
            if (json.has("training")) {
                for (Map.Entry<String, JsonNode> arch : f.entries(json, "", "training")) {
                    rows.add(row(f, arch.getKey(), examples, k, arch.getValue(), "training." + arch.getKey()));
                }
            } else {
                rows.add(row(f, f.text(config, "config", "arch"), examples, k, json, ""));
            }
        }
        Set<Integer> threads = new TreeSet<>();
        rows.forEach(r -> threads.addAll(r.single().keySet()));
        List<String> header = new ArrayList<>(List.of("file", "net", "examples", "K"));
        threads.forEach(t -> header.add("single, " + t + (t == 1 ? " thread" : " threads")));
        header.add("Spark master");
        header.add("Spark (runs)");
        threads.forEach(t -> header.add("Spark / single " + t + " t"));
        MarkdownTable table = new MarkdownTable(header);
        for (Row r : rows) {
            List<String> cells = new ArrayList<>(List.of(MarkdownTable.code(r.file()), r.net(),
                    MarkdownTable.count(r.examples()), String.valueOf(r.k())));
            threads.forEach(t -> cells.add(r.single().containsKey(t) ? MarkdownTable.count(r.single().get(t)) : ""));
            cells.add(r.master());
            cells.add(MarkdownTable.count(r.spark()) + " (" + String.join(", ",
                    r.sparkRuns().stream().map(MarkdownTable::count).toList()) + ")");
            threads.forEach(t -> cells.add(r.ratio().containsKey(t) ? MarkdownTable.fixed(r.ratio().get(t), 2) : ""));
            table.row(cells);
        }
        return new Rendered(table.render(), files);
    }

    /** A network's runs: single-process ones by thread count, one Spark run, and the file's ratios. */
    private static Row row(ResultsFile f, String net, long examples, int k, JsonNode parent, String at) {
        Map<Integer, Double> single = new TreeMap<>();
        Double spark = null;
        List<Double> sparkRuns = List.of();
        String master = "";
        List<JsonNode> runs = f.list(parent, at, "runs");
        for (int i = 0; i < runs.size(); i++) {
            JsonNode run = runs.get(i);
            String runAt = ResultsFile.join(at, "runs[" + i + "]");
            String mode = f.text(run, runAt, "mode");
            double median = f.number(run, runAt, "examples_per_second_median");
            if (mode.startsWith("single process")) {
                single.put(f.integer(run, runAt, "threads"), median);
            } else if (mode.startsWith("spark ")) {
                if (spark != null) {
                    throw f.bad(runAt, "is a second Spark run of " + net);
                }
                spark = median;
                sparkRuns = f.list(run, runAt, "examples_per_second").stream().map(JsonNode::doubleValue).toList();
                master = mode.substring("spark ".length()).split(",")[0].strip();
            } else {
                throw f.bad(runAt + ".mode", "is neither 'single process ...' nor 'spark ...': " + mode);
            }
        }
        if (spark == null) {
            throw f.bad(ResultsFile.join(at, "runs"), "has no Spark run");
        }
        Map<Integer, Double> ratio = new TreeMap<>();
        JsonNode ratios = f.field(parent, at, "spark_over_single");
        String ratiosAt = ResultsFile.join(at, "spark_over_single");
        for (int t : single.keySet()) {
            ratio.put(t, f.number(ratios, ratiosAt, "single_" + t + "_threads"));
        }
        return new Row(f.name(), net, examples, k, master, single, spark, sparkRuns, ratio);
    }
}
