package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.train.TrainConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline config ({@code pipeline.json}): which data, which runs, and the flags of each stage's
 * command, keyed by the command's own flag names without dashes. Sections:
 * <pre>
 * root           the pipeline's folder (any Hadoop URI); {@code --root} overrides
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
 * (joined with commas). Overrides ({@code --set students.methods=erm,sifer}) replace one key each, by its
 * dotted path; {@code =null} takes a key out. Flags the pipeline sets itself (folders, the method, {@code --resume}, {@code --overwrite})
 * are refused, naming the key.
 */
public final class PipelineSpec {
    public static final String ROOT = "root";
    public static final String SEED = "seed";
    public static final String SEEDS = "seeds";
    public static final String DATA_SEED = "data_seed";
    public static final String DATA = "data";
    public static final String PREPARE = "prepare";
    public static final String TRAIN = "train";
    public static final String TEACHER = "teacher";
    public static final String TEACHER_PROBS = "teacher_probs";
    public static final String STUDENTS = "students";
    public static final String METHODS = "methods";
    public static final String EVALUATE = "evaluate";
    public static final String REPORT = "report";
    public static final String RETRAIN = "retrain";
    public static final String BEST = "best";
    static final Set<String> SECTIONS = Set.of(PREPARE, TRAIN, TEACHER, TEACHER_PROBS, STUDENTS, METHODS, EVALUATE,
            REPORT);
    private static final List<String> KEYS = List.of(ROOT, SEED, SEEDS, DATA_SEED, DATA, PREPARE, TRAIN, TEACHER, TEACHER_PROBS,
            STUDENTS, METHODS, EVALUATE, REPORT, RETRAIN);
    /** The flags every stage's folders and re-run mode come from. */
    private static final Set<String> PIPELINE_FLAGS = Set.of("out", "data", "run", "teacher", "teacher-probs",
            "method", "resume", "overwrite", "split", "seed");
    static final List<String> STUDENT_METHODS = List.of(TrainConfig.ERM, TrainConfig.KD, TrainConfig.JTT,
            TrainConfig.DEDIER, TrainConfig.SIFER);

    private final Map<String, Object> tree;
    private final String where;

    private PipelineSpec(Map<String, Object> tree, String where) {
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
        Map<String, Object> tree = Json.readObject(json, where);
        for (String o : overrides) {
            override(tree, o);
        }
        return new PipelineSpec(tree, where).check();
    }

    /** Applies {@code a.b=value}: the value parsed as JSON when it is a number, boolean or list, else a string. */
    @SuppressWarnings("unchecked")
    static void override(Map<String, Object> tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new BadInputException("--set " + assignment + ": expected KEY=VALUE, e.g. students.methods=erm,sifer");
        }
        String[] path = assignment.substring(0, eq).split("\\.");
        String text = assignment.substring(eq + 1);
        Map<String, Object> node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = node.get(path[i]);
            if (child == null || Boolean.FALSE.equals(child)) {
                child = new LinkedHashMap<String, Object>();
                node.put(path[i], child);
            } else if (!(child instanceof Map)) {
                throw new BadInputException("--set " + assignment + ": " + String.join(".", List.of(path).subList(0, i + 1))
                        + " is not a section");
            }
            node = (Map<String, Object>) child;
        }
        Object v = value(text);
        if (v == null) {
            node.remove(path[path.length - 1]);
        } else {
            node.put(path[path.length - 1], v);
        }
    }

    private static Object value(String text) {
        if (text.equals("null")) {
            return null;
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        try {
            return text.contains(".") || text.contains("e") || text.contains("E")
                    ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }

    private PipelineSpec check() {
        for (String key : tree.keySet()) {
            if (!KEYS.contains(key)) {
                throw new BadInputException(where + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        if (root() == null) {
            throw new BadInputException(where + ": no root folder (set \"root\" or pass --root)");
        }
        if (tree.containsKey(SEED) && !isInteger(tree.get(SEED))) {
            throw new BadInputException(where + ": seed must be an integer, got " + tree.get(SEED));
        }
        if (tree.containsKey(SEED) && tree.containsKey(SEEDS)) {
            throw new BadInputException(where + ": seed and seeds: give one (seed: one seed; seeds: a list of them)");
        }
        if (tree.containsKey(SEEDS)) {
            checkSeeds(seedList(tree.get(SEEDS)), where + ": seeds");
        }
        if (tree.containsKey(DATA_SEED)) {
            if (!isInteger(tree.get(DATA_SEED)) || ((Number) tree.get(DATA_SEED)).longValue() < 0) {
                throw new BadInputException(where + ": data_seed must be an integer >= 0, got " + tree.get(DATA_SEED));
            }
            if (tree.get(DATA) != null) {
                throw new BadInputException(where + ": data_seed: the data is already prepared (data), there is no"
                        + " prepare stage to seed");
            }
        }
        if (tree.get(DATA) != null && !(tree.get(DATA) instanceof String)) {
            throw new BadInputException(where + ": data must be a folder path, got " + tree.get(DATA));
        }
        if (tree.get(DATA) == null && flags(PREPARE).isEmpty()) {
            throw new BadInputException(where + ": neither data (a prepared table) nor a prepare section");
        }
        for (String s : List.of(PREPARE, TRAIN, TEACHER, TEACHER_PROBS, STUDENTS, EVALUATE, REPORT)) {
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
        Map<String, Object> retrain = section(RETRAIN, RETRAIN);
        for (String key : retrain.keySet()) {
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
        if (retrain.containsKey("warm_start") && !(retrain.get("warm_start") instanceof Boolean)) {
            throw new BadInputException(where + ": retrain.warm_start must be true or false, got " + retrain.get("warm_start"));
        }
        Map<String, Object> perMethod = section(METHODS, METHODS);
        for (String m : perMethod.keySet()) {
            if (!STUDENT_METHODS.contains(m)) {
                throw new BadInputException(where + ": methods." + m + ": unknown method (known: "
                        + String.join(", ", STUDENT_METHODS) + ")");
            }
            methodFlags(m);
        }
        return this;
    }

    public String root() {
        Object r = tree.get(ROOT);
        return r instanceof String s && !s.isBlank() ? s : null;
    }

    public long seed() {
        return tree.get(SEED) instanceof Number n ? n.longValue() : 0;
    }

    /** Whether the config gives a seed list: the stages once per seed under {@code ROOT/seed=S/}, then an aggregate. */
    public boolean hasSeedList() {
        return tree.containsKey(SEEDS);
    }

    /** The seeds, in the config's order: the list, or the one seed. */
    public List<Long> seeds() {
        return hasSeedList() ? seedList(tree.get(SEEDS)) : List.of(seed());
    }

    /** The seed of the one prepare stage every seed shares ({@code data_seed}), or null: each run's own seed. */
    public Long dataSeed() {
        return tree.get(DATA_SEED) instanceof Number n ? n.longValue() : null;
    }

    /**
     * Checks a seed list, naming it {@code what} in the one-line error: not empty, no seed twice, none negative.
     * Returns it.
     */
    public static List<Long> checkSeeds(List<Long> seeds, String what) {
        if (seeds.isEmpty()) {
            throw new BadInputException(what + ": the list is empty; give at least one seed");
        }
        Set<Long> seen = new java.util.HashSet<>();
        for (long s : seeds) {
            if (s < 0) {
                throw new BadInputException(what + ": seed " + s + " is negative");
            }
            if (!seen.add(s)) {
                throw new BadInputException(what + ": seed " + s + " is given twice");
            }
        }
        return seeds;
    }

    /** {@code [0, 1, 2]}, or {@code "0,1,2"} and {@code 3} as {@code --set seeds=...} gives them. */
    private List<Long> seedList(Object value) {
        List<?> items = value instanceof List<?> l ? l
                : value instanceof String s ? (s.isBlank() ? List.of() : List.of(s.split(",", -1)))
                : List.of(value);
        List<Long> seeds = new ArrayList<>();
        for (Object item : items) {
            Object v = item instanceof String s ? value(s.trim()) : item;
            if (!isInteger(v)) {
                throw new BadInputException(where + ": seeds must be a list of integers, got " + value);
            }
            seeds.add(((Number) v).longValue());
        }
        return seeds;
    }

    private static boolean isInteger(Object v) {
        return v instanceof Number n && n.doubleValue() == n.longValue();
    }

    /** A prepared table to read instead of a prepare stage, or null. */
    public String data() {
        return (String) tree.get(DATA);
    }

    /** False when the config says {@code "report": false}. */
    public boolean reports() {
        return !Boolean.FALSE.equals(tree.get(REPORT));
    }

    /** The run retrain promotes: {@code teacher}, {@code students/<m>}, or {@value #BEST}. */
    public String candidate() {
        Object c = section(RETRAIN, RETRAIN).get("candidate");
        return c == null ? BEST : String.valueOf(c);
    }

    /** Whether retrain starts the promoted model's run from the promoted model. */
    public boolean warmStart() {
        return Boolean.TRUE.equals(section(RETRAIN, RETRAIN).get("warm_start"));
    }

    /** The student methods, in the config's order. */
    public List<String> methods() {
        Object m = section(STUDENTS, STUDENTS).get(METHODS);
        if (m == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : (m instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(m).split(",")))) {
            if (!s.isBlank() && !out.contains(s.trim())) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /**
     * A section's flags, in the config's order, as flag name → value text ({@code ""} for a switch that is
     * on); the students section without its methods.
     */
    public Map<String, String> flags(String section) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(section, section).forEach((key, value) -> {
            if (!(section.equals(STUDENTS) && key.equals(METHODS))) {
                addFlag(flags, section + "." + key, key, value);
            }
        });
        return flags;
    }

    /** A student method's own flags ({@code methods.<m>}). */
    public Map<String, String> methodFlags(String method) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(METHODS + "." + method, METHODS, method)
                .forEach((key, value) -> addFlag(flags, METHODS + "." + method + "." + key, key, value));
        return flags;
    }

    public Map<String, Object> toJson() {
        return tree;
    }

    private void addFlag(Map<String, String> flags, String dotted, String key, Object value) {
        if (PIPELINE_FLAGS.contains(key)) {
            throw new BadInputException(where + ": " + dotted + ": set by the pipeline, not by the config");
        }
        if (value instanceof Map) {
            throw new BadInputException(where + ": " + dotted + ": expected a value, got an object");
        }
        if (value == null || Boolean.FALSE.equals(value)) {
            return;
        }
        if (Boolean.TRUE.equals(value)) {
            flags.put(key, "");
        } else if (value instanceof List<?> list) {
            flags.put(key, String.join(",", list.stream().map(PipelineSpec::text).toList()));
        } else {
            flags.put(key, text(value));
        }
    }

    private static String text(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.toString();
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String name, String... path) {
        Object node = tree;
        for (String p : path) {
            node = node instanceof Map<?, ?> m ? m.get(p) : null;
        }
        if (node == null || Boolean.FALSE.equals(node) && name.equals(REPORT)) {
            return Map.of();
        }
        if (!(node instanceof Map)) {
            throw new BadInputException(where + ": " + name + " must be an object of flags, got " + node);
        }
        return (Map<String, Object>) node;
    }
}
