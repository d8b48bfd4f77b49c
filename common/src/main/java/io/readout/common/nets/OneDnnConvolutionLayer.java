package io.readout.common.nets;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's convolution layer (NCHW, ReLU or identity, on its oneDNN helper) that keeps its forward output for the
 * backward pass, and may leave its ReLU to the max pooling after it; a runtime stand-in for {@link ConvolutionLayer}
 * that {@link NativeKernels#engage} puts in place, the configuration (and so a saved model) unchanged.
 *
 * <p>DL4J M2.1's {@code ConvolutionLayer.backpropGradient} runs the whole forward convolution again (its
 * {@code preOutput4d}) only to find where the ReLU was active: on oneDNN that is a second forward primitive per step
 * with its NCHW↔blocked reorders and buffers (docs/bench/issue17-profile.md). The ReLU's output carries the same
 * mask ({@code relu(z) > 0} exactly where {@code z > 0}), so this layer keeps the array it returned from a training
 * forward pass and builds the backward pass's delta from it with the same {@code relu_bp} op DL4J uses, then calls
 * the same helper: the same bits ({@code NativeKernelsTest}). The kept array is used only by the backward pass that
 * follows a training forward pass on the same input array, and dropped after it; anything else (inference, a cache
 * mode, another activation, dropout or weight noise, NHWC, no helper) goes to the inherited code.
 *
 * <p>When its only consumer is a {@link LibNd4jMaxPoolingLayer}, {@link NativeKernels#engage} moves the ReLU there
 * ({@link LibNd4jMaxPoolingLayer#takeReluFrom}): this layer then outputs the pre-activation z, and its backward pass
 * receives a delta already masked. Only the pooling layer ever sees z (the network's feed-forward map shows it as
 * this layer's activations); the pooled output, the network's outputs and every gradient are unchanged.
 *
 * <p>When its input is a network input, {@link NativeKernels#engage} tells it that nobody reads its input gradient
 * ({@link #dropInputGradient}): its backward pass then computes the weight and bias gradients alone
 * ({@link ConvolutionWeightGradient}) and returns none for the input. On an AVX-512 CPU oneDNN computed that unused
 * gradient with a Winograd convolution on the 1-channel input padded to 16 channels, a third of the student's step
 * (docs/bench/issue17-profile.md). The weight gradient then adds its products in another order than oneDNN's: equal
 * to DL4J's layer within float rounding, not to the bit ({@code NativeKernelsTest}).
 */
final class OneDnnConvolutionLayer extends ConvolutionLayer {
    private static final IActivation RELU = new ActivationReLU();

    /** The activation of the last training forward pass, whose positive entries are the ReLU's mask. */
    private final KeptOutput kept = new KeptOutput();
    /** Whether the max-pooling layer after this one applies its ReLU ({@link LibNd4jMaxPoolingLayer#takeReluFrom}). */
    private boolean reluToPooling;
    /** Whether nobody reads this layer's input gradient (its input is a network input), see {@link #dropInputGradient}. */
    private boolean inputGradientUnused;

    OneDnnConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether a convolution layer of this configuration runs here rather than in the inherited code. */
    static boolean handles(org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf) {
        IActivation afn = conf.getActivationFn();
        return conf.getCnn2dDataFormat() == CNN2DFormat.NCHW && conf.getConvolutionMode() != ConvolutionMode.Causal
                && (RELU.equals(afn) || afn instanceof ActivationIdentity)
                && conf.getIDropout() == null && conf.getWeightNoise() == null && conf.hasBias();
    }

    /**
     * A stand-in for {@code old} on the same configuration, parameter and gradient views (the network's flattened
     * arrays), index, listeners, {@code cacheMode} and counters; the helper is attached by {@link NativeKernels#engage}.
     */
    static OneDnnConvolutionLayer replacing(ConvolutionLayer old, DataType dataType, CacheMode cacheMode) {
        OneDnnConvolutionLayer conv = new OneDnnConvolutionLayer(old.conf(), dataType);
        conv.setParamTable(old.paramTable());
        conv.setParamsViewArray(old.params());
        if (old.getGradientsViewArray() != null) {
            conv.setBackpropGradientsViewArray(old.getGradientsViewArray());
        }
        conv.setIndex(old.getIndex());
        conv.setListeners(old.getListeners());
        conv.setCacheMode(cacheMode);
        conv.setIterationCount(old.getIterationCount());
        conv.setEpochCount(old.getEpochCount());
        return conv;
    }

    /** See {@link LibNd4jMaxPoolingLayer#takeReluFrom}: from now on this layer outputs z, not relu(z). */
    void leaveReluToPooling() {
        if (!RELU.equals(layerConf().getActivationFn())) {
            throw new IllegalStateException(layerId() + " has no ReLU to leave to the pooling layer");
        }
        reluToPooling = true;
    }

    /**
     * From now on the backward pass computes only the weight and bias gradients ({@link ConvolutionWeightGradient})
     * and returns no input gradient, as DL4J's embedding layers do: for a layer whose input is a network input, which
     * nothing trains on. {@code ComputationGraph.calculateGradients} then has no gradient for that input.
     */
    void dropInputGradient() {
        inputGradientUnused = true;
    }

    /** Undoes {@link #dropInputGradient}: the helper computes the input gradient again (for tests and probes). */
    void restoreInputGradient() {
        inputGradientUnused = false;
    }

    /** Whether the backward pass leaves out the input gradient ({@link #dropInputGradient}). */
    boolean dropsInputGradient() {
        return inputGradientUnused;
    }

    /** Whether this layer has a ReLU it has not yet left to a pooling layer. */
    boolean canLeaveReluToPooling() {
        return !reluToPooling && RELU.equals(layerConf().getActivationFn());
    }

    private boolean runsHere() {
        return handles(layerConf()) && helper != null && (cacheMode == null || cacheMode == CacheMode.NONE);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        kept.forget();
        if (reluToPooling && runsHere()) {
            assertInputSet(false);
            return preOutput(training, false, workspaceMgr).getFirst();
        }
        INDArray out = super.activate(training, workspaceMgr);
        if (training && runsHere() && out.rank() == 4) {
            kept.keep(input, out);
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        boolean deltaGiven = reluToPooling && runsHere(); // the pooling layer has applied the ReLU's mask
        INDArray output = kept.take(input);
        if (!deltaGiven && (output == null || !runsHere())) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, true, workspaceMgr);
        INDArray bias = getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, true, workspaceMgr);
        INDArray in = input.castTo(dataType);
        if (epsilon.dataType() != dataType) {
            epsilon = epsilon.castTo(dataType);
        }
        var c = layerConf();
        int[] kernel = c.getKernelSize();
        int[] strides = c.getStride();
        int[] dilation = c.getDilation();
        int[] pad = c.getPadding();
        if (convolutionMode == ConvolutionMode.Same) {
            int[] outSize = ConvolutionUtils.getOutputSize(in, kernel, strides, null, convolutionMode, dilation,
                    CNN2DFormat.NCHW);
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize,
                    new int[] {(int) in.size(2), (int) in.size(3)}, kernel, strides, dilation);
        }
        INDArray delta = epsilon;
        if (!deltaGiven && !(c.getActivationFn() instanceof ActivationIdentity)) {
            delta = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, epsilon.shape(), 'c');
            Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(output, epsilon, delta, 0.0));
        }
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
        if (inputGradientUnused && ConvolutionWeightGradient.compute(in, delta, kernel, strides, pad, dilation,
                weightGrad, biasGrad, workspaceMgr)) {
            Gradient gradient = new DefaultGradient();
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
            gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
            weightNoiseParams.clear();
            return new Pair<>(gradient, null);
        }
        Pair<Gradient, INDArray> ret = helper.backpropGradient(in, weights, bias, delta, kernel, strides, pad,
                biasGrad, weightGrad, c.getActivationFn(), c.getCudnnAlgoMode(),
                c.getCudnnBwdFilterAlgo(), c.getCudnnBwdDataAlgo(), convolutionMode, dilation, CNN2DFormat.NCHW,
                workspaceMgr);
        weightNoiseParams.clear();
        return ret;
    }

    @Override
    public void clear() {
        kept.forget();
        super.clear();
    }
}
