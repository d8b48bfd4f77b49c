package io.readout.common.nets;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's max-pooling layer (NCHW), run on libnd4j's own {@code maxpool2d} / {@code maxpool2d_bp} kernels with
 * oneDNN kept out; a runtime stand-in for {@link SubsamplingLayer} that {@link NativeKernels#engage} puts in
 * place, the configuration (and so a saved model) unchanged.
 *
 * <p>On a oneDNN build, libnd4j sends every {@code maxpool2d} op to oneDNN v2.3, whatever DL4J's helper
 * choice (DL4J's forward pass never consults its pooling helper). oneDNN pools plain NCHW arrays with its
 * reference {@code pooling_v2 simple_nchw} implementation, and on an AVX2 CPU that is most of a training step:
 * 7–9 ms for one 64×8×56×28 forward pass, run three times per step (forward, the backward pass's own forward,
 * backward), about half of the student's step (docs/bench/issue17-profile.md). Here the ops run in an op context
 * whose platform helpers are disallowed, which libnd4j honours per call, so the convolutions keep oneDNN and no
 * global switch is flipped under another thread. Max pooling is exact, and the gradient routes each window's
 * epsilon to its maximum, so both kernels give the same bits ({@code NativeKernelsTest}). Other pooling types
 * and NHWC go to the inherited code.
 */
final class LibNd4jMaxPoolingLayer extends SubsamplingLayer {
    // One op context per direction, each always given the same number of arrays, so none keeps an array of a
    // workspace that has since closed (ND4J checks every array a context holds).
    private OpContext forward;
    private OpContext backward;

    LibNd4jMaxPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether a pooling layer of this configuration runs here rather than in the inherited code. */
    static boolean handles(org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf) {
        return conf.getPoolingType() == PoolingType.MAX && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && conf.getConvolutionMode() != ConvolutionMode.Causal;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(layerConf()) || input == null || input.rank() != 4) {
            return super.activate(training, workspaceMgr); // and its errors for a missing or misshapen input
        }
        INDArray in = input.castTo(dataType);
        var c = layerConf();
        int[] outSize = ConvolutionUtils.getOutputSize(in, c.getKernelSize(), c.getStride(),
                c.getConvolutionMode() == ConvolutionMode.Same ? null : c.getPadding(), c.getConvolutionMode(),
                c.getDilation(), CNN2DFormat.NCHW);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, in.dataType(),
                new long[] {in.size(0), in.size(1), outSize[0], outSize[1]}, 'c');
        forward = run(forward, new MaxPooling2D(in, out, config()), out, in);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(layerConf()) || input == null || input.rank() != 4) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray in = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape(), 'c');
        backward = run(backward, new Pooling2DDerivative(in, eps, gradAtInput, config()), gradAtInput, in, eps);
        return new Pair<>(new DefaultGradient(), gradAtInput);
    }

    /** Runs {@code op} in {@code context} (a new one if null) with platform helpers disallowed; returns the context. */
    private static OpContext run(OpContext context, DynamicCustomOp op, INDArray output, INDArray... inputs) {
        if (context == null) {
            context = Nd4j.getExecutioner().buildContext();
            context.allowHelpers(false);
        }
        context.setInputArrays(inputs);
        context.setOutputArrays(output);
        context.setIArguments(op.iArgs());
        Nd4j.getExecutioner().exec(op, context);
        return context;
    }

    private Pooling2DConfig config() {
        var c = layerConf();
        boolean same = c.getConvolutionMode() == ConvolutionMode.Same;
        return Pooling2DConfig.builder()
                .kH(c.getKernelSize()[0]).kW(c.getKernelSize()[1]).sH(c.getStride()[0]).sW(c.getStride()[1])
                .pH(same ? 0 : c.getPadding()[0]).pW(same ? 0 : c.getPadding()[1])
                .dH(c.getDilation()[0]).dW(c.getDilation()[1])
                .paddingMode(same ? PaddingMode.SAME : PaddingMode.VALID)
                .type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
    }
}
