package io.readout.common.nets;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdaptiveRatesTest {
    private static double lr(ComputationGraphConfiguration conf, String layer) {
        return ((BaseLayer) ((LayerVertex) conf.getVertices().get(layer)).getLayerConf().getLayer()).getIUpdater()
                .getLearningRate(0, 0);
    }

    @Test
    void adaptiveUpdatersAreScaledMomentumOnesNot() {
        // Student with Adam 1e-3, and a SIFER-style aux head on Nesterov momentum 1e-2.
        ComputationGraphConfiguration conf = Networks.configuration(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16,
                2, "adam", 1e-3, 0, 0).withReadout(ReadoutHead.linear(Networks.BLOCK1, "nesterovs", 1e-2)));
        conf.setIterationCount(40);
        ComputationGraphConfiguration scaled = AdaptiveRates.scaled(conf, 2.0);
        for (String layer : new String[] {Networks.CONV1, Networks.CONV2, Networks.DENSE, Networks.OUTPUT}) {
            assertEquals(2e-3, lr(scaled, layer), 1e-15, layer);
            assertEquals(1e-3, lr(conf, layer), 1e-15, layer + " of the original");
        }
        assertEquals(1e-2, lr(scaled, Networks.READOUT), 1e-15, "momentum SGD keeps its rate");
        assertEquals(40, scaled.getIterationCount(), "the copy keeps the iteration count");
    }

    @Test
    void sgdIsLeftAsItIsAndTheFactorMustBePositive() {
        ComputationGraphConfiguration conf = Networks.configuration(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16,
                2, "sgd", 0.1, 0, 0));
        assertEquals(0.1, lr(AdaptiveRates.scaled(conf, 3.0), Networks.CONV1), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> AdaptiveRates.scaled(conf, 0));
    }
}
