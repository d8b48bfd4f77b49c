package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.ReadoutCli;
import io.readout.jobs.pipeline.Candidates;
import io.readout.jobs.pipeline.PipelineSpec;
import io.readout.jobs.registry.Registry;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code readout retrain}: what a scheduler calls. Runs the pipeline on the current data (its stages
 * skipped, resumed or rerun as {@code readout pipeline} does; the candidate's run warm-started from the
 * promoted model when the config's {@code retrain.warm_start} says so), then offers the candidate run
 * to the registry, which promotes it only if its validation worst-group accuracy (and average accuracy)
 * is within tolerance of the promoted model's.
 */
@Command(name = "retrain", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Scheduled retraining with a worst-group promotion gate.",
            "The pipeline on the current data, then a promotion decision.",
            "The candidate (pipeline.json's retrain.candidate: best, teacher or students/<m>) replaces the",
            "registry's current version only if its val worst-group accuracy >= current - --tolerance and its",
            "val accuracy >= current - --accuracy-tolerance. The registry keeps numbered versions, a 'current'",
            "pointer replaced atomically and history.json with every decision and its reason; one decision at",
            "a time (a lock). A refused promotion is not an error: exit code 0, the reason printed."},
        footer = {"", "Exit codes: 0 decided (promoted or refused); 2 bad input; 3 the registry stayed locked",
            "for --lock-timeout; 1 anything else.",
            "", "Example (cron, nightly):",
            "  readout retrain --config pipeline.json --registry hdfs:///models/dominoes --tolerance 0.01"})
public final class RetrainCommand implements Callable<Integer> {
    @ParentCommand
    private ReadoutCli parent;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The pipeline config (JSON; any Hadoop URI).")
    String config;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Mixin
    RegistryOptions registryOptions = new RegistryOptions();

    @Override
    public Integer call() {
        String json = PipelineCommand.read(config);
        PipelineSpec spec = PipelineSpec.parse(json, config, options.overrides(List.of()));
        if (spec.hasSeedList()) {
            // One candidate per decision: the registry compares one run with the version in service.
            throw new BadInputException((options.seedsFlag() ? "--seeds" : config + ": seeds")
                    + ": retrain takes one seed (--seed S, or seed in the config), not a seed list");
        }
        SparkSession spark = PipelineCommand.session(parent, "retrain");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Registry registry = new Registry(conf, registryOptions.registry, registryOptions.lockSettings());
        Optional<String> current = registry.currentVersion();
        parent.out().println("registry " + registry.uri() + ": current " + current.orElse("(none)"));
        if (spec.warmStart() && current.isPresent()) {
            String stage = warmStartStage(conf, registry, current.get(), spec);
            String model = new Path(registry.versionDir(current.get()), RunDir.MODEL).toString();
            parent.out().println("warm start: " + stage + " from " + current.get());
            List<String> overrides = new ArrayList<>(options.overrides(List.of()));
            overrides.add(0, Candidates.initOverride(stage, model));
            spec = PipelineSpec.parse(json, config, overrides);
        }
        int code = PipelineCommand.run(parent, spec, options.dryRun);
        if (code != 0 || options.dryRun) {
            return code;
        }
        String root = new RunDir(conf, spec.root()).dir();
        String candidate = Candidates.choose(conf, root, spec);
        String candidateDir = HadoopInputs.child(root, candidate);
        parent.out().println("candidate: " + candidate + (spec.candidate().equals(PipelineSpec.BEST)
                ? " (the student with the highest val worst-group accuracy)" : ""));
        Registry.Decision d = registry.decideAndRecord(candidateDir, registryOptions.policy());
        parent.out().println(d.promoted()
                ? "promoted " + d.version() + ": " + d.reason()
                : "not promoted, " + (d.comparedWith() != null ? d.comparedWith() : "nothing") + " stays current: "
                        + d.reason());
        return 0;
    }

    /** The pipeline run the current version came from: the one its warm start starts. */
    private static String warmStartStage(Configuration conf, Registry registry, String version, PipelineSpec spec) {
        RunDir v = new RunDir(conf, registry.versionDir(version).toString());
        Map<String, Object> meta = Json.readObject(v.readText(Registry.VERSION_JSON), v.path(Registry.VERSION_JSON));
        String stage = spec.candidate().equals(PipelineSpec.BEST)
                ? Candidates.stageOf(String.valueOf(meta.get("source"))) : spec.candidate();
        if (stage == null || !(stage.equals("teacher") || spec.methods().contains(stage.substring(stage.indexOf('/') + 1)))) {
            throw new BadInputException("retrain.warm_start: " + version + " came from " + meta.get("source")
                    + ", which is not a run of this pipeline; name the run in retrain.candidate");
        }
        return stage;
    }
}
