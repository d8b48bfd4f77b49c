package io.readout.jobs.cli;

import io.readout.jobs.distill.TeacherProbsConfig;
import io.readout.jobs.distill.TeacherProbsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code readout teacher-probs}: parses and validates the flags, then runs {@link TeacherProbsJob}. */
@Command(name = "teacher-probs", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"A teacher's softened probabilities on the training split.",
            "For kd and dedier students (readout train --teacher-probs).",
            "Writes TP/probs/ (Parquet: id, logits, probs = softmax(logits/T), temperature),",
            "TP/teacher_probs.json and TP/_SUCCESS."},
        footer = {"", "Example:",
            "  readout teacher-probs --teacher /tmp/runs/teacher --data /tmp/dom --out /tmp/runs/teacher-probs"})
public final class TeacherProbsCommand implements Callable<Integer> {
    @ParentCommand
    private io.readout.jobs.ReadoutCli parent;

    @Option(names = "--teacher", required = true, paramLabel = "RUN", description = "The teacher's run folder.")
    String teacher;
    @picocli.CommandLine.Mixin
    TablePassOptions table = new TablePassOptions();
    @Option(names = "--temperature", defaultValue = "2", paramLabel = "T",
            description = "Temperature of the softened probabilities (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Override
    public Integer call() {
        TeacherProbsConfig config = new TeacherProbsConfig(teacher, table.data, table.out, temperature, table.model,
                table.batch, table.overwrite).validate();
        TeacherProbsJob.Result r = TeacherProbsJob.run(parent.spark("teacher-probs"), config);
        parent.out().println(String.format(Locale.ROOT, "wrote %d teacher probabilities (T=%s) to %s in %.1f s",
                r.rows(), temperature, r.out(), r.seconds()));
        return 0;
    }
}
