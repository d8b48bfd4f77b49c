package io.readout.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.flags.FlagValues;
import io.readout.jobs.flags.RenamedFlags;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.train.TrainConfig;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline config ({@code pipeline.json}): which data, which runs, and the flags of each stage's
 * command, keyed by the command's own flag names without dashes. Sections:
 * <pre>
 * out            the pipeline's folder (any Hadoop URI); {@code --out} overrides
 * seed           the seed of prepare and of every run
 * seeds          a list of seeds instead: the stages once per seed under {@code ROOT/seed=S/}, then an aggregate
 * data_seed      the seed of prepare when it is not each run's: one prepare shared by every seed
 * data           an already prepared examples table instead of a prepare stage
 * prepare        readout prepare's flags ({@code dataset} and its options)
 * train          readout train's flags for every run (teacher and students)
 * teacher        the teacher's train flags ({@code arch} defaults to teacher)
 * teacher_probs  readout teacher-probs' flags ({@code temperature} is also the students')
 * students       the students' train flags, and {@code methods}: erm, kd, jtt, dedier, sifer
 * methods        per method, its own train flags: {"sifer": {"forget-every": 5}, ...}
 * evaluate       readout evaluate's flags ({@code model}: final or best)
 * report         readout report's flags, or false for no report stage
 * retrain        readout retrain's choices: {@code candidate} (the run to promote: teacher, students/&lt;m&gt;,
 *                or best, the student with the highest val worst-group accuracy; default best) and
 *                {@code warm_start} (start that run from the promoted model; default false)
 * </pre>
 * A flag's value is a string, number or boolean (true: the switch is on; false: left out), or a list
 * (joined with commas); a key may be written {@code weight-decay}, {@code weight_decay} or {@code weightDecay}
 * ({@link FlagValues}). Overrides ({@code --set students.methods=erm,sifer}) replace one key each, by its
 * dotted path; {@code =null} takes a key out. Flags the pipeline sets itself (folders, the method,
 * {@code --resume}, {@code --overwrite}) are refused, naming the key, and a renamed flag gets its hint
 * ({@link RenamedFlags}), as on the command line.
 */
public final class PipelineSpec {
    public static final String OUT = "out";
    /** What {@link #OUT} was called before: refused with a hint. */
    private static final String OLD_OUT = "root";
    public static final String SEED = "seed";
    public static final String SEEDS = "seeds";
    public static final String DATA_SEED = "data_seed";
    public static final String DATA = "data";
    public static final String PREPARE = "prepare";
    public static final String FEATURIZE = "featurize";
    public static final String TRAIN = "train";
    public static final String TEACHER = "teacher";
    public static final String TEACHER_PROBS = "teacher_probs";
    public static final String STUDENTS = "students";
    public static final String METHODS = "methods";
    public static final String EVALUATE = "evaluate";
    public static final String REPORT = "report";
    public static final String RETRAIN = "retrain";
    public static final String BEST = "best";
    static final Set<String> SECTIONS = Set.of(PREPARE, FEATURIZE, TRAIN, TEACHER, TEACHER_PROBS, STUDENTS, METHODS, EVALUATE,
            REPORT);
    /** The command whose flags each section holds. */
    private static final Map<String, String> COMMANDS = Map.of(PREPARE, "prepare", FEATURIZE, "featurize", TRAIN, "train", TEACHER, "train",
            TEACHER_PROBS, "teacher-probs", STUDENTS, "train", EVALUATE, "evaluate", REPORT, "report");
    private static final List<String> KEYS = List.of(OUT, SEED, SEEDS, DATA_SEED, DATA, PREPARE, FEATURIZE, TRAIN, TEACHER, TEACHER_PROBS,
            STUDENTS, METHODS, EVALUATE, REPORT, RETRAIN);
    /** The flags every stage's folders and re-run mode come from. */
    private static final Set<String> PIPELINE_FLAGS = Set.of("out", "data", "run", "teacher", "teacher-probs",
            "method", "resume", "overwrite", "split", "seed");
    /** The prepare datasets whose table is raw text. */
    private static final Set<String> TEXT_DATASETS = Set.of("civilcomments", "multinli");
    static final List<String> STUDENT_METHODS = List.of(TrainConfig.ERM, TrainConfig.KD, TrainConfig.JTT,
            TrainConfig.DEDIER, TrainConfig.SIFER);

    /** The config as given: open, since its sections hold any command's flags. */
    private final ObjectNode tree;
    private final String where;

    private PipelineSpec(ObjectNode tree, String where) {
        this.tree = tree;
        this.where = where;
    }

    /**
     * Parses and checks a config.
     *
     * @param json      the file's text
     * @param where     how to name it in errors (its path)
     * @param overrides {@code dotted.key=value} replacements, applied in order
     */
    public static PipelineSpec parse(String json, String where, List<String> overrides) {
        ObjectNode tree = JsonFiles.readObject(json, where);
        for (String o : overrides) {
            override(tree, o);
        }
        return new PipelineSpec(tree, where).check();
    }

    /** Applies {@code a.b=value}: the value parsed as JSON when it is a number, boolean or list, else a string. */
    static void override(ObjectNode tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set " + assignment + ": expected KEY=VALUE, e.g. students.methods=erm,sifer");
        }
        String[] path = assignment.substring(0, eq).split("\\.");
        String text = assignment.substring(eq + 1);
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = get(node, path[i]);
            if (child == null || isFalse(child)) {
                child = node.putObject(path[i]);
            } else if (!(child instanceof ObjectNode)) {
                throw new BadInputException("--set " + assignment + ": " + String.join(".", List.of(path).subList(0, i + 1))
                        + " is not a section");
            }
            node = (ObjectNode) child;
        }
        JsonNode v = value(text);
        if (v == null) {
            node.remove(path[path.length - 1]);
        } else {
            node.set(path[path.length - 1], v);
        }
    }

    private static JsonNode value(String text) {
        if (text.equals("null")) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return BooleanNode.valueOf(Boolean.parseBoolean(text));
        }
        try {
            return text.contains(".") || text.contains("e") || text.contains("E")
                    ? DoubleNode.valueOf(Double.parseDouble(text)) : LongNode.valueOf(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return TextNode.valueOf(text);
        }
    }

    /** A key's value, or null when it is missing or null. */
    private static JsonNode get(JsonNode node, String key) {
        JsonNode v = node == null ? null : node.get(key);
        return v == null || v.isNull() ? null : v;
    }

    private static boolean isFalse(JsonNode v) {
        return v != null && v.isBoolean() && !v.booleanValue();
    }

    /** A value as plain Java (String, Number, Boolean, List, Map, null), as it was read before the tree was typed. */
    private static Object plain(JsonNode v) {
        return v == null ? null : Json.mapper().convertValue(v, Object.class);
    }

    /** A value as the one-line errors show it. */
    private static String shown(JsonNode v) {
        return String.valueOf(plain(v));
    }

    private PipelineSpec check() {
        for (Iterator<String> keys = tree.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (key.equals(OLD_OUT)) {
                throw new BadInputException(where + ": " + OLD_OUT + ": " + RenamedFlags.hint("pipeline", "--" + OLD_OUT)
                        .orElseThrow());
            }
            if (!KEYS.contains(key)) {
                throw new BadInputException(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        if (out() == null) {
            throw new BadInputException(where + ": no output folder (set \"out\" or pass --out)");
        }
        if (tree.has(SEED) && !isInteger(get(tree, SEED))) {
            throw new BadInputException(where + ": seed must be an integer, got " + shown(get(tree, SEED)));
        }
        if (tree.has(SEED) && tree.has(SEEDS)) {
            throw new BadInputException(where + ": seed and seeds: give one (seed: one seed; seeds: a list of them)");
        }
        if (tree.has(SEEDS)) {
            PipelineRoot.checkSeeds(PipelineRoot.seedList(plain(get(tree, SEEDS)), where), where + ": seeds");
        }
        if (tree.has(DATA_SEED)) {
            JsonNode dataSeed = get(tree, DATA_SEED);
            if (!isInteger(dataSeed) || dataSeed.longValue() < 0) {
                throw new BadInputException(where + ": data_seed must be an integer >= 0, got " + shown(dataSeed));
            }
            if (get(tree, DATA) != null) {
                throw new BadInputException(where + ": data_seed: the data is already prepared (data), there is no"
                        + " prepare stage to seed");
            }
        }
        if (get(tree, DATA) != null && !get(tree, DATA).isTextual()) {
            throw new BadInputException(where + ": data must be a folder path, got " + shown(get(tree, DATA)));
        }
        if (get(tree, DATA) == null && flags(PREPARE).isEmpty()) {
            throw new BadInputException(where + ": neither data (a prepared table) nor a prepare section");
        }
        for (String s : List.of(PREPARE, FEATURIZE, TRAIN, TEACHER, TEACHER_PROBS, STUDENTS, EVALUATE, REPORT)) {
            flags(s);
        }
        if (flags(EVALUATE).containsKey("model")) {
            throw new BadInputException(where + ": evaluate.model: set by the pipeline (it evaluates the final and"
                    + " the validation-selected model of every run)");
        }
        for (String m : methods()) {
            if (!STUDENT_METHODS.contains(m)) {
                throw new BadInputException(where + ": students.methods: unknown method '" + m + "' (known: "
                        + String.join(", ", STUDENT_METHODS) + ")");
            }
        }
        ObjectNode retrain = section(RETRAIN, RETRAIN);
        for (Iterator<String> keys = retrain.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!List.of("candidate", "warm_start").contains(key)) {
                throw new BadInputException(where + ": retrain." + key + ": unknown key (known: candidate, warm_start)");
            }
        }
        String candidate = candidate();
        if (!candidate.equals(BEST) && !candidate.equals(TEACHER)
                && !(candidate.startsWith(STUDENTS + "/") && methods().contains(candidate.substring(STUDENTS.length() + 1)))) {
            throw new BadInputException(where + ": retrain.candidate '" + candidate + "' is not best, teacher or one of"
                    + " the students (" + String.join(", ", methods().stream().map(m -> STUDENTS + "/" + m).toList()) + ")");
        }
        if (retrain.has("warm_start") && !retrain.get("warm_start").isBoolean()) {
            throw new BadInputException(where + ": retrain.warm_start must be true or false, got "
                    + shown(get(retrain, "warm_start")));
        }
        ObjectNode perMethod = section(METHODS, METHODS);
        for (Iterator<String> names = perMethod.fieldNames(); names.hasNext(); ) {
            String m = names.next();
            if (!STUDENT_METHODS.contains(m)) {
                throw new BadInputException(where + ": methods." + m + ": unknown method (known: "
                        + String.join(", ", STUDENT_METHODS) + ")");
            }
            methodFlags(m);
        }
        return this;
    }

    /** The pipeline's folder. */
    public String out() {
        JsonNode r = get(tree, OUT);
        return r != null && r.isTextual() && !r.textValue().isBlank() ? r.textValue() : null;
    }

    public long seed() {
        JsonNode seed = get(tree, SEED);
        return seed != null && seed.isNumber() ? seed.longValue() : 0;
    }

    /** Whether the config gives a seed list: the stages once per seed under {@code ROOT/seed=S/}, then an aggregate. */
    public boolean hasSeedList() {
        return tree.has(SEEDS);
    }

    /** The seeds, in the config's order: the list, or the one seed. */
    public List<Long> seeds() {
        return hasSeedList() ? PipelineRoot.seedList(plain(get(tree, SEEDS)), where) : List.of(seed());
    }

    /** The seed of the one prepare stage every seed shares ({@code data_seed}), or null: each run's own seed. */
    public Long dataSeed() {
        JsonNode dataSeed = get(tree, DATA_SEED);
        return dataSeed != null && dataSeed.isNumber() ? dataSeed.longValue() : null;
    }

    private static boolean isInteger(JsonNode v) {
        return v != null && v.isNumber() && v.doubleValue() == v.longValue();
    }

    /** A prepared table to read instead of a prepare stage, or null. */
    public String data() {
        JsonNode data = get(tree, DATA);
        return data == null ? null : data.textValue();
    }

    /** False when the config says {@code "report": false}. */
    /**
     * Whether a featurize stage turns the data into what the networks read: when the config has a
     * {@code featurize} section, or its prepare stage prepares a text dataset (then with featurize's defaults).
     */
    public boolean featurizes() {
        JsonNode f = get(tree, FEATURIZE);
        if (f != null) {
            return !isFalse(f);
        }
        return TEXT_DATASETS.contains(flags(PREPARE).getOrDefault("dataset", ""));
    }

    public boolean reports() {
        return !isFalse(get(tree, REPORT));
    }

    /** The run retrain promotes: {@code teacher}, {@code students/<m>}, or {@value #BEST}. */
    public String candidate() {
        JsonNode c = get(section(RETRAIN, RETRAIN), "candidate");
        return c == null ? BEST : shown(c);
    }

    /** Whether retrain starts the promoted model's run from the promoted model. */
    public boolean warmStart() {
        JsonNode warmStart = get(section(RETRAIN, RETRAIN), "warm_start");
        return warmStart != null && warmStart.isBoolean() && warmStart.booleanValue();
    }

    /** The student methods, in the config's order. */
    public List<String> methods() {
        return PipelineRoot.methodList(plain(get(section(STUDENTS, STUDENTS), METHODS)));
    }

    /**
     * A section's flags, in the config's order, as flag name → value text ({@code ""} for a switch that is
     * on); the students section without its methods.
     */
    public Map<String, String> flags(String section) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(section, section).fields().forEachRemaining(e -> {
            if (!(section.equals(STUDENTS) && e.getKey().equals(METHODS))) {
                addFlag(flags, COMMANDS.get(section), section + "." + e.getKey(), e.getKey(), e.getValue());
            }
        });
        return flags;
    }

    /** A student method's own flags ({@code methods.<m>}). */
    public Map<String, String> methodFlags(String method) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(METHODS + "." + method, METHODS, method).fields().forEachRemaining(e ->
                addFlag(flags, "train", METHODS + "." + method + "." + e.getKey(), e.getKey(), e.getValue()));
        return flags;
    }

    /** The config as given, with the overrides applied: what the pipeline saves as its {@code pipeline.json}. */
    public ObjectNode toJson() {
        return tree;
    }

    /** One key of a section as the flag of {@code command} it names: "" for a switch that is on. */
    private void addFlag(Map<String, String> flags, String command, String dotted, String key, JsonNode value) {
        String name = FlagValues.name(key);
        RenamedFlags.hint(command, "--" + name).ifPresent(hint -> {
            throw new BadInputException(where + ": " + dotted + ": " + hint);
        });
        if (PIPELINE_FLAGS.contains(name)) {
            throw new BadInputException(where + ": " + dotted + ": set by the pipeline, not by the config");
        }
        if (value.isObject()) {
            throw new BadInputException(where + ": " + dotted + ": expected a value, got an object");
        }
        if (value.isNull() || isFalse(value)) {
            return;
        }
        flags.put(name, value.isBoolean() ? "" : FlagValues.text(plain(value)));
    }

    private ObjectNode section(String name, String... path) {
        JsonNode node = tree;
        for (String p : path) {
            node = node instanceof ObjectNode o ? get(o, p) : null;
        }
        if (node == null || isFalse(node) && (name.equals(REPORT) || name.equals(FEATURIZE))) {
            return Json.mapper().createObjectNode();
        }
        if (!(node instanceof ObjectNode o)) {
            throw new BadInputException(where + ": " + name + " must be an object of flags, got " + shown(node));
        }
        return o;
    }
}
