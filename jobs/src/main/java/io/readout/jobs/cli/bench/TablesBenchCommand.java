package io.readout.jobs.cli.bench;

import io.readout.jobs.bench.tables.BenchTables;
import io.readout.jobs.cli.CommandContext;
import io.readout.jobs.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code readout bench tables}: parses the flags, then runs {@link BenchTables}; no Spark. */
@Command(name = "tables", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Regenerate the measured tables of a markdown document from results files.",
            "A generated table sits between <!-- table: KIND files=F,F ... --> and",
            "<!-- /table -->; any other table must follow a line",
            "'" + BenchTables.NOT_REGENERATED + " ...'."},
        footer = {"", "Exit codes: 0 every table matches its files (after rewriting it);",
            "1 with --check a table differs (the first is named), or a table is",
            "neither generated nor marked; 2 a missing or malformed file.",
            "Run from the repository root: readout bench tables --check"})
public final class TablesBenchCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "docs/bench/results",
            description = "The folder the tables' files are in (default: ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--doc", paramLabel = "FILE", defaultValue = "docs/BENCHMARKS.md",
            description = "The markdown document whose tables to regenerate (default: ${DEFAULT-VALUE}).")
    Path doc;

    @Option(names = "--check", description = "Only compare: exit 1 naming the first table that differs from its files.")
    boolean check;

    @Override
    public Integer call() {
        BenchTables.Result result = BenchTables.run(new BenchTables.Config(results, doc, check));
        context.out().print(result.summary(check));
        if (check && !result.matches()) {
            BenchTables.Table t = result.firstDifferent().orElseThrow();
            context.err().println("readout bench tables: " + t.where() + " differs from its files, "
                    + t.firstDifference().orElseThrow() + "; run 'readout bench tables' to regenerate it");
            return ExitCodes.FAILURE;
        }
        return result.unbacked().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
