package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The training settings of runs as the Runs table shows them, {@code key=value} from each run's
 * {@code config.json}: the settings every run shares, once ({@link #shared}); per run ({@link #perRun}) those
 * that differ between runs, then its method's options (config.json's {@code distill}, {@code jtt} and
 * {@code sifer} objects: λ, T, β, α, refresh, aux and forgetting rates…; of a KD run only those KD reads), a key
 * that is also a top-level key prefixed with its object's name ({@code jtt_epochs}). Left out: method and arch and seed (columns of their
 * own), where a run reads and writes ({@value #PATHS}), and what changes the speed but not what is learnt
 * ({@value #SPEED}).
 */
public record RunSettings(Map<String, String> shared, List<Map<String, String>> perRun) {
    static final String PATHS = "data, out, init, teacher, teacher_probs";
    static final String SPEED = "eval_batch, prefetch, approach";
    private static final Set<String> LEFT_OUT = Set.of("method", "arch", "seed", "data", "out", "init", "teacher",
            "teacher_probs", "eval_batch", "prefetch", "approach");
    /** config.json's objects of method options. */
    private static final Set<String> METHOD_OPTIONS = Set.of("distill", "jtt", "sifer");
    /** The distillation options only DEDIER reads (its early readout and weights); a KD run's config.json has them too. */
    private static final Set<String> DEDIER_ONLY = Set.of("alpha", "beta", "normalise", "refresh", "weight_target",
            "aux_at", "aux_lr");

    /** The settings of {@code configs} (one per run), per run in their order. */
    public static RunSettings of(List<JsonNode> configs) {
        List<Map<String, String>> common = new ArrayList<>();
        List<Map<String, String>> options = new ArrayList<>();
        for (JsonNode c : configs) {
            Map<String, String> top = new LinkedHashMap<>();
            Map<String, String> own = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = c.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (METHOD_OPTIONS.contains(f.getKey()) && f.getValue().isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> o = f.getValue().fields(); o.hasNext(); ) {
                        Map.Entry<String, JsonNode> option = o.next();
                        if (!LEFT_OUT.contains(option.getKey()) && !option.getValue().isNull()
                                && !("kd".equals(c.path("method").asText()) && DEDIER_ONLY.contains(option.getKey()))) {
                            String key = c.has(option.getKey()) ? f.getKey() + "_" + option.getKey() : option.getKey();
                            own.put(key, text(option.getValue()));
                        }
                    }
                } else if (!LEFT_OUT.contains(f.getKey()) && !METHOD_OPTIONS.contains(f.getKey())
                        && f.getValue().isValueNode()) {
                    top.put(f.getKey(), text(f.getValue()));
                }
            }
            common.add(top);
            options.add(own);
        }
        Map<String, String> shared = new LinkedHashMap<>();
        if (!common.isEmpty()) {
            common.get(0).forEach((k, v) -> {
                if (common.stream().allMatch(m -> v.equals(m.get(k)))) {
                    shared.put(k, v);
                }
            });
        }
        List<Map<String, String>> perRun = new ArrayList<>();
        for (int i = 0; i < common.size(); i++) {
            Map<String, String> m = new LinkedHashMap<>();
            common.get(i).forEach((k, v) -> {
                if (!shared.containsKey(k)) {
                    m.put(k, v);
                }
            });
            m.putAll(options.get(i));
            perRun.add(m);
        }
        return new RunSettings(shared, perRun);
    }

    /** A run's seed from its config.json, or null. */
    public static String seed(JsonNode config) {
        JsonNode s = config.path("seed");
        return s.isValueNode() && !s.isNull() ? text(s) : null;
    }

    /** {@code key=value, key=value}. */
    public static String format(Map<String, String> settings) {
        List<String> out = new ArrayList<>();
        settings.forEach((k, v) -> out.add(k + "=" + v));
        return String.join(", ", out);
    }

    /** A value as text: a number in as few digits as it was written with (0.001, not 1.0E-3), anything else as is. */
    static String text(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            double d = v.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return String.valueOf(d);
            }
            return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
        }
        return v.asText();
    }
}
