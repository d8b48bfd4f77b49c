package io.readout.jobs.cli;

import io.readout.jobs.registry.RetrainJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout retrain}: parses the config and the registry's flags, then runs {@link RetrainJob}. */
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
            "  readout retrain --config pipeline.json \\",
            "      --registry hdfs:///models/dominoes --tolerance 0.01"})
public final class RetrainCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The pipeline config (JSON; any Hadoop URI).")
    String config;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Mixin
    RegistryOptions registryOptions = new RegistryOptions();

    @Override
    public Integer call() {
        RetrainJob.Config job = new RetrainJob.Config(PipelineCommand.read(config), config,
                options.overrides(List.of()), options.seedsFlag(), registryOptions.registry, registryOptions.policy(),
                registryOptions.lockSettings(), options.dryRun);
        return RetrainJob.run(job, () -> PipelineCommand.job(context, "retrain"), context.out());
    }
}
