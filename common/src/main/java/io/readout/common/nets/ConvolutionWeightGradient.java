package io.readout.common.nets;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The weight and bias gradients of an NCHW convolution without its input gradient: im2col, one batched matrix
 * product per example, a sum over the minibatch. For a convolution on the network's input, whose input gradient
 * nobody reads.
 *
 * <p>libnd4j 1.0.0-M2.1 has no weight-gradient-only op: its oneDNN {@code conv2d_bp} always runs
 * {@code backward_data} too, and on an AVX-512 CPU oneDNN picks Winograd for it, which pads a 1-channel input to 16
 * channels; that one unused primitive was a third of the student's training step there
 * (docs/bench/issue17-profile.md). This path does {@code 2·N·O·C·kH·kW·oH·oW} multiply-adds and nothing else.
 */
final class ConvolutionWeightGradient {
    private ConvolutionWeightGradient() {
    }

    /**
     * Writes dL/dW (shape [O, C, kH, kW], c order) and dL/db (shape [1, O] or [O]) for {@code input} [N, C, H, W]
     * and {@code delta} = dL/dz [N, O, oH, oW], zero padding {@code pad} on the top and left, or returns false
     * (nothing written) when the convolution's output shape is not {@code delta}'s.
     */
    static boolean compute(INDArray input, INDArray delta, int[] kernel, int[] stride, int[] pad, int[] dilation,
            INDArray weightGrad, INDArray biasGrad, LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        long c = input.size(1);
        long o = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);
        if (outputSize(input.size(2), kernel[0], stride[0], pad[0], dilation[0]) != oh
                || outputSize(input.size(3), kernel[1], stride[1], pad[1], dilation[1]) != ow
                || weightGrad.length() != o * c * kernel[0] * kernel[1] || delta.size(0) != n) {
            return false;
        }
        Conv2DConfig config = Conv2DConfig.builder().kH(kernel[0]).kW(kernel[1]).sH(stride[0]).sW(stride[1])
                .pH(pad[0]).pW(pad[1]).dH(dilation[0]).dW(dilation[1]).paddingMode(PaddingMode.VALID)
                .dataFormat("NCHW").build();
        INDArray columns = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                new long[] {n, c, kernel[0], kernel[1], oh, ow}, 'c');
        Nd4j.getExecutioner().exec(Im2col.builder().inputArrays(new INDArray[] {input})
                .outputs(new INDArray[] {columns}).conv2DConfig(config).build());
        long taps = c * kernel[0] * kernel[1];
        INDArray perExample = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, input.dataType(),
                new long[] {n, o, taps}, 'c');
        Nd4j.matmul(delta.reshape('c', n, o, oh * ow), columns.reshape('c', n, taps, oh * ow), perExample, false, true, false);
        perExample.sum(weightGrad.reshape('c', o, taps), 0);
        delta.sum(biasGrad.reshape(o), 0, 2, 3);
        return true;
    }

    private static long outputSize(long in, int kernel, int stride, int pad, int dilation) {
        long effective = kernel + (long) (kernel - 1) * (dilation - 1);
        return (in + 2L * pad - effective) / stride + 1;
    }
}
