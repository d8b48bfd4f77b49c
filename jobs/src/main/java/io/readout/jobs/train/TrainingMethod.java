package io.readout.jobs.train;

import io.readout.common.nets.NetworkConfig;
import io.readout.jobs.run.RunDir;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a training method ({@code --method}) puts into {@link TrainJob}'s epoch loop, which owns the
 * rest: the run folder, the training master, validation, history, checkpoints, best and final
 * model, resume. One class per method: {@link Erm}, {@link Kd}, {@link Dedier}, {@link Jtt}, {@link Sifer},
 * each with its options ({@link DistillOptions}, {@link JttOptions}, {@link SiferOptions}). A method is
 * opened (and its inputs checked) before the run folder is touched, so a refused input leaves nothing
 * behind.
 */
public interface TrainingMethod {

    /** The network of a fresh run, from the one ERM would train. */
    default NetworkConfig network(NetworkConfig erm) {
        return erm;
    }

    /**
     * The rows the epochs train on, once the run folder is ready: by default the training split, each row
     * once per epoch. JTT trains its stage one and finds its error set here, and upsamples it.
     *
     * @param train the training split
     */
    default EpochRows rows(Dataset<Row> train, RunDir run, PrintStream out) {
        return EpochRows.eachOnce(train);
    }

    /**
     * Called once the run folder is ready, before the first epoch this process trains (of a fresh run
     * or after the checkpoint a resumed run starts from): e.g. the teacher pass of distillation.
     *
     * @param train the training split, persisted by the caller
     */
    default void start(RunDir run, Dataset<Row> train) {
    }

    /**
     * Before the fit of {@code epoch}, with the network as it stands: e.g. DEDIER's weights pass.
     * Returns figures for the epoch's history entry (none by default), written after {@link #validate}'s
     * in their order ({@link io.readout.jobs.run.EpochRecord#figures}; a null value is written as null).
     */
    default Map<String, Number> beforeEpoch(int epoch, ComputationGraph net) {
        return Map.of();
    }

    /**
     * One epoch of parameter-averaged training: builds the epoch's minibatches from {@code train} on
     * the executors, shuffled with {@code shuffleSeed} and dealt to {@code workers} partitions
     * ({@link TrainingMasters#minibatchRdd}), and fits {@code sparkNet} on them.
     *
     * <p>A method that adds training hooks ({@code sparkNet.getTrainingMaster().addHook}) has them run on the
     * workers after {@link TrainingMasters}' own (kernels, iteration count).
     *
     * @param copies how many times each row of {@code train} counts in this epoch (an int column; JTT's
     *               upsampled error set), or null: each once. Only ERM's minibatches take copies.
     */
    void fit(SparkComputationGraph sparkNet, Dataset<Row> train, Column copies, int workers, int epoch,
             long shuffleSeed);

    /**
     * After the fit of an epoch: figures for its history entry besides TrainJob's own, of the validation
     * split (e.g. an early readout's accuracy) or of the fit (e.g. SIFER's forgetting steps), in the order
     * history.json lists them ({@link io.readout.jobs.run.EpochRecord#figures}; a null value is written as null).
     */
    default Map<String, Number> validate(ComputationGraph net, Dataset<Row> val) {
        return Map.of();
    }

    /** Releases what the method cached (persisted tables); called when the job ends, also on failure. */
    default void close() {
    }
}
