package io.readout.jobs.cli;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.sweep.SweepConfig;
import io.readout.jobs.sweep.SweepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code readout sweep}: reads the sweep file and plans every trial through readout train's own
 * parsing (all validated before anything runs), then lists them ({@code --dry-run}) or runs
 * {@link SweepJob} and prints its table and winner.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"A hyper-parameter search over readout train's flags.",
            "A grid or seeded random draws, each trial a run folder OUT/trials/trial=NNNN,",
            "its epoch selected on validation, its best model evaluated on val and test;",
            "OUT/sweep.parquet (one row per trial) and OUT/sweep.json (the winner).",
            "Rerunning the same command resumes: finished trials are kept, an interrupted one continues."},
        footer = {"", "sweep.json:",
            "  {\"out\": \"/tmp/sweeps/lr\",",
            "   \"base\": {\"method\": \"erm\", \"arch\": \"student\", \"data\": \"/tmp/dom\",",
            "            \"epochs\": 8},",
            "   \"search\": \"grid\",                  (or \"random\" with \"trials\": N and \"seed\": S)",
            "   \"space\": {\"lr\": [1e-3, 1e-2], \"averaging-frequency\": [5, 10]},",
            "   \"select\": \"val_wga\",                (val_accuracy, val_wga or val_group_mean)",
            "   \"concurrent\": 1}                     (trials trained at once in this session)",
            "", "Example:",
            "  readout sweep --config sweep.json --dry-run"})
public final class SweepCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The sweep file (JSON).")
    String config;

    @Option(names = "--first", paramLabel = "N",
            description = "Run (or list) only the first N trials of the sweep; a later run without it does the rest.")
    Integer first;

    @Option(names = "--dry-run", description = "List the trials and their train commands; train nothing.")
    boolean dryRun;

    @Option(names = "--overwrite", description = "Delete the sweep's trials, table and summary and start again.")
    boolean overwrite;

    @Override
    public Integer call() {
        String json = new String(HadoopInputs.local().readAll(config, "--config"), StandardCharsets.UTF_8);
        SweepConfig plan = SweepConfig.plan(config, json, TrainCommand.flags(), first, overwrite);
        PrintStream out = context.out();
        if (dryRun) {
            out.print(plan.listing());
            return 0;
        }
        Map<String, String> defaults = plan.spec().concurrent() > 1 ? Map.of("spark.scheduler.mode", "FAIR") : Map.of();
        out.print(SweepJob.run(context.spark("sweep", defaults), plan, out).format(plan));
        return 0;
    }
}
