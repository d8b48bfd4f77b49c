package io.readout.jobs.cli;

import io.readout.jobs.aggregate.AggregateConfig;
import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.featurize.FeaturizeConfig;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.passes.TeacherProbsConfig;
import io.readout.jobs.pipeline.StageCommands;
import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.report.ReportConfig;
import io.readout.jobs.train.TrainJob;

import java.io.PrintStream;

/** The commands of a pipeline's stages as this command line parses them and reports their failures. */
final class PipelineStages implements StageCommands {
    @Override
    public JobFlags<PrepareConfig> prepare() {
        return new CommandFlags<>("prepare", PrepareCommand::new, PrepareCommand::config);
    }

    @Override
    public JobFlags<FeaturizeConfig> featurize() {
        return new CommandFlags<>("featurize", FeaturizeCommand::new, FeaturizeCommand::config);
    }

    @Override
    public JobFlags<TrainJob.Request> train() {
        return TrainCommand.flags();
    }

    @Override
    public JobFlags<TeacherProbsConfig> teacherProbs() {
        return new CommandFlags<>("teacher-probs", TeacherProbsCommand::new, TeacherProbsCommand::config);
    }

    @Override
    public JobFlags<EvaluateConfig> evaluate() {
        return new CommandFlags<>("evaluate", EvaluateCommand::new, EvaluateCommand::config);
    }

    @Override
    public JobFlags<ReportConfig> report() {
        return new CommandFlags<>("report", ReportCommand::new, ReportCommand::config);
    }

    @Override
    public JobFlags<AggregateConfig> aggregate() {
        return new CommandFlags<>("aggregate", AggregateCommand::new, AggregateCommand::config);
    }

    @Override
    public int failed(String command, RuntimeException failure, PrintStream err) {
        return CommandErrors.report(command, failure, err);
    }
}
