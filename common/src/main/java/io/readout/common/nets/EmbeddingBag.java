package io.readout.common.nets;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;

/**
 * A mean-of-embeddings ("embedding bag") layer for token ids, the first layer of the tokens network
 * ({@link Networks}, {@link NetworkConfig#tokens}): input {@code [n, length]} ids as floats, id 0 padding;
 * output {@code [n, nOut]}, for each example the mean of the rows {@code W[id]} over its non-padding
 * positions (zeros when every position is padding). One parameter, {@code W} {@code [nIn, nOut]} ({@code nIn}
 * = the number of ids, as for DL4J's {@code EmbeddingLayer}), no bias, no activation. The layer computes the
 * gradient of {@code W} and no input gradient (ids have none).
 *
 * <p>Why not DL4J's own layers: {@code EmbeddingLayer} takes one id per example, and
 * {@code EmbeddingSequenceLayer} gives a sequence whose padding can only be left out through a mask, which
 * M2.1 neither infers from the ids nor carries through dl4j-spark's training.
 *
 * <p>Initial values N(0, 1), as PyTorch's {@code nn.EmbeddingBag} (drawn by {@link InitialParameters}); a mean
 * of k rows then has a standard deviation of about 1/√k per unit. This is the configuration class: it
 * serialises to the graph's JSON under this class name, so saved models name it; keep its name and package.
 * {@link EmbeddingBagLayer} is what runs in a network.
 */
public class EmbeddingBag extends FeedForwardLayer {
    /** The id that pads a short example: it has an embedding row but never counts. */
    public static final int PADDING = 0;

    private static final long serialVersionUID = 1L;
    /** The initial values' distribution, as PyTorch's {@code nn.EmbeddingBag}: N(0, 1) (compared by value, never changed). */
    static final NormalDistribution INITIAL_DISTRIBUTION = new NormalDistribution(0, 1);

    /** The number of ids per example the layer was built for. */
    private int length;

    /** For JSON deserialisation. */
    public EmbeddingBag() {
    }

    private EmbeddingBag(Builder builder) {
        super(builder);
        this.length = builder.length;
        initializeConstraints(builder);
    }

    /** The number of ids per example the layer was built for (L). */
    public int getLength() {
        return length;
    }

    public void setLength(int length) {
        this.length = length;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> trainingListeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        EmbeddingBagLayer layer = new EmbeddingBagLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        layer.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmbeddingBagParams.INSTANCE;
    }

    /** Keeps {@code nIn} (the number of ids, not the input width); the input must be {@code length} values wide. */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeFeedForward ff) || ff.getSize() != length) {
            throw new IllegalStateException("embedding bag '" + getLayerName() + "' takes " + length
                    + " token ids per example, got input " + inputType);
        }
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterStateSize = getIUpdater().stateSize(numParams);
        // No cache; working memory: the output, as for DL4J's EmbeddingLayer.
        return new LayerMemoryReport.Builder(layerName, EmbeddingBag.class, inputType, outputType)
                .standardMemory(numParams, updaterStateSize)
                .workingMemory(0, 0, 0, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EmbeddingBag e && super.equals(o) && length == e.length;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof EmbeddingBag;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + length;
    }

    @Override
    public String toString() {
        return "EmbeddingBag(length=" + length + ", " + super.toString() + ")";
    }

    /** nIn: the number of ids; nOut: the embedding width; {@link #length}: the ids per example. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int length;

        public Builder() {
            activation(Activation.IDENTITY);
            weightInit(new NormalDistribution(0, 1));
        }

        /** The number of ids per example. */
        public Builder length(int length) {
            this.length = length;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public EmbeddingBag build() {
            if (nIn <= 0 || nOut <= 0 || length <= 0) {
                throw new IllegalArgumentException("an embedding bag needs ids (nIn " + nIn + "), a width (nOut " + nOut
                        + ") and a length (" + length + "), all positive");
            }
            return new EmbeddingBag(this);
        }
    }
}
