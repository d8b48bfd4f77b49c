package io.readout.common.nets;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arithmetic one training example costs a network, counted from its configuration ({@link Networks}), so a
 * measured examples/s becomes GFLOP/s.
 *
 * <p>The convention (the usual one for CNN training): a multiply-add is 2 FLOPs; per example, a convolution's
 * forward pass costs 2·H·W·C<sub>out</sub>·C<sub>in</sub>·k<sub>h</sub>·k<sub>w</sub> (H×W its output), a
 * dense layer's 2·in·out. Training costs each layer its forward pass plus the same again for the gradient of
 * its weights and again for the gradient of its input, except the layers fed by the network's input, whose
 * input gradient nobody needs (PyTorch skips it; DL4J's oneDNN convolution computes it anyway, which is work
 * this count does not credit). So training ≈ 3 × forward − the first layer's forward. An {@link EmbeddingBag}
 * of width E over L ids is counted as L·E additions forward (every position a row, padding included: an upper
 * bound) and the same again for its weight gradient (the scatter of ε/c into the used rows); it has no input
 * gradient, and its divisions by the count (E per example each way) are left out like the biases. Not counted:
 * biases, activations, pooling, the loss and the updater (a few operations per activation or per parameter: about 1 %
 * of the teacher's count and 3–4 % of the student's at batch 64).
 *
 * @param layers the counted layers (convolutions, dense layers, embedding bags), in the configuration's order
 */
public record TrainingFlops(List<LayerFlops> layers) {

    /**
     * One layer's count.
     *
     * @param kind          {@code convolution}, {@code dense} or {@code embedding_bag}
     * @param forward       FLOPs of its forward pass for one example
     * @param inputGradient whether training computes the gradient of its input (false when fed by the network input)
     */
    public record LayerFlops(String layer, String kind, long forward, boolean inputGradient) {
        /** Forward, weight gradient and, when needed, input gradient. */
        public long training() {
            return forward * (inputGradient ? 3 : 2);
        }
    }

    public TrainingFlops {
        layers = List.copyOf(layers);
    }

    /**
     * The count for a network configuration: its convolutions, dense layers and embedding bag, with their shapes for
     * its input.
     */
    public static TrainingFlops of(NetworkConfig config) {
        ComputationGraphConfiguration graph = Networks.configuration(config);
        InputType input = config.isImage()
                ? InputType.convolutional(config.height(), config.width(), config.channels())
                : InputType.feedForward(config.numFeatures());
        Map<String, InputType> outputs = graph.getLayerActivationTypes(input);
        List<String> networkInputs = graph.getNetworkInputs();
        List<LayerFlops> layers = new ArrayList<>();
        for (Map.Entry<String, GraphVertex> v : graph.getVertices().entrySet()) {
            if (!(v.getValue() instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            boolean fedByInput = networkInputs.containsAll(graph.getVertexInputs().get(v.getKey()));
            if (layer instanceof ConvolutionLayer conv) {
                InputType.InputTypeConvolutional out = (InputType.InputTypeConvolutional) outputs.get(v.getKey());
                int[] k = conv.getKernelSize();
                long flops = 2L * out.getHeight() * out.getWidth() * conv.getNOut() * conv.getNIn() * k[0] * k[1];
                layers.add(new LayerFlops(v.getKey(), "convolution", flops, !fedByInput));
            } else if (layer instanceof EmbeddingBag bag) {
                layers.add(new LayerFlops(v.getKey(), "embedding_bag", (long) bag.getLength() * bag.getNOut(), false));
            } else if (layer instanceof FeedForwardLayer dense) {
                layers.add(new LayerFlops(v.getKey(), "dense", 2L * dense.getNIn() * dense.getNOut(), !fedByInput));
            }
        }
        return new TrainingFlops(layers);
    }

    /** FLOPs of one example's forward pass. */
    public long forward() {
        return layers.stream().mapToLong(LayerFlops::forward).sum();
    }

    /** FLOPs of one example's training step: forward, weight gradients and the input gradients needed. */
    public long training() {
        return layers.stream().mapToLong(LayerFlops::training).sum();
    }

    /** GFLOP/s of training at {@code examplesPerSecond}. */
    public double gflops(double examplesPerSecond) {
        return examplesPerSecond * training() / 1e9;
    }

    /** The {@code flops} field of a results file. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("forward_per_example", forward());
        m.put("training_per_example", training());
        List<Map<String, Object>> list = new ArrayList<>();
        for (LayerFlops l : layers) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("layer", l.layer());
            layer.put("kind", l.kind());
            layer.put("forward", l.forward());
            layer.put("input_gradient", l.inputGradient());
            layer.put("training", l.training());
            list.add(layer);
        }
        m.put("layers", list);
        return m;
    }
}
