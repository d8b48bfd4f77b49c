package io.readout.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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
public record SweepSpec(String out, Map<String, FlagValue> base, String search, int trials, long seed,
                        Map<String, List<FlagValue>> space, String select, int concurrent) {
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
        JsonNode m = Json.mapper().valueToTree(Json.readObject(json, where));
        if (m == null || !m.isObject()) {
            throw new BadInputException(where + ": expected a JSON object");
        }
        for (String key : (Iterable<String>) m::fieldNames) {
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
            if (!random && m.has(key)) {
                throw new BadInputException(where + ": \"" + key + "\" is for \"search\": \"random\" (a grid runs every config)");
            }
        }
        int trials = 0;
        if (random) {
            if (!m.has("trials")) {
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
        Map<String, FlagValue> base = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(object(m, "base", where))) {
            base.put(flag(e.getKey(), base.keySet(), "base", where), scalar(e.getValue(), "base", e.getKey(), where));
        }
        JsonNode spaceJson = object(m, "space", where);
        if (spaceJson.isEmpty()) {
            throw new BadInputException(where + ": \"space\" is empty: give at least one train flag and its values,"
                    + " e.g. \"space\": {\"lr\": [1e-3, 1e-2]}");
        }
        Map<String, List<FlagValue>> space = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : fields(spaceJson)) {
            String key = flag(e.getKey(), space.keySet(), "space", where);
            JsonNode values = e.getValue();
            if (!values.isArray() || values.isEmpty()) {
                throw new BadInputException(where + ": \"space\".\"" + e.getKey() + "\" must be a non-empty list of values");
            }
            List<FlagValue> checked = new ArrayList<>();
            for (JsonNode v : values) {
                FlagValue s = scalar(v, "space", e.getKey(), where);
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
    public List<Map<String, FlagValue>> points() {
        SearchSpace s = searchSpace();
        return GRID.equals(search) ? s.grid() : s.sample(trials, seed);
    }

    /**
     * The sweep as its summary records it (flags in kebab-case); {@code trials} and {@code seed} only for a
     * random search.
     */
    @JsonPropertyOrder({"out", "base", "search", "trials", "seed", "space", "select", "concurrent"})
    public record Recorded(String out, Map<String, FlagValue> base, String search,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Integer trials,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Long seed, Map<String, List<FlagValue>> space,
                           String select, int concurrent) {
    }

    public Recorded toJson() {
        boolean random = RANDOM.equals(search);
        return new Recorded(out, base, search, random ? trials : null, random ? seed : null, space, select, concurrent);
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

    private static FlagValue scalar(JsonNode v, String section, String key, String where) {
        FlagValue value = FlagValue.of(v);
        if (value != null) {
            return value;
        }
        throw new BadInputException(where + ": \"" + section + "\".\"" + key + "\": " + compactJson(v)
                + " is not a string, number or true/false");
    }

    /** A key that is there and not null (a null value reads as the default). */
    private static boolean present(JsonNode m, String key) {
        return m.hasNonNull(key);
    }

    private static String text(JsonNode m, String key, String dflt, String where) {
        if (!present(m, key)) {
            return dflt;
        }
        JsonNode v = m.get(key);
        if (!v.isTextual()) {
            throw new BadInputException(where + ": \"" + key + "\" must be a string, not " + compactJson(v));
        }
        return v.textValue();
    }

    private static long whole(JsonNode m, String key, long dflt, long min, long max, String where) {
        if (!present(m, key)) {
            return dflt;
        }
        JsonNode v = m.get(key);
        if (!(v.isInt() || v.isLong()) || v.longValue() < min || v.longValue() > max) {
            throw new BadInputException(where + ": \"" + key + "\" must be a whole number"
                    + (max == Long.MAX_VALUE ? "" : " from " + min + " to " + max) + ", not " + compactJson(v));
        }
        return v.longValue();
    }

    private static JsonNode object(JsonNode m, String key, String where) {
        if (!present(m, key)) {
            if ("space".equals(key)) {
                throw new BadInputException(where + ": \"space\" (train flag → list of values) is required");
            }
            return Json.mapper().createObjectNode();
        }
        JsonNode v = m.get(key);
        if (!v.isObject()) {
            throw new BadInputException(where + ": \"" + key + "\" must be an object of train flags, not "
                    + compactJson(v));
        }
        return v;
    }

    private static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode object) {
        return object::fields;
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
