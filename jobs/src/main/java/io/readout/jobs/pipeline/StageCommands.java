package io.readout.jobs.pipeline;

import io.readout.jobs.aggregate.AggregateConfig;
import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.featurize.FeaturizeConfig;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.passes.TeacherProbsConfig;
import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.report.ReportConfig;
import io.readout.jobs.train.TrainJob;

import java.io.PrintStream;

/**
 * What the pipeline needs from the command line that runs it, handed over by its command: each stage
 * command's flags parsed into its job's config by that command's own parsing and validation, and how the
 * command line reports a failed command. The pipeline itself calls the jobs ({@link StageJob}).
 */
public interface StageCommands {
    JobFlags<PrepareConfig> prepare();

    JobFlags<FeaturizeConfig> featurize();

    JobFlags<TrainJob.Request> train();

    JobFlags<TeacherProbsConfig> teacherProbs();

    JobFlags<EvaluateConfig> evaluate();

    JobFlags<ReportConfig> report();

    JobFlags<AggregateConfig> aggregate();

    /**
     * A stage command's failure as the command line reports it: one line on {@code err} that names the
     * command ({@code readout train: ...}); returns the exit code.
     */
    int failed(String command, RuntimeException failure, PrintStream err);
}
