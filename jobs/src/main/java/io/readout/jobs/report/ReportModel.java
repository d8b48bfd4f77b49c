package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.metrics.SplitMetrics;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.run.TrainingHistory;
import io.readout.jobs.train.Dedier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The runs under a root as the report reads them: every complete run folder
 * ({@code config.json} and {@code _SUCCESS}) at depth 0 to {@value #MAX_DEPTH} below the root, not looking
 * inside a run (a JTT run's {@code stage1/} is its own business), nor into hidden or {@code _}-prefixed
 * folders. Per run: method and arch from {@code config.json}, {@code metrics/val.json} and
 * {@code metrics/test.json} (absent when not evaluated), the epochs of {@code history.json}, and for a
 * DEDIER run the newest {@code weights/epoch=NNNN/summary.json}. Runs are ordered teacher before student,
 * then erm, kd, jtt, dedier, sifer, then by folder. A malformed file is bad input naming it.
 */
public record ReportModel(String root, List<Run> runs) {
    public static final int MAX_DEPTH = 2;
    public static final List<String> METHOD_ORDER = List.of("erm", "kd", "jtt", "dedier", "sifer");
    public static final List<String> ARCH_ORDER = List.of("teacher", "student");

    /** One column of the methods table: a split's figure. */
    public record Column(String key, String split, String header, Function<SplitMetrics, Double> figure) {
        /** The run's value, NaN when the run has no metrics for the split (or no bias-conflicting examples). */
        public double of(Run run) {
            SplitMetrics m = "val".equals(split) ? run.val() : run.test();
            Double v = m == null ? null : figure.apply(m);
            return v == null ? Double.NaN : v;
        }
    }

    public static final List<Column> COLUMNS = columns();

    private static List<Column> columns() {
        List<Column> out = new ArrayList<>();
        for (String split : List.of("val", "test")) {
            out.add(new Column(split + "_accuracy", split, "average", SplitMetrics::accuracy));
            out.add(new Column(split + "_worst_group_accuracy", split, "worst-group", SplitMetrics::worstGroupAccuracy));
            out.add(new Column(split + "_group_mean_accuracy", split, "group-mean", SplitMetrics::groupMeanAccuracy));
            out.add(new Column(split + "_bias_conflicting_accuracy", split, "bias-conflicting",
                    SplitMetrics::biasConflictingAccuracy));
        }
        return List.copyOf(out);
    }

    /** One epoch of {@code history.json}: its number and every figure it recorded, as the file holds them. */
    public record Epoch(int epoch, JsonNode figures) {
        /** A numeric figure, NaN when absent or null. */
        public double figure(String key) {
            return figures.path(key).isNumber() ? figures.get(key).doubleValue() : Double.NaN;
        }
    }

    /** A DEDIER weights pass's {@code summary.json}, as much as the report shows. */
    public record Weights(int epoch, String file, long examples, long flagged, double flaggedFraction, double maxWeight,
                          List<SvgCharts.Bin> histogram, List<WeightGroup> groups) {
    }

    /** One group of a weights summary; the confidence is NaN when the readout made no error there. */
    public record WeightGroup(int group, long n, double flaggedFraction, double meanWeight, double meanErrorConfidence) {
    }

    /**
     * A run folder.
     *
     * @param dir      its qualified path
     * @param relative its path below the root ({@code .} for the root itself)
     * @param data     the examples table it was trained on (config.json's {@code data}), or null
     * @param weights  the newest DEDIER weights summary, or null
     * @param config   config.json as the file holds it
     */
    public record Run(String label, String method, String arch, String dir, String relative, String data,
                      SplitMetrics val, SplitMetrics test, String select, Integer bestEpoch, List<Epoch> epochs,
                      Weights weights, JsonNode config) {
        public Epoch finalEpoch() {
            return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
        }

        public Epoch epoch(Integer number) {
            return number == null ? null : epochs.stream().filter(e -> e.epoch() == number).findFirst().orElse(null);
        }

        /** The x and y values of a history figure over the epochs (NaN where an epoch lacks it). */
        public double[][] curve(String key) {
            double[] x = new double[epochs.size()];
            double[] y = new double[epochs.size()];
            for (int i = 0; i < epochs.size(); i++) {
                x[i] = epochs.get(i).epoch();
                y[i] = epochs.get(i).figure(key);
            }
            return new double[][] {x, y};
        }

        public boolean hasFigure(String key) {
            return epochs.stream().anyMatch(e -> !Double.isNaN(e.figure(key)));
        }

        /** The sum of a figure over the epochs that have it (seconds: the run's training time); NaN when none has. */
        public double total(String key) {
            return epochs.stream().mapToDouble(e -> e.figure(key)).filter(v -> !Double.isNaN(v))
                    .reduce(Double::sum).orElse(Double.NaN);
        }
    }

    /** Runs with the highest value of a column (all of them on a tie); empty when no run has a value. */
    public List<Run> best(Column column) {
        double max = Double.NEGATIVE_INFINITY;
        for (Run r : runs) {
            double v = column.of(r);
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            if (column.of(r) == max) {
                out.add(r);
            }
        }
        return out;
    }

    /** Reads every run under {@code root}; bad input when the root is missing or holds no run. */
    public static ReportModel read(Configuration conf, String root) {
        return read(conf, root, null);
    }

    /**
     * Reads the runs under {@code root} whose folders (relative to it) are {@code runs}; null: those of the root's
     * {@code pipeline.json} when it has one, else every run found. Bad input when the root is missing or holds
     * no such run.
     */
    public static ReportModel read(Configuration conf, String root, List<String> runs) {
        HadoopInputs in = new HadoopInputs(conf);
        in.requireDirectory(root, "ROOT");
        Path rootPath = new Path(root);
        FileSystem fs = in.fs(rootPath);
        rootPath = fs.makeQualified(rootPath);
        List<Path> dirs = new ArrayList<>();
        discover(fs, rootPath, 0, dirs);
        List<String> wanted = runs != null ? runs : pipelineRuns(in, rootPath);
        if (wanted != null) {
            String prefix = rootPath.toUri().getPath() + "/";
            dirs = dirs.stream().filter(d -> wanted.contains(d.toUri().getPath().substring(prefix.length()))).toList();
        }
        if (dirs.isEmpty()) {
            throw new BadInputException("ROOT " + root + ": no run folders (config.json and _SUCCESS) at depth 0 to "
                    + MAX_DEPTH);
        }
        List<Run> out = new ArrayList<>();
        for (Path d : dirs) {
            out.add(readRun(in, rootPath, d));
        }
        out.sort(Comparator.comparingInt((Run r) -> rank(ARCH_ORDER, r.arch()))
                .thenComparingInt(r -> rank(METHOD_ORDER, r.method()))
                .thenComparing(Run::relative));
        return new ReportModel(HadoopInputs.display(rootPath), label(out));
    }

    /**
     * A pipeline's root ({@code pipeline.json} beside its runs): only the runs of its current config, so a
     * student dropped from the config, whose folder is still there, is not reported beside the others; null
     * for a root without one.
     */
    private static List<String> pipelineRuns(HadoopInputs in, Path root) {
        PipelineRoot.Record record = PipelineRoot.record(in.conf(), root.toString());
        return record == null ? null : record.runs();
    }

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }

    private static void discover(FileSystem fs, Path dir, int depth, List<Path> out) {
        try {
            if (fs.exists(new Path(dir, RunDir.CONFIG)) && fs.exists(new Path(dir, RunDir.SUCCESS))) {
                out.add(dir);
                return;
            }
            if (depth == MAX_DEPTH) {
                return;
            }
            FileStatus[] children = fs.listStatus(dir);
            Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
            for (FileStatus s : children) {
                String name = s.getPath().getName();
                if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")) {
                    discover(fs, s.getPath(), depth + 1, out);
                }
            }
        } catch (IOException e) {
            throw new BadInputException(HadoopInputs.display(dir) + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** "arch method", with the folder appended where two runs would share a label. */
    private static List<Run> label(List<Run> runs) {
        Map<String, Integer> counts = new HashMap<>();
        for (Run r : runs) {
            counts.merge(r.label(), 1, Integer::sum);
        }
        List<Run> out = new ArrayList<>();
        for (Run r : runs) {
            String label = counts.get(r.label()) > 1 ? r.label() + " (" + r.relative() + ")" : r.label();
            out.add(new Run(label, r.method(), r.arch(), r.dir(), r.relative(), r.data(), r.val(), r.test(), r.select(),
                    r.bestEpoch(), r.epochs(), r.weights(), r.config()));
        }
        return out;
    }

    private static Run readRun(HadoopInputs in, Path root, Path dir) {
        JsonNode config = readJson(in, new Path(dir, RunDir.CONFIG));
        String method = config.path("method").isTextual() ? config.get("method").asText() : "?";
        String arch = config.path("arch").isTextual() ? config.get("arch").asText() : "?";
        String data = config.path("data").isTextual() ? config.get("data").asText() : null;
        String relative = relative(root, dir);
        SplitMetrics val = readMetrics(in, new Path(dir, RunDir.METRICS + "/val.json"));
        SplitMetrics test = readMetrics(in, new Path(dir, RunDir.METRICS + "/test.json"));
        List<Epoch> epochs = new ArrayList<>();
        String select = null;
        Integer bestEpoch = null;
        Path historyPath = new Path(dir, RunDir.HISTORY);
        if (in.exists(historyPath.toString())) {
            JsonNode history = readJson(in, historyPath);
            try {
                select = optionalText(history, "select");
                bestEpoch = history.path(TrainingHistory.BEST_EPOCH).isNumber() ? history.get(TrainingHistory.BEST_EPOCH).intValue() : null;
                JsonNode list = history.path("epochs");
                if (!list.isMissingNode() && !list.isNull()) {
                    for (JsonNode e : array(list)) {
                        epochs.add(new Epoch((int) number(e, "epoch"), e));
                    }
                }
            } catch (RuntimeException e) {
                throw malformed(historyPath, "history", e);
            }
        }
        Weights weights = "dedier".equals(method) ? newestWeights(in, dir) : null;
        return new Run(arch + " " + method, method, arch, dir.toString(), relative, data, val, test, select, bestEpoch,
                List.copyOf(epochs), weights, config);
    }

    private static String relative(Path root, Path dir) {
        String r = root.toUri().getPath();
        String d = dir.toUri().getPath();
        if (d.equals(r)) {
            return ".";
        }
        return d.startsWith(r + "/") ? d.substring(r.length() + 1) : d;
    }

    private static SplitMetrics readMetrics(HadoopInputs in, Path file) {
        if (!in.exists(file.toString())) {
            return null;
        }
        String text = new String(in.readAll(file.toString(), "report input"), StandardCharsets.UTF_8);
        try {
            // SplitMetrics reads the map Json.readObject gives
            SplitMetrics m = SplitMetrics.fromJson(Json.readObject(text, HadoopInputs.display(file)));
            if (m.groups().isEmpty()) {
                throw new IllegalArgumentException("no groups");
            }
            return m;
        } catch (BadInputException e) {
            throw e; // not JSON: says so itself
        } catch (RuntimeException e) {
            throw malformed(file, "metrics", e);
        }
    }

    /** The summary of the newest {@code weights/epoch=NNNN/} that has one, or null. */
    private static Weights newestWeights(HadoopInputs in, Path dir) {
        Path weightsDir = new Path(dir, Dedier.WEIGHTS);
        if (!in.exists(weightsDir.toString())) {
            return null;
        }
        int newest = -1;
        for (FileStatus s : in.list(weightsDir.toString(), "weights folder")) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.matches("epoch=\\d+") && in.exists(new Path(s.getPath(), "summary.json").toString())) {
                newest = Math.max(newest, Integer.parseInt(name.substring("epoch=".length())));
            }
        }
        if (newest < 0) {
            return null;
        }
        Path file = new Path(weightsDir, String.format(Locale.ROOT, "epoch=%04d/summary.json", newest));
        JsonNode json = readJson(in, file);
        try {
            List<SvgCharts.Bin> bins = new ArrayList<>();
            for (JsonNode b : array(json.get("histogram"))) {
                JsonNode to = b.path("to");
                bins.add(new SvgCharts.Bin(number(b, "from"), to.isMissingNode() || to.isNull() ? null : number(b, "to"),
                        (long) number(b, "count")));
            }
            List<WeightGroup> groups = new ArrayList<>();
            for (JsonNode g : array(json.get("groups"))) {
                groups.add(new WeightGroup((int) number(g, "group"), (long) number(g, "n"), number(g, "flagged_fraction"),
                        numberOrNaN(g.get("mean_weight")), numberOrNaN(g.get("mean_error_confidence"))));
            }
            return new Weights(newest, HadoopInputs.display(file), (long) number(json, "examples"),
                    (long) number(json, "flagged"), number(json, "flagged_fraction"),
                    numberOrNaN(json.get("max_weight")), List.copyOf(bins), List.copyOf(groups));
        } catch (RuntimeException e) {
            throw malformed(file, "weights summary", e);
        }
    }

    private static double numberOrNaN(JsonNode v) {
        return v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
    }

    /** A field that must be a number; the messages {@link #malformed} turns into its reasons. */
    private static double number(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            throw new NullPointerException(key);
        }
        if (!v.isNumber()) {
            throw new ClassCastException(key);
        }
        return v.doubleValue();
    }

    /** A text field or null; a field of another type is malformed. */
    private static String optionalText(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ClassCastException(key);
        }
        return v.asText();
    }

    /** A list of objects; anything else is malformed. */
    private static List<JsonNode> array(JsonNode v) {
        if (v == null || v.isNull()) {
            throw new NullPointerException();
        }
        if (!v.isArray()) {
            throw new ClassCastException();
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode o : v) {
            if (!o.isObject()) {
                throw new ClassCastException();
            }
            out.add(o);
        }
        return out;
    }

    private static JsonNode readJson(HadoopInputs in, Path file) {
        String where = HadoopInputs.display(file);
        return Json.mapper().valueToTree(Json.readObject(new String(in.readAll(file.toString(), "report input"),
                StandardCharsets.UTF_8), where));
    }

    private static BadInputException malformed(Path file, String what, RuntimeException e) {
        String reason = e instanceof NullPointerException ? "a field is missing"
                : e instanceof ClassCastException ? "a field has the wrong type"
                : String.valueOf(e.getMessage()).replace('\n', ' ');
        return new BadInputException(HadoopInputs.display(file) + ": malformed " + what + " (" + reason + ")", e);
    }

    /** Columns to their values (null where NaN), for summary.json. */
    static Map<String, Double> figures(Run run) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Column c : COLUMNS) {
            double v = c.of(run);
            m.put(c.key(), Double.isNaN(v) ? null : v);
        }
        return m;
    }
}
