package io.readout.common.nets;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.RmsProp;

import java.util.Map;

/**
 * A network configuration whose adaptive updaters (Adam and its kin, RMSProp, AdaGrad: those that divide the
 * step by a running estimate of the gradient's second moment) take {@code factor} times their learning rate;
 * SGD and momentum updaters are left as they are.
 *
 * <p>Why: W parameter-averaging workers that share a minibatch of B examples fit B/W each. Averaging their
 * displacements averages away the extra gradient noise of the smaller batches, as one step on B would, but each
 * worker's second-moment estimate still sees that noise, W times the variance of a B batch: where noise
 * dominates the gradient, Adam's step m/√v is then up to √W smaller than a single process's. Scaling the
 * adaptive learning rate by √(B / (B/W)) gives the workers the single process's step: the square-root scaling
 * rule of adaptive optimizers (Malladi et al., "On the SDEs and Scaling Rules for Adaptive Gradient
 * Algorithms", NeurIPS 2022), applied to the batch each worker sees. SGD needs no such factor: the mean of W
 * SGD steps on B/W examples is the SGD step on B.
 */
public final class AdaptiveRates {
    private AdaptiveRates() {
    }

    /** True for updaters whose step is normalised by a second-moment estimate. */
    public static boolean isAdaptive(IUpdater u) {
        return u instanceof Adam || u instanceof AdaMax || u instanceof Nadam || u instanceof AMSGrad
                || u instanceof RmsProp || u instanceof AdaGrad;
    }

    /** A copy of {@code conf} with every adaptive updater's learning rate times {@code factor}; {@code conf} itself unchanged. */
    public static ComputationGraphConfiguration scaled(ComputationGraphConfiguration conf, double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("learning-rate factor must be a positive number: " + factor);
        }
        ComputationGraphConfiguration copy = conf.clone();
        // clone() drops the counts; the copy is what workers start from.
        copy.setIterationCount(conf.getIterationCount());
        copy.setEpochCount(conf.getEpochCount());
        if (factor == 1.0) {
            return copy;
        }
        for (Map.Entry<String, GraphVertex> v : copy.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(scaled(layer.getIUpdater(), factor, v.getKey()));
                if (layer.getBiasUpdater() != null) {
                    layer.setBiasUpdater(scaled(layer.getBiasUpdater(), factor, v.getKey()));
                }
            }
        }
        return copy;
    }

    private static IUpdater scaled(IUpdater u, double factor, String layer) {
        if (u == null || !isAdaptive(u)) {
            return u;
        }
        double lr = u.getLearningRate(0, 0);
        if (lr != u.getLearningRate(1_000_000, 1_000)) {
            throw new IllegalStateException("layer " + layer + ": its learning rate follows a schedule, which"
                    + " AdaptiveRates does not scale");
        }
        IUpdater copy = u.clone();
        copy.setLrAndSchedule(lr * factor, null);
        return copy;
    }
}
