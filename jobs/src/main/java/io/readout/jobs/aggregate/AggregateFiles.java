package io.readout.jobs.aggregate;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of {@code ROOT/aggregate/} that people and the other commands read: {@value #METHODS_JSON}, one
 * object per run × model × split × metric with its {@link SeedSummary} over the seeds, and
 * {@value #PAIRED_JSON}, the paired differences run − baseline per seed, summarised the same way.
 */
public final class AggregateFiles {
    public static final String METHODS_JSON = "methods.json";
    public static final String PAIRED_JSON = "paired.json";
    /**
     * methods.json and paired.json under a header that says what was measured and where (dataset, rho, the
     * students' epochs, seeds, cpu, the command that reproduces it): the file docs/bench/results/ keeps of a
     * benchmark, read by {@code readout bench tables}.
     */
    public static final String RESULTS_JSON = "results.json";
    /** Parquet: run, model, split, metric, seed, value. */
    public static final String SEEDS_TABLE = "seeds";
    /** Parquet: run, model, split, metric, mean, std, min, max, n. */
    public static final String METHODS_TABLE = "methods";

    /** One figure of one run over the seeds. */
    public record Method(String run, String model, String split, String metric, SeedSummary summary) {
    }

    /** One figure of {@code run} − {@code baseline}, paired by seed, over the seeds. */
    public record Paired(String run, String baseline, String model, String split, String metric, SeedSummary summary) {
    }

    /** What an aggregate folder holds. */
    public record Aggregate(List<Method> methods, List<Paired> paired) {
        /** The figure of a run, or null. */
        public Method method(String run, String model, String split, String metric) {
            return methods.stream().filter(m -> m.run().equals(run) && m.model().equals(model)
                    && m.split().equals(split) && m.metric().equals(metric)).findFirst().orElse(null);
        }
    }

    private AggregateFiles() {
    }

    public static List<Map<String, Object>> methodsJson(List<Method> methods) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Method m : methods) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("run", m.run());
            o.put("model", m.model());
            o.put("split", m.split());
            o.put("metric", m.metric());
            putSummary(o, m.summary());
            out.add(o);
        }
        return out;
    }

    public static List<Map<String, Object>> pairedJson(List<Paired> paired) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Paired p : paired) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("run", p.run());
            o.put("baseline", p.baseline());
            o.put("model", p.model());
            o.put("split", p.split());
            o.put("metric", p.metric());
            putSummary(o, p.summary());
            out.add(o);
        }
        return out;
    }

    private static void putSummary(Map<String, Object> o, SeedSummary s) {
        o.put("mean", s.mean());
        o.put("std", s.std());
        o.put("min", s.min());
        o.put("max", s.max());
        o.put("n", s.n());
    }

    /** Reads a complete {@code ROOT/aggregate/}; bad input naming the folder or file when it is not there or malformed. */
    public static Aggregate read(Configuration conf, String dir) {
        HadoopInputs in = new HadoopInputs(conf);
        String shown = HadoopInputs.display(new Path(dir));
        if (!AtomicOutput.isComplete(conf, dir)) {
            throw new BadInputException(shown + ": no complete aggregate (run readout aggregate --run on the root first)");
        }
        List<Method> methods = new ArrayList<>();
        for (Map<?, ?> o : list(in, HadoopInputs.child(dir, METHODS_JSON), List.of("run", "model", "split", "metric"))) {
            methods.add(new Method(text(o, "run"), text(o, "model"), text(o, "split"), text(o, "metric"), summary(o)));
        }
        List<Paired> paired = new ArrayList<>();
        for (Map<?, ?> o : list(in, HadoopInputs.child(dir, PAIRED_JSON),
                List.of("run", "baseline", "model", "split", "metric"))) {
            paired.add(new Paired(text(o, "run"), text(o, "baseline"), text(o, "model"), text(o, "split"),
                    text(o, "metric"), summary(o)));
        }
        return new Aggregate(List.copyOf(methods), List.copyOf(paired));
    }

    private static List<Map<?, ?>> list(HadoopInputs in, String file, List<String> textKeys) {
        String where = HadoopInputs.display(new Path(file));
        Object parsed;
        try {
            parsed = Json.mapper().readValue(new String(in.readAll(file, "aggregate"), StandardCharsets.UTF_8),
                    Object.class);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (!(parsed instanceof List<?> items) || !items.stream().allMatch(i -> i instanceof Map)) {
            throw new BadInputException(where + ": expected a list of objects");
        }
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object i : items) {
            Map<?, ?> o = (Map<?, ?>) i;
            for (String key : textKeys) {
                if (!(o.get(key) instanceof String)) {
                    throw new BadInputException(where + ": " + key + " of an entry is not text: " + o);
                }
            }
            for (String key : List.of("mean", "min", "max", "n")) {
                if (!(o.get(key) instanceof Number)) {
                    throw new BadInputException(where + ": " + key + " of an entry is not a number: " + o);
                }
            }
            if (o.get("std") != null && !(o.get("std") instanceof Number)) {
                throw new BadInputException(where + ": std of an entry is not a number: " + o);
            }
            out.add(o);
        }
        return out;
    }

    private static String text(Map<?, ?> o, String key) {
        return (String) o.get(key);
    }

    private static SeedSummary summary(Map<?, ?> o) {
        return new SeedSummary(((Number) o.get("mean")).doubleValue(),
                o.get("std") == null ? null : ((Number) o.get("std")).doubleValue(),
                ((Number) o.get("min")).doubleValue(), ((Number) o.get("max")).doubleValue(),
                ((Number) o.get("n")).longValue());
    }
}
