package io.readout.common.nets;

import io.readout.common.Seeds;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * A network's initial parameters, drawn from the config's seed with Java's {@link Random} (whose
 * algorithm the JDK specifies) instead of ND4J's native generator. In libnd4j 1.0.0-M2.1,
 * {@code Nd4j.getRandom().setSeed(s)} followed by {@code Nd4j.randn(...)} returns different values on
 * every call, in one process and across processes, so {@code ComputationGraph.init()} gives a new network
 * each time whatever the seed: the first reason two runs of the same command trained different models.
 *
 * <p>The distributions are DL4J's own for the layer's weight init: {@code RELU} (He) draws
 * N(0, 2 / fanIn), {@code XAVIER} N(0, 2 / (fanIn + fanOut)), with DL4J's fan-in and fan-out (a
 * convolution's {@code nIn·kH·kW} and {@code nOut·kH·kW / (sH·sW)}, a dense layer's {@code nIn} and
 * {@code nOut}); biases take the layer's bias init (0 by default). Every parameter array draws from its own
 * stream, derived from (seed, vertex name, parameter key), so adding a head (DEDIER's readout, SIFER's aux
 * head) leaves the rest of the network's initial values as they were.
 */
public final class InitialParameters {
    private InitialParameters() {
    }

    /** Replaces every parameter of {@code net} (already {@code init()}ed) with values drawn from {@code seed}. */
    public static ComputationGraph draw(ComputationGraph net, long seed) {
        for (Layer layer : net.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0) {
                continue;
            }
            if (!(layer.conf().getLayer() instanceof BaseLayer conf)) {
                throw new IllegalStateException("layer " + name + " (" + layer.conf().getLayer().getClass().getSimpleName()
                        + ") has parameters but no weight init that InitialParameters knows");
            }
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                INDArray view = p.getValue();
                Random random = Seeds.random(seed, "init/" + name + "/" + p.getKey());
                double[] values = new double[Math.toIntExact(view.length())];
                if (isBias(p.getKey())) {
                    Arrays.fill(values, conf.getBiasInit());
                } else {
                    double std = standardDeviation(conf, name);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = random.nextGaussian() * std;
                    }
                }
                view.assign(Nd4j.createFromArray(values).castTo(view.dataType()).reshape(view.ordering(), view.shape()));
            }
        }
        return net;
    }

    private static boolean isBias(String key) {
        return key.equals("b");
    }

    /** The standard deviation DL4J's weight init of {@code conf} draws its weights with. */
    static double standardDeviation(BaseLayer conf, String name) {
        IWeightInit init = conf.getWeightInitFn();
        if (init instanceof WeightInitRelu) {
            return Math.sqrt(2.0 / fans(conf, name)[0]);
        }
        if (init instanceof WeightInitXavier) {
            double[] fans = fans(conf, name);
            return Math.sqrt(2.0 / (fans[0] + fans[1]));
        }
        if (init.equals(new WeightInitDistribution(EmbeddingBag.INITIAL_DISTRIBUTION))) {
            return EmbeddingBag.INITIAL_DISTRIBUTION.getStd();
        }
        throw new IllegalStateException("layer " + name + ": weight init " + init + " is not drawn by InitialParameters"
                + " (RELU, XAVIER and the embedding bag's N(0, 1) are)");
    }

    /** DL4J's fan-in and fan-out of a layer's weights. */
    static double[] fans(BaseLayer conf, String name) {
        if (conf instanceof ConvolutionLayer c) {
            double k = (double) c.getKernelSize()[0] * c.getKernelSize()[1];
            return new double[] {c.getNIn() * k, c.getNOut() * k / ((double) c.getStride()[0] * c.getStride()[1])};
        }
        if (conf instanceof FeedForwardLayer f) {
            return new double[] {f.getNIn(), f.getNOut()};
        }
        throw new IllegalStateException("layer " + name + " (" + conf.getClass().getSimpleName()
                + "): no fan-in/fan-out known to InitialParameters");
    }
}
