package io.readout.jobs.pipeline;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout pipeline --seeds 0,1} on tiny synthetic data (a teacher with a student's arch, ERM and KD
 * students, one epoch of unaveraged steps, stripes easy enough that the seeds' figures differ): each seed's stages under {@code ROOT/seed=S/}, then {@code ROOT/aggregate/} whose
 * figures are recomputed here from every seed's metrics files, the mean ± std tables, the report with error
 * bars, a rerun that skips every stage, a re-aggregation that writes the same files, and a changed seed list
 * that reruns only the aggregate and the report.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineSeedsIT extends SharedSparkSession {
    private static final List<Long> SEEDS = List.of(0L, 1L);
    private static final List<String> PER_SEED = List.of("prepare", "teacher", "teacher-probs", "students/erm",
            "students/kd", "evaluate/teacher", "evaluate/students/erm", "evaluate/students/kd");
    /** The teacher has the ERM student's arch: the table names it after its folder. */
    private static final Map<String, String> RUNS = Map.of("teacher", "student erm (teacher)",
            "students/erm", "student erm", "students/kd", "student kd");
    private static final List<String> KEYS = List.of("run", "model", "split", "metric", "mean", "std", "min", "max", "n");
    private static final Map<String, String> METRIC_KEYS = Map.of("accuracy", "accuracy", "wga", "worst_group_accuracy",
            "group_mean", "group_mean_accuracy", "bias_conflicting", "bias_conflicting_accuracy");
    private static final Pattern OUTCOME = Pattern.compile("(?m)^\\[\\d+/\\d+] (\\S+): (done in|up to date|failed)");

    @TempDir
    static Path tmp;

    private static Path root() {
        return tmp.resolve("root");
    }

    private static CliRun pipeline(String... extra) throws IOException {
        Path config = tmp.resolve("pipeline.json");
        if (!Files.exists(config)) {
            Files.writeString(config, """
                    {"out": "%s", "seed": 9,
                     "prepare": {"dataset": "synthetic", "n-train": 288, "n-val": 64, "n-test": 64, "shards": 1,
                                 "rho": 0.9, "core-contrast": 0.25},
                     "train": {"epochs": 1, "batch": 16, "lr": 0.03, "workers": 1, "eval-batch": 64},
                     "teacher": {"arch": "student"},
                     "teacher_probs": {"temperature": 2},
                     "students": {"arch": "student", "methods": ["erm", "kd"]},
                     "report": {"examples-per-group": 1}}
                    """.formatted(root()));
        }
        List<String> args = new ArrayList<>(List.of("pipeline", "--config", config.toString()));
        if (!List.of(extra).contains("--seeds")) {
            args.addAll(List.of("--seeds", "0,1"));
        }
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static Map<String, String> outcomes(CliRun run) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = OUTCOME.matcher(run.out());
        while (matcher.find()) {
            m.put(matcher.group(1), matcher.group(2));
        }
        return m;
    }

    private static List<String> ran(CliRun run) {
        return outcomes(run).entrySet().stream().filter(e -> e.getValue().equals("done in")).map(Map.Entry::getKey)
                .toList();
    }

    private static List<String> allStages() {
        List<String> all = new ArrayList<>();
        for (long s : SEEDS) {
            PER_SEED.forEach(n -> all.add("seed=" + s + "/" + n));
        }
        all.addAll(List.of("aggregate", "report"));
        return all;
    }

    private static Map<String, Object> json(Path file) throws IOException {
        return Json.readObject(Files.readString(file), file.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Path file) throws IOException {
        return Json.mapper().readValue(Files.readString(file), List.class);
    }

    /** Every seed's figure, read straight from the metrics files: (run, model, split, metric) → seed → value. */
    private static Map<List<String>, Map<Long, Double>> perSeed(List<Long> seeds) throws IOException {
        Map<List<String>, Map<Long, Double>> out = new LinkedHashMap<>();
        for (long seed : seeds) {
            for (Map.Entry<String, String> run : RUNS.entrySet()) {
                for (String model : List.of("final", "best")) {
                    for (String split : List.of("val", "test")) {
                        Path file = root().resolve("seed=" + seed).resolve(run.getKey())
                                .resolve("metrics" + (model.equals("best") ? "/best/" : "/") + split + ".json");
                        Map<String, Object> m = json(file);
                        for (Map.Entry<String, String> metric : METRIC_KEYS.entrySet()) {
                            if (m.get(metric.getValue()) instanceof Number n) {
                                out.computeIfAbsent(List.of(run.getValue(), model, split, metric.getKey()),
                                        k -> new LinkedHashMap<>()).put(seed, n.doubleValue());
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** mean, std (n − 1), min, max of values in seed order, as the task defines them. */
    private static void assertSummary(List<Double> values, Map<String, Object> o) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.size();
        assertEquals(mean, ((Number) o.get("mean")).doubleValue(), 0.0, o.toString());
        assertEquals(values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
                ((Number) o.get("min")).doubleValue(), 0.0, o.toString());
        assertEquals(values.stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
                ((Number) o.get("max")).doubleValue(), 0.0, o.toString());
        assertEquals(values.size(), ((Number) o.get("n")).intValue(), o.toString());
        if (values.size() == 1) {
            assertNull(o.get("std"), o.toString());
            return;
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / (values.size() - 1));
        double got = ((Number) o.get("std")).doubleValue();
        assertEquals(std, got, 1e-12 * Math.max(Math.abs(std), Math.abs(got)), o.toString());
    }

    private static void assertMethods(List<Long> seeds) throws IOException {
        Map<List<String>, Map<Long, Double>> figures = perSeed(seeds);
        List<Map<String, Object>> methods = list(root().resolve("aggregate/methods.json"));
        assertEquals(figures.size(), methods.size(), "one entry per run, model, split and metric with a value");
        for (Map<String, Object> o : methods) {
            assertEquals(KEYS, List.copyOf(o.keySet()));
            Map<Long, Double> bySeed = figures.get(List.of((String) o.get("run"), (String) o.get("model"),
                    (String) o.get("split"), (String) o.get("metric")));
            assertTrue(bySeed != null, "a figure of the files: " + o);
            assertSummary(seeds.stream().filter(bySeed::containsKey).map(bySeed::get).toList(), o);
        }
    }

    private static void assertPaired(List<Long> seeds) throws IOException {
        Map<List<String>, Map<Long, Double>> figures = perSeed(seeds);
        List<Map<String, Object>> paired = list(root().resolve("aggregate/paired.json"));
        int expected = 0;
        for (String baseline : List.of("student erm", "student kd")) {
            for (Map.Entry<List<String>, Map<Long, Double>> f : figures.entrySet()) {
                List<String> key = f.getKey();
                Map<Long, Double> base = figures.get(List.of(baseline, key.get(1), key.get(2), key.get(3)));
                if (key.get(0).equals(baseline) || base == null) {
                    continue;
                }
                expected++;
                Map<String, Object> o = paired.stream().filter(p -> p.get("run").equals(key.get(0))
                        && p.get("baseline").equals(baseline) && p.get("model").equals(key.get(1))
                        && p.get("split").equals(key.get(2)) && p.get("metric").equals(key.get(3)))
                        .findFirst().orElseThrow(() -> new AssertionError(key + " vs " + baseline + " in paired.json"));
                assertEquals(List.of("run", "baseline", "model", "split", "metric", "mean", "std", "min", "max", "n"),
                        List.copyOf(o.keySet()));
                List<Double> differences = seeds.stream().filter(s -> f.getValue().containsKey(s) && base.containsKey(s))
                        .map(s -> f.getValue().get(s) - base.get(s)).toList();
                assertSummary(differences, o);
            }
        }
        assertEquals(expected, paired.size(), "every other run against each baseline, nothing else");
        assertTrue(expected > 0);
    }

    @Test
    @Order(1)
    void eachSeedRunsUnderItsFolderAndTheAggregateRecomputesFromTheirFiles() throws IOException {
        CliRun run = pipeline();
        assertEquals(0, run.code(), run.err() + run.out());
        assertEquals(allStages(), ran(run));
        for (long s : SEEDS) {
            Path seed = root().resolve("seed=" + s);
            for (String dir : List.of("data", "teacher", "teacher-probs", "students/erm", "students/kd")) {
                assertTrue(Files.exists(seed.resolve(dir).resolve("_SUCCESS")), seed.resolve(dir).toString());
            }
            for (String r : RUNS.keySet()) {
                for (String f : List.of("metrics/val.json", "metrics/test.json", "metrics/best/val.json",
                        "metrics/best/test.json")) {
                    assertTrue(Files.exists(seed.resolve(r).resolve(f)), seed.resolve(r).resolve(f).toString());
                }
            }
            assertEquals("done", json(seed.resolve("stages/students-kd.json")).get("status"));
            assertTrue(Json.write(json(seed.resolve("students/kd/config.json"))).contains("\"seed\" : " + s));
            assertTrue(Files.readString(seed.resolve("data/dataset.json")).contains("\"seed\" : " + s + ","),
                    "each seed prepares its own data with its own seed");
        }
        // A seed list has no single-seed layout at the root: only the seeds, the shared stages and the outputs.
        try (var files = Files.list(root())) {
            assertEquals(List.of("aggregate", "pipeline.json", "report", "seed=0", "seed=1", "stages"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
        }
        assertEquals("done", json(root().resolve("stages/aggregate.json")).get("status"));
        for (String f : List.of("_SUCCESS", "methods.json", "paired.json", "seeds/_SUCCESS", "methods/_SUCCESS")) {
            assertTrue(Files.exists(root().resolve("aggregate").resolve(f)), f);
        }

        assertMethods(SEEDS);
        assertPaired(SEEDS);
        // The data is hard enough for the seeds to differ: the recomputations above compare figures that vary.
        assertTrue(list(root().resolve("aggregate/methods.json")).stream()
                .anyMatch(o -> ((Number) o.get("std")).doubleValue() > 0), "some figure varies over the seeds");
        assertTrue(list(root().resolve("aggregate/paired.json")).stream()
                .anyMatch(o -> ((Number) o.get("mean")).doubleValue() != 0), "some run differs from a baseline");
        List<Row> seedsTable = spark.read().parquet(root().resolve("aggregate/seeds").toString()).collectAsList();
        Map<List<String>, Map<Long, Double>> figures = perSeed(SEEDS);
        assertEquals(figures.values().stream().mapToInt(Map::size).sum(), seedsTable.size());
        for (Row r : seedsTable) {
            assertEquals(figures.get(List.of(r.getString(0), r.getString(1), r.getString(2), r.getString(3)))
                    .get(r.getLong(4)), r.getDouble(5), 0.0, r.toString());
        }
        assertEquals(List.of("run", "model", "split", "metric", "mean", "std", "min", "max", "n"),
                List.of(spark.read().parquet(root().resolve("aggregate/methods").toString()).columns()));
        assertEquals(figures.size(), spark.read().parquet(root().resolve("aggregate/methods").toString()).count());

        // The closing tables: mean ± std per cell, the seeds named, the paired differences.
        assertTrue(run.out().matches("(?s).*\\nstudent kd +final +[01]\\.\\d{4} ± [01]\\.\\d{4} .*"), run.out());
        assertTrue(run.out().contains("mean ± std over 2 seeds (0, 1)"), run.out());
        assertTrue(run.out().contains("test wga minus the baseline's, paired by seed (mean ± std):"), run.out());
        assertTrue(run.out().matches("(?s).*\\nstudent kd +[-+][01]\\.\\d{4} ± [01]\\.\\d{4} .*"), run.out());

        // The report of the whole root: self-contained, bars with whiskers and a dot per seed.
        String html = Files.readString(root().resolve("report/report.html"));
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("<script"), "self-contained");
        assertTrue(html.contains("Accuracy over 2 seeds"), "the table over seeds");
        long withStd = list(root().resolve("aggregate/methods.json")).stream()
                .filter(o -> o.get("model").equals("final") && o.get("std") != null).count();
        assertEquals(withStd, html.split("class=\"whisker\"", -1).length - 1, "a whisker per final figure with a std");
        long finals = list(root().resolve("aggregate/methods.json")).stream().filter(o -> o.get("model").equals("final"))
                .count();
        assertEquals(2 * finals, html.split("class=\"seed-point\"", -1).length - 1, "a dot per seed and figure");
        assertTrue(html.contains(" ± "), "mean ± std cells");
        Map<String, Object> summary = json(root().resolve("report/summary.json"));
        assertEquals(List.of(0, 1), summary.get("seeds"));
        assertEquals(list(root().resolve("aggregate/methods.json")), summary.get("methods"));
    }

    @Test
    @Order(2)
    void aRerunSkipsEveryStageAndTheDryRunListsThemPerSeed() throws IOException {
        CliRun run = pipeline();
        assertEquals(0, run.code(), run.err());
        assertEquals(List.of(), ran(run));
        assertEquals(allStages().size(), outcomes(run).values().stream().filter("up to date"::equals).count(), run.out());

        CliRun dry = pipeline("--dry-run");
        assertEquals(0, dry.code(), dry.err());
        String out = dry.out();
        assertTrue(out.contains("seeds 0, 1, each under ROOT/seed=S/"), out);
        int seed0 = out.indexOf("under ROOT/seed=0:\n");
        int seed1 = out.indexOf("under ROOT/seed=1:\n");
        int shared = out.indexOf("under ROOT:\n");
        assertTrue(0 < seed0 && seed0 < seed1 && seed1 < shared, out);
        assertTrue(out.substring(seed0, seed1).contains("] seed=0/students/kd: up to date, would be skipped"), out);
        assertTrue(out.substring(shared).contains("] aggregate: up to date, would be skipped\n    readout aggregate "), out);
    }

    @Test
    @Order(3)
    void aggregatingAgainWritesTheSameFilesAndTheReportPrintsMeanAndStd() throws IOException {
        String methods = Files.readString(root().resolve("aggregate/methods.json"));
        String paired = Files.readString(root().resolve("aggregate/paired.json"));
        CliRun again = CliRun.of("aggregate", "--run", root().toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(methods, Files.readString(root().resolve("aggregate/methods.json")));
        assertEquals(paired, Files.readString(root().resolve("aggregate/paired.json")));

        CliRun report = CliRun.of("report", "--run", root().toString(), "--examples-per-group", "0");
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().matches("(?s).*\\nstudent erm +[01]\\.\\d{4} ± [01]\\.\\d{4}.*"), report.out());
        assertTrue(report.out().contains("mean ± std over 2 seeds (0, 1), final model"), report.out());
    }

    @Test
    @Order(4)
    void aChangedSeedListRerunsTheAggregateAndTheReportOnly() throws IOException {
        CliRun run = pipeline("--seeds", "1");
        assertEquals(0, run.code(), run.err());
        List<String> skipped = new ArrayList<>();
        PER_SEED.forEach(n -> skipped.add("seed=1/" + n));
        assertEquals(List.of("aggregate", "report"), ran(run));
        assertEquals(skipped, outcomes(run).entrySet().stream().filter(e -> e.getValue().equals("up to date"))
                .map(Map.Entry::getKey).toList());
        assertMethods(List.of(1L));
        assertPaired(List.of(1L));
        assertTrue(run.out().matches("(?s).*\\nstudent kd +final +[01]\\.\\d{4} ± - .*"), "no std of one seed\n" + run.out());
        assertTrue(run.out().contains("mean ± std over 1 seed (1)"), run.out());
    }
}
