package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.flags.FlagValues;
import io.readout.jobs.flags.RenamedFlags;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.train.TrainConfig;

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
    /** The command whose flags each section holds. */
    private static final Map<String, String> COMMANDS = Map.of(PREPARE, "prepare", TRAIN, "train", TEACHER, "train",
            TEACHER_PROBS, "teacher-probs", STUDENTS, "train", EVALUATE, "evaluate", REPORT, "report");
    private static final List<String> KEYS = List.of(OUT, SEED, SEEDS, DATA_SEED, DATA, PREPARE, TRAIN, TEACHER, TEACHER_PROBS,
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
        if (tree.containsKey(SEED) && !isInteger(tree.get(SEED))) {
            throw new BadInputException(where + ": seed must be an integer, got " + tree.get(SEED));
        }
        if (tree.containsKey(SEED) && tree.containsKey(SEEDS)) {
            throw new BadInputException(where + ": seed and seeds: give one (seed: one seed; seeds: a list of them)");
        }
        if (tree.containsKey(SEEDS)) {
            PipelineRoot.checkSeeds(PipelineRoot.seedList(tree.get(SEEDS), where), where + ": seeds");
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

    /** The pipeline's folder. */
    public String out() {
        Object r = tree.get(OUT);
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
        return hasSeedList() ? PipelineRoot.seedList(tree.get(SEEDS), where) : List.of(seed());
    }

    /** The seed of the one prepare stage every seed shares ({@code data_seed}), or null: each run's own seed. */
    public Long dataSeed() {
        return tree.get(DATA_SEED) instanceof Number n ? n.longValue() : null;
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
        return PipelineRoot.methodList(section(STUDENTS, STUDENTS).get(METHODS));
    }

    /**
     * A section's flags, in the config's order, as flag name → value text ({@code ""} for a switch that is
     * on); the students section without its methods.
     */
    public Map<String, String> flags(String section) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(section, section).forEach((key, value) -> {
            if (!(section.equals(STUDENTS) && key.equals(METHODS))) {
                addFlag(flags, COMMANDS.get(section), section + "." + key, key, value);
            }
        });
        return flags;
    }

    /** A student method's own flags ({@code methods.<m>}). */
    public Map<String, String> methodFlags(String method) {
        Map<String, String> flags = new LinkedHashMap<>();
        section(METHODS + "." + method, METHODS, method)
                .forEach((key, value) -> addFlag(flags, "train", METHODS + "." + method + "." + key, key, value));
        return flags;
    }

    public Map<String, Object> toJson() {
        return tree;
    }

    /** One key of a section as the flag of {@code command} it names: "" for a switch that is on. */
    private void addFlag(Map<String, String> flags, String command, String dotted, String key, Object value) {
        String name = FlagValues.name(key);
        RenamedFlags.hint(command, "--" + name).ifPresent(hint -> {
            throw new BadInputException(where + ": " + dotted + ": " + hint);
        });
        if (PIPELINE_FLAGS.contains(name)) {
            throw new BadInputException(where + ": " + dotted + ": set by the pipeline, not by the config");
        }
        if (value instanceof Map) {
            throw new BadInputException(where + ": " + dotted + ": expected a value, got an object");
        }
        if (value == null || Boolean.FALSE.equals(value)) {
            return;
        }
        flags.put(name, Boolean.TRUE.equals(value) ? "" : FlagValues.text(value));
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
