package io.readout.jobs.cli;

import io.readout.jobs.aggregate.AggregateConfig;
import io.readout.jobs.aggregate.AggregateJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout aggregate}: parses and validates, then runs {@link AggregateJob} and prints the table over seeds. */
@Command(name = "aggregate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Mean, std, min and max over a pipeline's seeds.",
            "Groups every ROOT/seed=S/<run>/metrics/<split>.json and metrics/best/<split>.json of a pipeline",
            "run with seeds with Spark SQL and writes ROOT/aggregate/: methods.json, paired.json (differences",
            "against the ERM and KD students, per seed), the Parquet tables seeds/ and methods/, and _SUCCESS;",
            "a rerun replaces it."},
        footer = {"", "Example:",
            "  readout aggregate --run /tmp/readout/dom"})
public final class AggregateCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--run", required = true, paramLabel = "ROOT", description = "The root of a pipeline run with a seed list.")
    String root;

    @Option(names = "--seeds", split = ",", paramLabel = "S,S",
            description = "The seeds to aggregate (default: those of ROOT/pipeline.json).")
    List<Long> seeds;

    AggregateConfig config() {
        return new AggregateConfig(root, seeds).validate();
    }

    @Override
    public Integer call() {
        AggregateConfig config = config();
        context.out().print(AggregateJob.run(context.spark("aggregate"), config).format());
        return 0;
    }
}
