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
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
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
 *
 * <p>A training pass of a 2×2, stride-2 pooling without padding runs in Java instead ({@link MaxPooling2x2}, the
 * same bits as libnd4j's kernels, without their mispredicted branches): the forward pass keeps each window's first
 * maximum, and the backward pass routes the epsilon by it rather than searching the window again.
 */
final class LibNd4jMaxPoolingLayer extends SubsamplingLayer {
    // One op context per direction, each always given the same number of arrays, so none keeps an array of a
    // workspace that has since closed (ND4J checks every array a context holds).
    private OpContext forward;
    private OpContext backward;
    /** Whether this layer applies the ReLU of the convolution in front of it ({@link #takeReluFrom}). */
    private boolean relu;
    /** With {@link #relu}: the output of the last forward pass, whose positive entries are the ReLU's mask. */
    private final KeptOutput kept = new KeptOutput();
    /** Each window's first maximum from the last training forward pass in Java ({@link MaxPooling2x2}). */
    private byte[] firstMaxima;
    /** The input {@link #firstMaxima} belong to; null when they belong to none. */
    private INDArray maximaOf;

    LibNd4jMaxPoolingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** Whether a pooling layer of this configuration runs here rather than in the inherited code. */
    static boolean handles(org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf) {
        return conf.getPoolingType() == PoolingType.MAX && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && conf.getConvolutionMode() != ConvolutionMode.Causal;
    }

    /**
     * Makes this layer apply the ReLU that {@code conv}, its only input, leaves to it: max pooling and ReLU commute
     * ({@code relu(max(x)) = max(relu(x))}), and after pooling the ReLU runs on a quarter of the values, forward and
     * backward. The gradients are the same to the bit: where a window's maximum is positive, its first maximum is
     * the same entry before and after the ReLU and passes the gradient through; where it is not, both orders give
     * the window a zero gradient.
     */
    void takeReluFrom(OneDnnConvolutionLayer conv) {
        conv.leaveReluToPooling();
        relu = true;
    }

    boolean appliesRelu() {
        return relu;
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
        maximaOf = null;
        if (training && inJava(in, out)) {
            firstMaxima = MaxPooling2x2.forward(in, out, firstMaxima);
            maximaOf = input;
        } else {
            forward = run(forward, new MaxPooling2D(in, out, config()), out, in);
        }
        if (relu) {
            Nd4j.getExecutioner().exec(new RectifiedLinear(out, out));
            kept.keep(input, out);
        }
        return out;
    }

    /** Whether {@link MaxPooling2x2} pools {@code in} to {@code pooled} (the output or the epsilon there). */
    private boolean inJava(INDArray in, INDArray pooled) {
        var c = layerConf();
        return c.getConvolutionMode() != ConvolutionMode.Same && MaxPooling2x2.applies(in, pooled, c.getKernelSize(),
                c.getStride(), c.getPadding(), c.getDilation());
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!handles(layerConf()) || input == null || input.rank() != 4) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray in = input.castTo(dataType);
        INDArray eps = epsilon.castTo(dataType);
        boolean inJava = inJava(in, eps);
        byte[] maxima = maximaOf == input ? firstMaxima : null; // the forward pass's, when it saw this input
        maximaOf = null;
        if (relu) {
            INDArray output = kept.take(input);
            if (output == null) { // no forward pass on this input since the last backward pass: pool again
                output = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, in.dataType(), eps.shape(), 'c');
                forward = run(forward, new MaxPooling2D(in, output, config()), output, in);
            }
            INDArray masked = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, in.dataType(), eps.shape(), 'c');
            Nd4j.getExecutioner().exec(new RectifiedLinearDerivative(output, eps, masked, 0.0));
            eps = masked;
            // libnd4j's maxpool2d_bp searches each window's maximum with branches: on z, whose signs are random, they
            // mispredict, and the pass took 1.4x as long as on relu(z) (docs/bench/issue17-profile.md). z has no
            // other reader (this layer is the convolution's only consumer), so it takes its ReLU here, in place: the
            // same first maximum where the window's maximum is positive, and a zero epsilon where it is not.
            // MaxPooling2x2 has no branch on the data and needs no such help.
            if (!inJava) {
                Nd4j.getExecutioner().exec(new RectifiedLinear(in, in));
            }
        }
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, in.dataType(), in.shape(), 'c');
        if (inJava && maxima != null) {
            MaxPooling2x2.backward(maxima, eps, gradAtInput);
        } else if (inJava) {
            MaxPooling2x2.backward(in, eps, gradAtInput);
        } else {
            backward = run(backward, new Pooling2DDerivative(in, eps, gradAtInput, config()), gradAtInput, in, eps);
        }
        return new Pair<>(new DefaultGradient(), gradAtInput);
    }

    @Override
    public void clear() {
        kept.forget();
        maximaOf = null;
        super.clear();
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
