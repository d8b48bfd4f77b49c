package io.readout.jobs.cli;

import io.readout.jobs.passes.TeacherProbsConfig;
import io.readout.jobs.passes.TeacherProbsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout teacher-probs}: parses and validates the flags, then runs {@link TeacherProbsJob}. */
@Command(name = "teacher-probs", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"A teacher's softened probabilities on the training split.",
            "For kd and dedier students (readout train --teacher-probs).",
            "Writes TP/probs/ (Parquet: id, logits, probs = softmax(logits/T), temperature),",
            "TP/teacher_probs.json and TP/_SUCCESS."},
        footer = {"", "Example:",
            "  readout teacher-probs --teacher /tmp/runs/teacher --data /tmp/dom \\",
            "      --out /tmp/runs/teacher-probs"})
public final class TeacherProbsCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--teacher", required = true, paramLabel = "RUN", description = "The teacher's run folder.")
    String teacher;
    @Mixin
    TablePassOptions table = new TablePassOptions();
    @Option(names = "--temperature", defaultValue = "2", paramLabel = "T",
            description = "Temperature of the softened probabilities (default: ${DEFAULT-VALUE}).")
    double temperature;

    TeacherProbsConfig config() {
        return new TeacherProbsConfig(teacher, table.data, table.out, temperature, table.model, table.batch,
                table.overwrite).validate();
    }

    @Override
    public Integer call() {
        TeacherProbsConfig config = config();
        context.out().print(TeacherProbsJob.run(context.spark("teacher-probs"), config).format());
        return 0;
    }
}
