package io.readout.jobs.aggregate;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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

    /** One figure of one run over the seeds; as an entry of methods.json, its summary's fields follow the keys. */
    public record Method(String run, String model, String split, String metric, @JsonUnwrapped SeedSummary summary) {
    }

    /** One figure of {@code run} − {@code baseline}, paired by seed, over the seeds; an entry of paired.json. */
    public record Paired(String run, String baseline, String model, String split, String metric,
                         @JsonUnwrapped SeedSummary summary) {
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

    /** Reads a complete {@code ROOT/aggregate/}; bad input naming the folder or file when it is not there or malformed. */
    public static Aggregate read(Configuration conf, String dir) {
        HadoopInputs in = new HadoopInputs(conf);
        String shown = HadoopInputs.display(new Path(dir));
        if (!AtomicOutput.isComplete(conf, dir)) {
            throw new BadInputException(shown + ": no complete aggregate (run readout aggregate --run on the root first)");
        }
        List<Method> methods = new ArrayList<>();
        for (JsonNode o : list(in, HadoopInputs.child(dir, METHODS_JSON), List.of("run", "model", "split", "metric"))) {
            methods.add(new Method(text(o, "run"), text(o, "model"), text(o, "split"), text(o, "metric"), summary(o)));
        }
        List<Paired> paired = new ArrayList<>();
        for (JsonNode o : list(in, HadoopInputs.child(dir, PAIRED_JSON),
                List.of("run", "baseline", "model", "split", "metric"))) {
            paired.add(new Paired(text(o, "run"), text(o, "baseline"), text(o, "model"), text(o, "split"),
                    text(o, "metric"), summary(o)));
        }
        return new Aggregate(List.copyOf(methods), List.copyOf(paired));
    }

    private static List<JsonNode> list(HadoopInputs in, String file, List<String> textKeys) {
        String where = HadoopInputs.display(new Path(file));
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(new String(in.readAll(file, "aggregate"), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (parsed == null || !parsed.isArray() || !allObjects(parsed)) {
            throw new BadInputException(where + ": expected a list of objects");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode o : parsed) {
            for (String key : textKeys) {
                if (!o.path(key).isTextual()) {
                    throw new BadInputException(where + ": " + key + " of an entry is not text: " + o);
                }
            }
            for (String key : List.of("mean", "min", "max", "n")) {
                if (!o.path(key).isNumber()) {
                    throw new BadInputException(where + ": " + key + " of an entry is not a number: " + o);
                }
            }
            if (!o.path("std").isNull() && !o.path("std").isMissingNode() && !o.path("std").isNumber()) {
                throw new BadInputException(where + ": std of an entry is not a number: " + o);
            }
            out.add(o);
        }
        return out;
    }

    private static boolean allObjects(JsonNode array) {
        for (JsonNode i : array) {
            if (!i.isObject()) {
                return false;
            }
        }
        return true;
    }

    /** A JSON object file (a run's config.json or metrics) as a tree; bad input naming {@code where} when it is not one. */
    static JsonNode tree(String json, String where) {
        return Json.mapper().valueToTree(Json.readObject(json, where));
    }

    private static String text(JsonNode o, String key) {
        return o.get(key).asText();
    }

    private static SeedSummary summary(JsonNode o) {
        JsonNode std = o.path("std");
        return new SeedSummary(o.get("mean").doubleValue(), std.isNumber() ? std.doubleValue() : null,
                o.get("min").doubleValue(), o.get("max").doubleValue(), o.get("n").longValue());
    }
}
