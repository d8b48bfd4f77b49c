package io.readout.common.nets;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of a network's parameters per layer, for tests that prove which layers a training step moved
 * and which it left bit for bit as they were. Shared with the jobs module's tests through this module's
 * test-jar.
 */
public final class LayerParams {
    private LayerParams() {
    }

    /** The values of {@code a}, in row-major order, for bit-exact comparisons. */
    public static float[] values(INDArray a) {
        return a.dup('c').reshape(a.length()).toFloatVector();
    }

    /** The name of a layer in its graph. */
    public static String name(Layer layer) {
        return layer.conf().getLayer().getLayerName();
    }

    /** Copies of the parameters of every layer of {@code net} that has parameters, by name, in the graph's order. */
    public static Map<String, float[]> snapshot(ComputationGraph net) {
        Map<String, float[]> params = new LinkedHashMap<>();
        for (Layer layer : net.getLayers()) {
            if (layer.numParams() > 0) {
                params.put(name(layer), values(layer.params()));
            }
        }
        return params;
    }

    /** As {@link #snapshot(ComputationGraph)}, for the layers that are (or are not) part of the readout head. */
    public static Map<String, float[]> snapshot(ComputationGraph net, boolean head) {
        Map<String, float[]> params = snapshot(net);
        params.keySet().removeIf(layer -> Networks.inReadoutHead(layer) != head);
        return params;
    }
}
