package io.readout.jobs.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The layout of a pipeline's folder, as {@code readout pipeline} writes it and {@code report} and
 * {@code aggregate} read it:
 * <pre>
 * ROOT/pipeline.json        the config it ran with ({@link #record}: its seeds and students)
 * ROOT/stages/              one record per stage
 * ROOT/data/                the prepared examples (a prepare stage)
 * ROOT/teacher/             the teacher's run
 * ROOT/teacher-probs/       the teacher pass (when a student distils)
 * ROOT/students/&lt;m&gt;/   one run per student method
 * ROOT/report/              the report
 * </pre>
 * With a seed list, each seed's stages write {@code ROOT/seed=S/} as a single-seed root does {@code ROOT/},
 * and the seeds' aggregate is {@code ROOT/aggregate/}.
 */
public final class PipelineRoot {
    public static final String CONFIG = "pipeline.json";
    public static final String STAGES = "stages";
    public static final String DATA_DIR = "data";
    /** A text dataset's featurized table (readout featurize). */
    public static final String FEATURES_DIR = "features";
    public static final String TEACHER_DIR = "teacher";
    public static final String TEACHER_PROBS_DIR = "teacher-probs";
    public static final String STUDENTS_DIR = "students";
    public static final String REPORT_DIR = "report";
    public static final String AGGREGATE_DIR = "aggregate";

    /**
     * What a pipeline ran, from its {@code pipeline.json}.
     *
     * @param seedList whether it ran a seed list (each seed under {@code ROOT/seed=S/}, then an aggregate)
     * @param seeds    the seeds in the config's order: the list, or the one seed
     * @param methods  the student methods, in the config's order
     */
    public record Record(boolean seedList, List<Long> seeds, List<String> methods) {
        /** Its run folders below a (seed's) root: the teacher, then each student. */
        public List<String> runs() {
            return PipelineRoot.runs(methods);
        }
    }

    private PipelineRoot() {
    }

    /** The folder of one seed's stages below the root: {@code seed=S}. */
    public static String seedDir(long seed) {
        return "seed=" + seed;
    }

    /** The run folders of a pipeline with these student methods: the teacher, then each student. */
    public static List<String> runs(List<String> methods) {
        List<String> runs = new ArrayList<>(List.of(TEACHER_DIR));
        methods.forEach(m -> runs.add(STUDENTS_DIR + "/" + m));
        return runs;
    }

    /**
     * What the pipeline at {@code root} ran, from its {@code pipeline.json}; null when it has none. Reads the
     * files of every readout version, whatever else their config says.
     */
    public static Record record(Configuration conf, String root) {
        HadoopInputs in = new HadoopInputs(conf);
        String file = new Path(new Path(root), CONFIG).toString();
        if (!in.exists(file)) {
            return null;
        }
        JsonNode tree = readObject(new String(in.readAll(file, "ROOT"), StandardCharsets.UTF_8), file);
        boolean seedList = tree.has("seeds");
        List<Long> seeds = seedList ? seedList(plain(tree.get("seeds")), file)
                : List.of(tree.path("seed").isNumber() ? tree.get("seed").longValue() : 0L);
        JsonNode students = tree.get("students");
        List<String> methods = methodList(students != null && students.isObject() ? plain(students.get("methods")) : null);
        return new Record(seedList, seeds, methods);
    }

    /** pipeline.json: a JSON object, whatever its keys; {@code where} names it in the one-line error. */
    private static JsonNode readObject(String json, String where) {
        try {
            JsonNode tree = Json.mapper().readTree(json);
            if (tree == null || !tree.isObject()) {
                throw new BadInputException(where + ": not valid JSON: not an object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A value of the config as {@link #seedList} and {@link #methodList} take it: a list, string, number or null. */
    private static Object plain(JsonNode value) {
        return value == null ? null : Json.mapper().convertValue(value, Object.class);
    }

    /** Student methods as a config gives them: a list, or {@code "erm,kd"}; blanks and repeats dropped. */
    public static List<String> methodList(Object value) {
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String s : (value instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(value).split(",")))) {
            if (!s.isBlank() && !out.contains(s.trim())) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /**
     * A seed list as a config gives it: {@code [0, 1, 2]}, or {@code "0,1,2"} and {@code 3} as
     * {@code --set seeds=...} gives them; {@code where} names it in the one-line error.
     */
    public static List<Long> seedList(Object value, String where) {
        List<?> items = value instanceof List<?> l ? l
                : value instanceof String s ? (s.isBlank() ? List.of() : List.of(s.split(",", -1)))
                : List.of(value);
        List<Long> seeds = new ArrayList<>();
        for (Object item : items) {
            Object v = item instanceof String s ? number(s.trim()) : item;
            if (!(v instanceof Number n && n.doubleValue() == n.longValue())) {
                throw new BadInputException(where + ": seeds must be a list of integers, got " + value);
            }
            seeds.add(n.longValue());
        }
        return seeds;
    }

    /**
     * Checks a seed list, naming it {@code what} in the one-line error: not empty, no seed twice, none negative.
     * Returns it.
     */
    public static List<Long> checkSeeds(List<Long> seeds, String what) {
        if (seeds.isEmpty()) {
            throw new BadInputException(what + ": the list is empty; give at least one seed");
        }
        Set<Long> seen = new HashSet<>();
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

    /** A number written as text, as {@code --set} values are read: with a point or exponent a double. */
    private static Object number(String text) {
        try {
            return text.contains(".") || text.contains("e") || text.contains("E")
                    ? (Object) Double.parseDouble(text) : (Object) Long.parseLong(text);
        } catch (NumberFormatException e) {
            return text;
        }
    }
}
