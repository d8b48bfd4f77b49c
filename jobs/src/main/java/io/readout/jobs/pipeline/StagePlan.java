package io.readout.jobs.pipeline;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.train.TrainConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages of a pipeline config, in the order they run: prepare → teacher → teacher pass (when a
 * student distils) → one student per method → evaluate each run (val and test) → report. Each stage's
 * flags are the config's sections merged in order (later wins): for the teacher {@code train} then
 * {@code teacher}; for a student {@code train}, {@code students}, then {@code methods.<m>}.
 */
public final class StagePlan {
    public static final String DATA_DIR = "data";
    public static final String TEACHER_DIR = "teacher";
    public static final String TEACHER_PROBS_DIR = "teacher-probs";
    public static final String STUDENTS_DIR = "students";
    public static final String REPORT_DIR = "report";
    /** prepare's flags that name raw inputs: their listings are part of the prepare stage's hash. */
    private static final Set<String> INPUT_FLAGS = Set.of("mnist", "fashion", "images", "root", "input");
    private static final Set<String> DISTILLING = Set.of(TrainConfig.KD, TrainConfig.DEDIER);

    private StagePlan() {
    }

    /** The stages of {@code spec} under the (qualified) folder {@code root}. */
    public static List<Stage> of(PipelineSpec spec, String root) {
        List<Stage> stages = new ArrayList<>();
        String seed = Long.toString(spec.seed());
        String data;
        List<String> dataStage;
        List<String> dataInputs;
        if (spec.data() == null) {
            data = HadoopInputs.child(root, DATA_DIR);
            Map<String, String> prepare = new LinkedHashMap<>(spec.flags(PipelineSpec.PREPARE));
            List<String> inputs = prepare.entrySet().stream()
                    .filter(e -> INPUT_FLAGS.contains(e.getKey()) && !e.getValue().isEmpty())
                    .map(Map.Entry::getValue).toList();
            prepare.put("out", data);
            prepare.put("seed", seed);
            stages.add(Stage.of("prepare", Stage.args("prepare", List.of(), prepare), data, Stage.Kind.TABLE,
                    List.of(), inputs));
            dataStage = List.of("prepare");
            dataInputs = List.of();
        } else {
            data = spec.data();
            dataStage = List.of();
            dataInputs = List.of(data);
        }

        String teacher = HadoopInputs.child(root, TEACHER_DIR);
        Map<String, String> t = new LinkedHashMap<>();
        t.put("method", TrainConfig.ERM);
        t.put("arch", "teacher");
        t.putAll(spec.flags(PipelineSpec.TRAIN));
        t.putAll(spec.flags(PipelineSpec.TEACHER));
        t.put("data", data);
        t.put("out", teacher);
        t.put("seed", seed);
        stages.add(Stage.of(TEACHER_DIR, Stage.args("train", List.of(), t), teacher, Stage.Kind.RUN, dataStage,
                dataInputs));

        List<String> methods = spec.methods();
        String probs = HadoopInputs.child(root, TEACHER_PROBS_DIR);
        Map<String, String> tp = spec.flags(PipelineSpec.TEACHER_PROBS);
        boolean distils = methods.stream().anyMatch(DISTILLING::contains);
        if (distils) {
            Map<String, String> flags = new LinkedHashMap<>(tp);
            flags.put("teacher", teacher);
            flags.put("data", data);
            flags.put("out", probs);
            stages.add(Stage.of(TEACHER_PROBS_DIR, Stage.args("teacher-probs", List.of(), flags), probs,
                    Stage.Kind.TABLE, concat(dataStage, List.of(TEACHER_DIR)), dataInputs));
        }

        List<String> runs = new ArrayList<>(List.of(TEACHER_DIR));
        for (String m : methods) {
            String name = STUDENTS_DIR + "/" + m;
            String out = HadoopInputs.child(root, name);
            Map<String, String> s = new LinkedHashMap<>();
            s.put("method", m);
            s.put("arch", "student");
            s.putAll(spec.flags(PipelineSpec.TRAIN));
            if (DISTILLING.contains(m) && tp.containsKey("temperature")) {
                s.put("temperature", tp.get("temperature"));
            }
            s.putAll(spec.flags(PipelineSpec.STUDENTS));
            s.putAll(spec.methodFlags(m));
            s.put("method", m);
            s.put("data", data);
            s.put("out", out);
            s.put("seed", seed);
            List<String> upstream = new ArrayList<>(dataStage);
            if (DISTILLING.contains(m)) {
                s.put("teacher", teacher);
                s.put("teacher-probs", probs);
                upstream.add(TEACHER_DIR);
                upstream.add(TEACHER_PROBS_DIR);
            }
            stages.add(Stage.of(name, Stage.args("train", List.of(), s), out, Stage.Kind.RUN, upstream, dataInputs));
            runs.add(name);
        }

        List<String> evaluations = new ArrayList<>();
        for (String run : runs) {
            String dir = HadoopInputs.child(root, run);
            Map<String, String> e = new LinkedHashMap<>(spec.flags(PipelineSpec.EVALUATE));
            e.put("run", dir);
            e.put("data", data);
            e.put("split", "all");
            Map<String, String> best = new LinkedHashMap<>(e);
            best.put("model", "best");
            String name = "evaluate/" + run;
            stages.add(new Stage(name, List.of(Stage.args("evaluate", List.of(), e), Stage.args("evaluate", List.of(),
                    best)), dir, Stage.Kind.EVALUATION, concat(dataStage, List.of(run)), dataInputs));
            evaluations.add(name);
        }
        if (spec.reports()) {
            stages.add(Stage.of(REPORT_DIR, Stage.args("report", List.of(root), spec.flags(PipelineSpec.REPORT)),
                    HadoopInputs.child(root, REPORT_DIR), Stage.Kind.REPORT, evaluations, List.of()));
        }
        return stages;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
