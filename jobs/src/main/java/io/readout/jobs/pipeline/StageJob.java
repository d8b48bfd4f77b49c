package io.readout.jobs.pipeline;

import io.readout.jobs.aggregate.AggregateConfig;
import io.readout.jobs.aggregate.AggregateJob;
import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.evaluate.EvaluateJob;
import io.readout.jobs.featurize.FeaturizeConfig;
import io.readout.jobs.featurize.FeaturizeJob;
import io.readout.jobs.passes.TeacherProbsConfig;
import io.readout.jobs.passes.TeacherProbsJob;
import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.prepare.PrepareJob;
import io.readout.jobs.report.ReportConfig;
import io.readout.jobs.report.ReportJob;
import io.readout.jobs.train.TrainJob;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.List;

/**
 * One command of a stage as the job it runs, with its typed config: what {@code readout COMMAND} with the
 * same flags would run, printing what it would print.
 */
sealed interface StageJob {
    /** Runs the job on {@code spark}; its results go to {@code out}. */
    void run(SparkSession spark, PrintStream out);

    /** A stage's command line ({@code train --method=erm ...}) parsed and validated by its command. */
    static StageJob of(List<String> command, StageCommands commands) {
        List<String> args = command.subList(1, command.size());
        return switch (command.get(0)) {
            case "prepare" -> new Prepare(commands.prepare().parse(args));
            case "featurize" -> new Featurize(commands.featurize().parse(args));
            case "train" -> new Train(commands.train().parse(args));
            case "teacher-probs" -> new TeacherProbs(commands.teacherProbs().parse(args));
            case "evaluate" -> new Evaluate(commands.evaluate().parse(args));
            case "report" -> new Report(commands.report().parse(args));
            case "aggregate" -> new Aggregate(commands.aggregate().parse(args));
            default -> throw new IllegalArgumentException("not a pipeline stage's command: " + command.get(0));
        };
    }

    record Prepare(PrepareConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(PrepareJob.run(spark, config).format());
        }
    }

    record Featurize(FeaturizeConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(FeaturizeJob.run(spark, config).format());
        }
    }

    record Train(TrainJob.Request request) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            TrainJob.run(spark, request, out);
        }
    }

    record TeacherProbs(TeacherProbsConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(TeacherProbsJob.run(spark, config).format());
        }
    }

    record Evaluate(EvaluateConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(EvaluateJob.run(spark, config).format());
        }
    }

    record Report(ReportConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(ReportJob.run(spark, config).format());
        }
    }

    record Aggregate(AggregateConfig config) implements StageJob {
        @Override
        public void run(SparkSession spark, PrintStream out) {
            out.print(AggregateJob.run(spark, config).format());
        }
    }
}
