package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.jobs.cli.TrainCommand;
import io.readout.jobs.run.RunDir;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** TrainJob's checkpoints for tests outside its package (the writer-kill loop): the real code, not a copy. */
public final class Checkpoints {
    private Checkpoints() {
    }

    public static void write(RunDir run, int epoch, ComputationGraph net, List<Map<String, Object>> history,
                             int bestEpoch, double bestValue) {
        TrainJob.checkpoint(run, epoch, net, Json.write(history), bestEpoch, bestValue);
    }

    /** The newest complete checkpoint's epoch, or null. */
    public static Integer last(RunDir run) throws IOException {
        return TrainJob.lastCheckpoint(run);
    }

    /**
     * Runs {@code readout train ARGS} (without the leading "train") in this process and stops after
     * epoch {@code epoch} as if the driver had died there: checkpoint written, no model.zip, no _SUCCESS.
     */
    public static void stopAfter(SparkSession spark, String[] trainArgs, int epoch) {
        List<String> args = List.of(trainArgs).subList(trainArgs[0].equals("train") ? 1 : 0, trainArgs.length);
        TrainConfig config = TrainCommand.flags().parse(args).config();
        TrainJob.run(spark, config, false, false, new PrintStream(new ByteArrayOutputStream()), epoch);
    }

    public static String dir(int epoch) {
        return TrainJob.checkpointDir(epoch);
    }

    public static String state() {
        return TrainJob.STATE;
    }
}
