package io.readout.jobs.cli;

import io.readout.jobs.report.ReportConfig;
import io.readout.jobs.report.ReportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout report}: parses and validates, then runs {@link ReportJob} and prints the methods table. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"An HTML page and a JSON summary of a pipeline's runs.",
            "One self-contained HTML page and a JSON summary of every run under a pipeline root.",
            "Writes ROOT/report/report.html, ROOT/report/summary.json and _SUCCESS."},
        footer = {"", "Example:",
            "  readout report --run /tmp/pipeline"})
public final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--run", required = true, paramLabel = "ROOT",
            description = "The pipeline root: run folders (config.json and _SUCCESS) at depth 0 to 2, e.g. ROOT/teacher, ROOT/students/*.")
    String root;

    @Option(names = "--examples-per-group", paramLabel = "N", defaultValue = "" + ReportConfig.DEFAULT_EXAMPLES_PER_GROUP,
            description = "Test examples per bias-conflicting group with Grad-CAM maps (0: none; default: ${DEFAULT-VALUE}).")
    int examplesPerGroup;

    ReportConfig config() {
        return new ReportConfig(root, examplesPerGroup).validate();
    }

    @Override
    public Integer call() {
        ReportConfig config = config();
        context.out().print(ReportJob.run(context.spark("report"), config).format());
        return 0;
    }
}
