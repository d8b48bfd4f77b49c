package io.readout.jobs.registry;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.LockSettings;
import io.readout.jobs.pipeline.Candidates;
import io.readout.jobs.pipeline.PipelineJob;
import io.readout.jobs.pipeline.PipelineSpec;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code readout retrain}: what a scheduler calls. Stages: read the registry's current version → run the
 * pipeline on the current data (its stages skipped, resumed or rerun as {@code readout pipeline} does; the
 * candidate's run warm-started from the promoted model when the config's {@code retrain.warm_start} says so)
 * → choose the candidate run ({@link Candidates}) → offer it to the registry, which promotes it only if its
 * validation worst-group accuracy (and average accuracy) is within tolerance of the promoted model's
 * ({@link PromotionPolicy}). A refused promotion is a decision, not a failure.
 */
public final class RetrainJob {
    /**
     * What to retrain and how to decide.
     *
     * @param json      the pipeline config's text
     * @param where     how errors name the config (its path)
     * @param overrides the command line's replacements of config keys, applied in order
     * @param seedsFlag whether the overrides' seed list came from {@code --seeds} (its error names the flag)
     * @param registry  the registry's folder (any Hadoop URI)
     * @param policy    the promotion gate
     * @param lock      how to wait for the registry's lock
     * @param dryRun    list the pipeline's stages; run and decide nothing
     */
    public record Config(String json, String where, List<String> overrides, boolean seedsFlag, String registry,
                         PromotionPolicy policy, LockSettings lock, boolean dryRun) {
        public Config {
            overrides = List.copyOf(overrides);
        }
    }

    private RetrainJob() {
    }

    /**
     * Retrains and decides, printing each step to {@code out}; {@code pipelines} gives the pipeline job once the
     * config is checked. Returns the exit code: the pipeline's, when a stage failed.
     */
    public static int run(Config config, Supplier<PipelineJob> pipelines, PrintStream out) {
        PipelineSpec spec = PipelineSpec.parse(config.json(), config.where(), config.overrides());
        if (spec.hasSeedList()) {
            // One candidate per decision: the registry compares one run with the version in service.
            throw new BadInputException((config.seedsFlag() ? "--seeds" : config.where() + ": seeds")
                    + ": retrain takes one seed (--seed S, or seed in the config), not a seed list");
        }
        PipelineJob pipeline = pipelines.get();
        Configuration conf = pipeline.conf();
        Registry registry = new Registry(conf, config.registry(), config.lock());
        Optional<String> current = registry.currentVersion();
        out.println("registry " + registry.uri() + ": current " + current.orElse("(none)"));
        if (spec.warmStart() && current.isPresent()) {
            String stage = warmStartStage(conf, registry, current.get(), spec);
            String model = new Path(registry.versionDir(current.get()), RunDir.MODEL).toString();
            out.println("warm start: " + stage + " from " + current.get());
            List<String> overrides = new ArrayList<>(config.overrides());
            overrides.add(0, Candidates.initOverride(stage, model));
            spec = PipelineSpec.parse(config.json(), config.where(), overrides);
        }
        int code = pipeline.runAndReport(spec, config.dryRun());
        if (code != 0 || config.dryRun()) {
            return code;
        }
        String root = new RunDir(conf, spec.out()).dir();
        String candidate = Candidates.choose(conf, root, spec);
        String candidateDir = HadoopInputs.child(root, candidate);
        out.println("candidate: " + candidate + (spec.candidate().equals(PipelineSpec.BEST)
                ? " (the student with the highest val worst-group accuracy)" : ""));
        Registry.Decision d = registry.decideAndRecord(candidateDir, config.policy());
        out.println(d.promoted()
                ? "promoted " + d.version() + ": " + d.reason()
                : "not promoted, " + (d.comparedWith() != null ? d.comparedWith() : "nothing") + " stays current: "
                        + d.reason());
        return 0;
    }

    /** The pipeline run the current version came from: the one its warm start starts. */
    private static String warmStartStage(Configuration conf, Registry registry, String version, PipelineSpec spec) {
        RunDir v = new RunDir(conf, registry.versionDir(version).toString());
        VersionFile meta = VersionFile.read(v.readText(Registry.VERSION_JSON), v.path(Registry.VERSION_JSON));
        String stage = spec.candidate().equals(PipelineSpec.BEST)
                ? Candidates.stageOf(String.valueOf(meta.source())) : spec.candidate();
        if (stage == null || !(stage.equals("teacher") || spec.methods().contains(stage.substring(stage.indexOf('/') + 1)))) {
            throw new BadInputException("retrain.warm_start: " + version + " came from " + meta.source()
                    + ", which is not a run of this pipeline; name the run in retrain.candidate");
        }
        return stage;
    }
}
