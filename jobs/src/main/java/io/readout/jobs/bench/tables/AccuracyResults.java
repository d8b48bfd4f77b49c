package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An accuracy results file: what {@code readout pipeline --seeds} aggregates over seeds
 * ({@code ROOT/aggregate/methods.json} and {@code paired.json}), committed with a header that says what
 * was measured and where:
 *
 * <pre>{@code
 * {
 *   "dataset": "dominoes", "rho": 0.95, "epochs": 8, "seeds": [0, 1, 2],
 *   "cpu": {"model": ..., "cores": ..., "isa": [...], "source": ...},
 *   "command": "readout pipeline --config deploy/config/pipeline-dominoes.json --out R --seeds 0,1,2",
 *   "methods": [ {"run": "student dedier", "model": "final", "split": "test", "metric": "wga",
 *                 "mean": 0.79, "std": 0.03, "min": 0.756, "max": 0.81, "n": 3}, ... ],
 *   "paired":  [ {"run": "student dedier", "baseline": "student kd", "model": "final", "split": "test",
 *                 "metric": "wga", "mean": 0.015, "std": 0.02, "min": -0.01, "max": 0.04, "n": 3}, ... ]
 * }
 * }</pre>
 *
 * {@code methods} is methods.json as the pipeline wrote it, {@code paired} paired.json (optional);
 * {@code std} is the sample standard deviation, null when {@code n} is 1. {@code model} is
 * {@value #FINAL} or {@value #BEST}, {@code split} {@code val} or {@code test}, {@code metric} one of
 * {@link #METRICS}.
 */
record AccuracyResults(ResultsFile file, String dataset, Double rho, int epochs, List<Integer> seeds, String command,
                       List<Stat> methods, List<Stat> paired) {
    static final String FINAL = "final";
    static final String BEST = "best";
    static final Set<String> MODELS = Set.of(FINAL, BEST);
    static final Set<String> SPLITS = Set.of("val", "test");
    static final List<String> METRICS = List.of("accuracy", "wga", "group_mean", "bias_conflicting");

    /**
     * One aggregate over seeds: of a run ({@code baseline} null), or of a run's difference from a
     * baseline, seed by seed ({@code paired.json}).
     */
    record Stat(String run, String baseline, String model, String split, String metric, double mean, Double std,
                double min, double max, int n) {
    }

    static AccuracyResults read(ResultsFile f) {
        JsonNode json = f.json();
        List<Integer> seeds = new ArrayList<>();
        List<JsonNode> seedList = f.list(json, "", "seeds");
        for (int i = 0; i < seedList.size(); i++) {
            if (!seedList.get(i).isIntegralNumber()) {
                throw f.bad("seeds[" + i + "]", "must be an integer, got " + seedList.get(i));
            }
            seeds.add(seedList.get(i).intValue());
        }
        List<Stat> methods = stats(f, "methods", false);
        List<Stat> paired = json.has("paired") ? stats(f, "paired", true) : List.of();
        if (methods.isEmpty()) {
            throw f.bad("methods", "is empty");
        }
        return new AccuracyResults(f, f.text(json, "", "dataset"), f.numberOrNull(json, "", "rho"),
                f.integer(json, "", "epochs"), List.copyOf(seeds), f.text(json, "", "command"), methods, paired);
    }

    private static List<Stat> stats(ResultsFile f, String field, boolean paired) {
        List<Stat> out = new ArrayList<>();
        List<JsonNode> list = f.list(f.json(), "", field);
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            String at = field + "[" + i + "]";
            String model = f.text(e, at, "model");
            String split = f.text(e, at, "split");
            String metric = f.text(e, at, "metric");
            if (!MODELS.contains(model)) {
                throw f.bad(at + ".model", "must be final or best, got " + model);
            }
            if (!SPLITS.contains(split)) {
                throw f.bad(at + ".split", "must be val or test, got " + split);
            }
            if (!METRICS.contains(metric)) {
                throw f.bad(at + ".metric", "must be one of " + String.join(", ", METRICS) + ", got " + metric);
            }
            int n = f.integer(e, at, "n");
            Double std = f.numberOrNull(e, at, "std");
            if (n < 1) {
                throw f.bad(at + ".n", "must be at least 1, got " + n);
            }
            if ((std == null) != (n == 1)) {
                throw f.bad(at + ".std", n == 1 ? "must be null for one seed (n = 1)" : "is missing for n = " + n);
            }
            double min = f.number(e, at, "min");
            double max = f.number(e, at, "max");
            double mean = f.number(e, at, "mean");
            if (!(min <= mean && mean <= max)) {
                throw f.bad(at, "has mean " + mean + " outside [min " + min + ", max " + max + "]");
            }
            out.add(new Stat(f.text(e, at, "run"), paired ? f.text(e, at, "baseline") : null, model, split, metric,
                    mean, std, min, max, n));
        }
        return out;
    }

    /** The dataset and, for datasets built at a spurious correlation, its rho: how a row names its file. */
    String label() {
        return rho == null ? dataset : dataset + ", rho " + ReferenceBands.plain(rho);
    }

    /** The run names of {@code methods}, in the order they first appear. */
    List<String> runs() {
        return methods.stream().map(Stat::run).distinct().toList();
    }

    Optional<Stat> method(String run, String model, String split, String metric) {
        return methods.stream().filter(s -> s.run().equals(run) && s.model().equals(model) && s.split().equals(split)
                && s.metric().equals(metric)).findFirst();
    }

    /** The entry a table needs; its absence is bad input naming the file. */
    Stat requireMethod(String run, String model, String split, String metric) {
        return method(run, model, split, metric).orElseThrow(() -> file.bad("methods", "has no entry for run '" + run
                + "', model " + model + ", split " + split + ", metric " + metric));
    }
}
