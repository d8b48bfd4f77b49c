package io.readout.jobs.train;

import io.readout.common.nets.NativeKernels;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What dl4j-spark 1.0.0-M2's parameter averaging computes, redone in one process with plain
 * {@link ComputationGraph#fit}: the oracle of the ITs. It follows the source of
 * {@code ParameterAveragingTrainingMaster} (direct mode, one DataSet per worker minibatch):
 * <ul>
 *   <li>each {@code fit} draws {@code seed = new Random(rngSeed).nextLong()} (the master's generator,
 *       one draw per fit);</li>
 *   <li>with N DataSets, {@code workers · averagingFrequency} of them per round and the largest partition
 *       holding M, {@code R = max(ceil(N / (workers · K)), ceil(M / K))} rounds (dl4j-spark's
 *       {@code SparkUtils.balancedRandomSplit} takes {@code floor(N / (workers · K))}; {@code TrainingMasters}
 *       makes enough that nothing is left unfitted); one round is the partitions as they are; otherwise
 *       partition p deals its DataSets in order, and for each
 *       group of R consecutive ones shuffles {@code [0..R)} with {@code new Random(seed + p)}
 *       ({@code SplitPartitionsFunction}); the DataSet at position i goes to round
 *       {@code order[i mod R]};</li>
 *   <li>in a round, each non-empty partition is a worker that starts from the driver's parameters,
 *       updater state and iteration count, and fits at most K of its DataSets in order; the driver
 *       takes the mean of the parameters and of the updater states and adds K to its iteration
 *       count.</li>
 * </ul>
 */
final class LocalParameterAveraging {
    private final ComputationGraph driver;
    /** One network fitted on every minibatch a worker fits, in the same order, without averaging. */
    private final ComputationGraph sequential;
    private final Random master;
    private final int workers;
    private final int averagingFrequency;

    LocalParameterAveraging(ComputationGraph start, int workers, int averagingFrequency, long rngSeed) {
        this.driver = NativeKernels.engage(start.clone());
        this.driver.getConfiguration().setIterationCount(start.getConfiguration().getIterationCount());
        this.sequential = NativeKernels.engage(start.clone());
        this.master = new Random(rngSeed);
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
    }

    /** One {@code SparkComputationGraph.fit} of an RDD whose partitions hold these minibatches. */
    void fit(List<List<DataSet>> partitions) {
        long seed = master.nextLong();
        for (List<List<DataSet>> round : rounds(partitions, workers * averagingFrequency, averagingFrequency, seed)) {
            List<ComputationGraph> fitted = new ArrayList<>();
            for (List<DataSet> worker : round) {
                if (!worker.isEmpty()) {
                    List<DataSet> batches = worker.subList(0, Math.min(averagingFrequency, worker.size()));
                    fitted.add(fitLocally(batches));
                    batches.forEach(sequential::fit);
                }
            }
            if (fitted.isEmpty()) {
                continue;
            }
            driver.setParams(mean(fitted, false));
            if (driver.getUpdater().getStateViewArray() != null) {
                driver.getUpdater().getStateViewArray().assign(mean(fitted, true));
            }
            driver.getConfiguration().setIterationCount(driver.getConfiguration().getIterationCount() + averagingFrequency);
        }
    }

    ComputationGraph network() {
        return driver;
    }

    /**
     * A plain {@code fit} of the same minibatches in the order the workers fit them, one after the
     * other: with one worker, what parameter averaging must equal.
     */
    ComputationGraph sequentialFit() {
        return sequential;
    }

    /** Which minibatches each worker gets in each round: {@code rounds.get(r).get(partition)}. */
    static List<List<List<DataSet>>> rounds(List<List<DataSet>> partitions, int perRound, int perWorker, long seed) {
        int n = partitions.stream().mapToInt(List::size).sum();
        int largest = partitions.stream().mapToInt(List::size).max().orElse(0);
        int r = Math.max((n + perRound - 1) / perRound, (largest + perWorker - 1) / perWorker);
        if (r <= 1) {
            return List.of(partitions);
        }
        List<List<List<DataSet>>> rounds = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            List<List<DataSet>> round = new ArrayList<>();
            for (int p = 0; p < partitions.size(); p++) {
                round.add(new ArrayList<>());
            }
            rounds.add(round);
        }
        for (int p = 0; p < partitions.size(); p++) {
            Random random = new Random(seed + p);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < r; i++) {
                order.add(i);
            }
            List<DataSet> part = partitions.get(p);
            for (int i = 0; i < part.size(); i++) {
                if (i % r == 0) {
                    Collections.shuffle(order, random);
                }
                rounds.get(order.get(i % r)).get(p).add(part.get(i));
            }
        }
        return rounds;
    }

    private ComputationGraph fitLocally(List<DataSet> batches) {
        ComputationGraph worker = NativeKernels.engage(driver.clone());
        worker.getConfiguration().setIterationCount(driver.getConfiguration().getIterationCount());
        if (driver.getUpdater().getStateViewArray() != null) {
            worker.getUpdater().getStateViewArray().assign(driver.getUpdater().getStateViewArray());
        }
        for (DataSet batch : batches) {
            worker.fit(batch);
        }
        return worker;
    }

    private static INDArray mean(List<ComputationGraph> nets, boolean updaterState) {
        INDArray sum = null;
        for (ComputationGraph net : nets) {
            INDArray a = updaterState ? net.getUpdater().getStateViewArray() : net.params();
            sum = sum == null ? a.dup() : sum.addi(a);
        }
        return sum.divi(nets.size());
    }
}
