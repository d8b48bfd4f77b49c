package io.readout.jobs.train;

import io.readout.common.sifer.ForgettingStep;
import io.readout.jobs.spark.ExactSum;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * SIFER's forgetting step on the Spark workers, in the minibatch loop of parameter averaging: before a
 * worker fits the minibatch of step t, where t is its network's iteration count and {@code t % every == 0}
 * (the official code's {@code step % forget_after_iters == 0}, from step 0), one {@link ForgettingStep} on
 * that minibatch's features updates the worker's early layers. The iteration count is the run's global
 * step because {@code TrainingMasters}' own hooks (oneDNN kernels, then the driver's iteration count) run
 * before this one: register it with the training master's {@code addHook}.
 *
 * <p>Each task thread builds its forget graph once and keeps it while the network configuration and the
 * learning rate stay the same (a run's every epoch). Steps taken and their losses (before each step)
 * are added to Spark accumulators, which the driver reads after the fit.
 */
final class ForgettingHook implements TrainingHook {
    private static final long serialVersionUID = 1L;
    private static final ThreadLocal<Cached> STEPS = new ThreadLocal<>();

    /** A thread's forget graph and what it was built for. */
    private record Cached(String key, ForgettingStep step) {
    }

    /** The network's configuration without its counts, and the learning rate: which forget graph this hook needs. */
    private final String key;
    private final int every;
    private final double forgetLr;
    private final LongAccumulator steps;
    private final ExactSum losses;

    /**
     * @param net      the configuration of the network the workers train
     * @param every    forget before steps 0, every, 2·every, … (at least 1)
     * @param forgetLr the forgetting step's SGD learning rate
     * @param steps    counts the forgetting steps taken
     * @param losses   sums their losses (exactly: the total does not depend on the order tasks finish in)
     */
    ForgettingHook(ComputationGraphConfiguration net, int every, double forgetLr, LongAccumulator steps,
                   ExactSum losses) {
        if (every < 1) {
            throw new IllegalArgumentException("a forgetting step every " + every + " steps");
        }
        ComputationGraphConfiguration counted = net.clone();
        counted.setIterationCount(0);
        counted.setEpochCount(0);
        this.key = counted.toJson() + "\nforget_lr=" + forgetLr;
        this.every = every;
        this.forgetLr = forgetLr;
        this.steps = steps;
        this.losses = losses;
    }

    /** True when the step a network is about to take starts with a forgetting step. */
    boolean forgetsBefore(ComputationGraph net) {
        return net.getConfiguration().getIterationCount() % every == 0;
    }

    private void forget(INDArray features, Model model) {
        if (model instanceof ComputationGraph net && forgetsBefore(net)) {
            losses.add(step(net).apply(net, features));
            steps.add(1);
        }
    }

    private ForgettingStep step(ComputationGraph net) {
        Cached cached = STEPS.get();
        if (cached == null || !cached.key().equals(key)) {
            cached = new Cached(key, ForgettingStep.of(net.getConfiguration(), forgetLr));
            STEPS.set(cached);
        }
        return cached.step();
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        forget(minibatch.getFeatures(), model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        forget(minibatch.getFeatures(0), model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
    }
}
