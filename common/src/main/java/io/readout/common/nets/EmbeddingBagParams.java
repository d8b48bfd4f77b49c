package io.readout.common.nets;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of an {@link EmbeddingBag}: one weight matrix {@value #WEIGHT_KEY} {@code [nIn, nOut]}, a
 * row-major view of the layer's slice of the network's flat parameters (and of its gradients), so that the
 * embedding of id {@code t} is the {@code nOut} contiguous values from {@code t·nOut}, which
 * {@link EmbeddingBagLayer} reads and writes directly. It is a weight (weight decay applies), not a bias.
 */
final class EmbeddingBagParams implements ParamInitializer {
    static final String WEIGHT_KEY = "W";
    static final EmbeddingBagParams INSTANCE = new EmbeddingBagParams();

    private EmbeddingBagParams() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        EmbeddingBag bag = (EmbeddingBag) layer;
        return bag.getNIn() * bag.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        EmbeddingBag bag = (EmbeddingBag) conf.getLayer();
        INDArray w = matrix(bag, paramsView);
        if (initializeParams) {
            bag.getWeightInitFn().init(bag.getNIn(), bag.getNOut(), w.shape(), 'c', w);
        }
        conf.addVariable(WEIGHT_KEY);
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put(WEIGHT_KEY, w);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        gradients.put(WEIGHT_KEY, matrix((EmbeddingBag) conf.getLayer(), gradientView));
        return gradients;
    }

    /** The {@code [nIn, nOut]} row-major view of a flat slice. */
    private static INDArray matrix(EmbeddingBag bag, INDArray flat) {
        long expected = bag.getNIn() * bag.getNOut();
        if (flat.length() != expected) {
            throw new IllegalStateException("embedding bag '" + bag.getLayerName() + "': expected " + expected
                    + " parameters, got a view of " + flat.length());
        }
        // A contiguous slice, so the reshape is a view: writes reach the network's flat array.
        return flat.reshape('c', bag.getNIn(), bag.getNOut());
    }
}
