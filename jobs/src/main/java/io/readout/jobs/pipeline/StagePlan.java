package io.readout.jobs.pipeline;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.train.TrainConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stages of a pipeline config, in the order they run: prepare → featurize (text datasets) → teacher → teacher pass (when a
 * student distils) → one student per method → evaluate each run (val and test) → report. Each stage's
 * flags are the config's sections merged in order (later wins): for the teacher {@code train} then
 * {@code teacher}; for a student {@code train}, {@code students}, then {@code methods.<m>}.
 *
 * <p>With a seed list ({@code seeds}) the stages from prepare to evaluate run once per seed, named
 * {@code seed=S/...} and writing under {@code ROOT/seed=S/} as a single-seed root does under {@code ROOT/};
 * what does not depend on the seed runs once: a prepared table ({@code data}) or one prepare stage with
 * {@code data_seed} under {@code ROOT/data/} is every seed's data. Then {@code aggregate} (every seed's
 * metrics into {@code ROOT/aggregate/}) and one report of the whole root.
 */
public final class StagePlan {
    /** prepare's flags that name raw inputs: their listings are part of the prepare stage's hash. */
    private static final Set<String> INPUT_FLAGS = Set.of("mnist", "fashion", "images", "source", "input");
    private static final Set<String> DISTILLING = Set.of(TrainConfig.KD, TrainConfig.DEDIER);

    /** Where the runs read their examples: the folder, the stage that writes it (if any), raw inputs to hash. */
    private record Data(String path, List<String> stages, List<String> inputs) {
    }

    private StagePlan() {
    }

    /** The stages of {@code spec} under the (qualified) folder {@code root}. */
    public static List<Stage> of(PipelineSpec spec, String root) {
        List<Stage> stages = new ArrayList<>();
        List<String> evaluations = new ArrayList<>();
        List<String> reportUpstream = new ArrayList<>();
        if (!spec.hasSeedList()) {
            Data data = spec.data() != null ? prepared(spec)
                    : prepare(spec, root, "", spec.dataSeed() != null ? spec.dataSeed() : spec.seed(), stages);
            data = featurize(spec, root, "", data, stages);
            evaluations.addAll(runs(spec, root, "", spec.seed(), data, stages));
        } else {
            Data shared = spec.data() != null ? prepared(spec)
                    : spec.dataSeed() != null ? prepare(spec, root, "", spec.dataSeed(), stages) : null;
            if (shared != null) {
                shared = featurize(spec, root, "", shared, stages);
            }
            for (long seed : spec.seeds()) {
                String scope = PipelineRoot.seedDir(seed);
                String seedRoot = HadoopInputs.child(root, scope);
                Data data = shared != null ? shared
                        : featurize(spec, seedRoot, scope, prepare(spec, seedRoot, scope, seed, stages), stages);
                evaluations.addAll(runs(spec, seedRoot, scope, seed, data, stages));
            }
            String seeds = String.join(",", spec.seeds().stream().map(String::valueOf).toList());
            stages.add(Stage.of(PipelineRoot.AGGREGATE_DIR, List.of("aggregate", "--run=" + root, "--seeds=" + seeds),
                    HadoopInputs.child(root, PipelineRoot.AGGREGATE_DIR), Stage.Kind.AGGREGATE, evaluations, List.of()));
            reportUpstream.add(PipelineRoot.AGGREGATE_DIR);
        }
        reportUpstream.addAll(evaluations);
        if (spec.reports()) {
            stages.add(Stage.of(PipelineRoot.REPORT_DIR, Stage.args("report", List.of("--run=" + root), spec.flags(PipelineSpec.REPORT)),
                    HadoopInputs.child(root, PipelineRoot.REPORT_DIR), Stage.Kind.REPORT, reportUpstream, List.of()));
        }
        return stages;
    }

    private static Data prepared(PipelineSpec spec) {
        return new Data(spec.data(), List.of(), List.of(spec.data()));
    }

    /** The prepare stage writing {@code root/data} with {@code seed}, added to {@code stages}. */
    private static Data prepare(PipelineSpec spec, String root, String scope, long seed, List<Stage> stages) {
        String data = HadoopInputs.child(root, PipelineRoot.DATA_DIR);
        Map<String, String> prepare = new LinkedHashMap<>(spec.flags(PipelineSpec.PREPARE));
        List<String> inputs = prepare.entrySet().stream()
                .filter(e -> INPUT_FLAGS.contains(e.getKey()) && !e.getValue().isEmpty())
                .map(Map.Entry::getValue).toList();
        prepare.put("out", data);
        prepare.put("seed", Long.toString(seed));
        String name = named(scope, "prepare");
        stages.add(new Stage(name, List.of(Stage.args("prepare", List.of(), prepare)), data, Stage.Kind.TABLE,
                List.of(), inputs, scope));
        return new Data(data, List.of(name), List.of());
    }

    /**
     * For a text dataset, the featurize stage writing {@code root/features} from {@code text}, added to
     * {@code stages}; the data unchanged otherwise. Featurization draws nothing at random: no seed.
     */
    private static Data featurize(PipelineSpec spec, String root, String scope, Data text, List<Stage> stages) {
        if (!spec.featurizes()) {
            return text;
        }
        String features = HadoopInputs.child(root, PipelineRoot.FEATURES_DIR);
        Map<String, String> flags = new LinkedHashMap<>(spec.flags(PipelineSpec.FEATURIZE));
        flags.put("data", text.path());
        flags.put("out", features);
        String name = named(scope, PipelineRoot.FEATURES_DIR);
        stages.add(new Stage(name, List.of(Stage.args("featurize", List.of(), flags)), features, Stage.Kind.TABLE,
                text.stages(), text.inputs(), scope));
        return new Data(features, List.of(name), text.inputs());
    }

    /**
     * The teacher, its pass, the students and their evaluations under {@code root} with {@code seed}, added to
     * {@code stages}; returns the names of the evaluations.
     */
    private static List<String> runs(PipelineSpec spec, String root, String scope, long seedValue, Data source,
                                     List<Stage> stages) {
        String seed = Long.toString(seedValue);
        String data = source.path();
        List<String> dataStage = source.stages();
        List<String> dataInputs = source.inputs();

        String teacherName = named(scope, PipelineRoot.TEACHER_DIR);
        String teacher = HadoopInputs.child(root, PipelineRoot.TEACHER_DIR);
        Map<String, String> t = new LinkedHashMap<>();
        t.put("method", TrainConfig.ERM);
        t.put("arch", "teacher");
        t.putAll(spec.flags(PipelineSpec.TRAIN));
        t.putAll(spec.flags(PipelineSpec.TEACHER));
        t.put("data", data);
        t.put("out", teacher);
        t.put("seed", seed);
        stages.add(new Stage(teacherName, List.of(Stage.args("train", List.of(), t)), teacher, Stage.Kind.RUN,
                dataStage, dataInputs, scope));

        List<String> methods = spec.methods();
        String probsName = named(scope, PipelineRoot.TEACHER_PROBS_DIR);
        String probs = HadoopInputs.child(root, PipelineRoot.TEACHER_PROBS_DIR);
        Map<String, String> tp = spec.flags(PipelineSpec.TEACHER_PROBS);
        boolean distils = methods.stream().anyMatch(DISTILLING::contains);
        if (distils) {
            Map<String, String> flags = new LinkedHashMap<>(tp);
            flags.put("teacher", teacher);
            flags.put("data", data);
            flags.put("out", probs);
            stages.add(new Stage(probsName, List.of(Stage.args("teacher-probs", List.of(), flags)), probs,
                    Stage.Kind.TABLE, concat(dataStage, List.of(teacherName)), dataInputs, scope));
        }

        List<String> runs = new ArrayList<>(List.of(PipelineRoot.TEACHER_DIR));
        for (String m : methods) {
            String run = PipelineRoot.STUDENTS_DIR + "/" + m;
            String out = HadoopInputs.child(root, run);
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
                upstream.add(teacherName);
                upstream.add(probsName);
            }
            stages.add(new Stage(named(scope, run), List.of(Stage.args("train", List.of(), s)), out, Stage.Kind.RUN,
                    upstream, dataInputs, scope));
            runs.add(run);
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
            String name = named(scope, "evaluate/" + run);
            stages.add(new Stage(name, List.of(Stage.args("evaluate", List.of(), e), Stage.args("evaluate", List.of(),
                    best)), dir, Stage.Kind.EVALUATION, concat(dataStage, List.of(named(scope, run))), dataInputs, scope));
            evaluations.add(name);
        }
        return evaluations;
    }

    private static String named(String scope, String name) {
        return scope.isEmpty() ? name : scope + "/" + name;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
