package io.readout.jobs.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.flags.FlagValues;
import io.readout.jobs.flags.RenamedFlags;
import io.readout.jobs.train.TrainConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A hyper-parameter search as {@code sweep.json} states it: the output folder, the {@code base} train
 * flags every trial shares, the {@code space} (train flag → list of values), how trials are drawn from
 * it ({@code grid}: the cartesian product; {@code random}: {@code trials} distinct draws from a seeded
 * stream), the validation value that picks each trial's epoch and the winner ({@code select}), and how
 * many trials train at once ({@code concurrent}). Flag names are readout train's long options in
 * kebab-case; {@code weight_decay}, {@code weightDecay} and {@code --weight-decay} all name
 * {@code weight-decay} ({@link FlagValues}, as in {@code pipeline.json}). Which flags exist and which values they take is readout train's business
 * ({@link SweepConfig#plan}); this class checks the file's own structure, each error one line naming
 * the file and the key.
 */
public record SweepSpec(String out, Map<String, Object> base, String search, int trials, long seed,
                        Map<String, List<Object>> space, String select, int concurrent) {
    public static final String GRID = "grid";
    public static final String RANDOM = "random";
    public static final List<String> SEARCHES = List.of(GRID, RANDOM);
    /** The most trials one sweep plans (a larger grid: search it at random). */
    public static final int MAX_TRIALS = 10_000;
    public static final int MAX_CONCURRENT = 64;
    static final List<String> KEYS = List.of("out", "base", "search", "trials", "seed", "space", "select", "concurrent");
    /** Train flags the sweep sets itself: each trial's run folder, and the selection, which is the sweep's own. */
    static final List<String> RESERVED = List.of("out", "select", "resume", "overwrite", "help", "version");

    public SweepSpec {
        base = Collections.unmodifiableMap(new LinkedHashMap<>(base));
        space = Collections.unmodifiableMap(new LinkedHashMap<>(space));
    }

    /** Parses and checks {@code sweep.json}; {@code where} names the file in errors. */
    public static SweepSpec parse(String json, String where) {
        Map<String, Object> m = Json.readObject(json, where);
        if (m == null) {
            throw new BadInputException(where + ": expected a JSON object");
        }
        for (String key : m.keySet()) {
            if (!KEYS.contains(key)) {
                throw new BadInputException(where + ": unknown key \"" + key + "\" (expected " + String.join(", ", KEYS) + ")");
            }
        }
        String out = text(m, "out", null, where);
        if (out == null || out.isBlank()) {
            throw new BadInputException(where + ": \"out\" (the sweep's output folder) is required");
        }
        String search = text(m, "search", GRID, where);
        if (!SEARCHES.contains(search)) {
            throw new BadInputException(where + ": \"search\" '" + search + "' is not one of " + String.join(", ", SEARCHES));
        }
        boolean random = RANDOM.equals(search);
        for (String key : List.of("trials", "seed")) {
            if (!random && m.containsKey(key)) {
                throw new BadInputException(where + ": \"" + key + "\" is for \"search\": \"random\" (a grid runs every config)");
            }
        }
        int trials = 0;
        if (random) {
            if (!m.containsKey("trials")) {
                throw new BadInputException(where + ": \"search\": \"random\" needs \"trials\" (how many configs to draw)");
            }
            trials = (int) whole(m, "trials", 0, 1, MAX_TRIALS, where);
        }
        long seed = whole(m, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE, where);
        String select = text(m, "select", TrainConfig.SELECT.get(0), where);
        if (!TrainConfig.SELECT.contains(select)) {
            throw new BadInputException(where + ": \"select\" '" + select + "' is not one of "
                    + String.join(", ", TrainConfig.SELECT));
        }
        int concurrent = (int) whole(m, "concurrent", 1, 1, MAX_CONCURRENT, where);
        Map<String, Object> base = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : object(m, "base", where).entrySet()) {
            base.put(flag(e.getKey(), base.keySet(), "base", where), scalar(e.getValue(), "base", e.getKey(), where));
        }
        Map<String, Object> spaceJson = object(m, "space", where);
        if (spaceJson.isEmpty()) {
            throw new BadInputException(where + ": \"space\" is empty: give at least one train flag and its values,"
                    + " e.g. \"space\": {\"lr\": [1e-3, 1e-2]}");
        }
        Map<String, List<Object>> space = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : spaceJson.entrySet()) {
            String key = flag(e.getKey(), space.keySet(), "space", where);
            if (!(e.getValue() instanceof List<?> values) || values.isEmpty()) {
                throw new BadInputException(where + ": \"space\".\"" + e.getKey() + "\" must be a non-empty list of values");
            }
            List<Object> checked = new ArrayList<>();
            for (Object v : values) {
                Object s = scalar(v, "space", e.getKey(), where);
                if (checked.contains(s)) {
                    throw new BadInputException(where + ": \"space\".\"" + e.getKey() + "\" lists " + s + " twice");
                }
                checked.add(s);
            }
            space.put(key, List.copyOf(checked));
        }
        long size = new SearchSpace(space).size();
        if (!random && size > MAX_TRIALS) {
            throw new BadInputException(where + ": the grid holds " + (size == Long.MAX_VALUE ? "too many" : size)
                    + " configs, more than " + MAX_TRIALS + "; use \"search\": \"random\" with \"trials\"");
        }
        return new SweepSpec(out, base, search, trials, seed, space, select, concurrent);
    }

    /** The search space, for expanding or sampling. */
    public SearchSpace searchSpace() {
        return new SearchSpace(space);
    }

    /** The trials of the sweep in order: the grid, or the random draws (at most the size of the space). */
    public List<Map<String, Object>> points() {
        SearchSpace s = searchSpace();
        return GRID.equals(search) ? s.grid() : s.sample(trials, seed);
    }

    /** The sweep as its summary records it (keys in kebab-case). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("out", out);
        m.put("base", base);
        m.put("search", search);
        if (RANDOM.equals(search)) {
            m.put("trials", trials);
            m.put("seed", seed);
        }
        m.put("space", space);
        m.put("select", select);
        m.put("concurrent", concurrent);
        return m;
    }

    private static String flag(String key, Set<String> seen, String section, String where) {
        String name = FlagValues.name(key);
        RenamedFlags.hint("train", "--" + name).ifPresent(hint -> {
            throw new BadInputException(where + ": \"" + section + "\".\"" + key + "\": " + hint);
        });
        if (!name.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new BadInputException(where + ": \"" + section + "\".\"" + key + "\" is not a readout train flag name");
        }
        if (RESERVED.contains(name)) {
            throw new BadInputException(where + ": \"" + section + "\".\"" + key + "\": " + ("select".equals(name)
                    ? "the sweep's top-level \"select\" picks each trial's epoch and the winner, and is passed to every trial"
                    : "--" + name + " is the sweep's to set (each trial writes OUT/trials/trial=NNNN, resumed when it is rerun)"));
        }
        if (seen.contains(name)) {
            throw new BadInputException(where + ": \"" + section + "\" names --" + name + " twice");
        }
        return name;
    }

    private static Object scalar(Object v, String section, String key, String where) {
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        throw new BadInputException(where + ": \"" + section + "\".\"" + key + "\": " + compactJson(v)
                + " is not a string, number or true/false");
    }

    private static String text(Map<String, Object> m, String key, String dflt, String where) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof String s)) {
            throw new BadInputException(where + ": \"" + key + "\" must be a string, not " + compactJson(v));
        }
        return s;
    }

    private static long whole(Map<String, Object> m, String key, long dflt, long min, long max, String where) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min
                || ((Number) v).longValue() > max) {
            throw new BadInputException(where + ": \"" + key + "\" must be a whole number"
                    + (max == Long.MAX_VALUE ? "" : " from " + min + " to " + max) + ", not " + compactJson(v));
        }
        return ((Number) v).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            if ("space".equals(key)) {
                throw new BadInputException(where + ": \"space\" (train flag → list of values) is required");
            }
            return Map.of();
        }
        if (!(v instanceof Map<?, ?>)) {
            throw new BadInputException(where + ": \"" + key + "\" must be an object of train flags, not "
                    + compactJson(v));
        }
        return (Map<String, Object>) v;
    }

    /** JSON on one line, for messages and table cells. */
    static String compactJson(Object v) {
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
