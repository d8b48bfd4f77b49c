package io.readout.common.nets;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Im2col;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The weight and bias gradients of an NCHW convolution without its input gradient. For a convolution on the
 * network's input, whose input gradient nobody reads.
 *
 * <p>Two ways, the same sums in another order. A float convolution of stride 1 takes {@link #direct}: multiply-adds
 * in Java, on the JDK's vector API ({@link VectorWeightGradient}) when the JVM has it, else lane by lane over the
 * output plane in a scalar loop, which takes few output channels only ({@link #DIRECT_MAX_OUTPUTS}). Any other takes
 * {@link #viaIm2col}: libnd4j's im2col, one batched matrix product per example, a sum over the minibatch. On the
 * student's first convolution libnd4j's im2col alone took 2.9 ms of a 22 ms training step on an Intel Xeon (docs/bench/issue17-profile.md, fifth
 * session). {@value #IM2COL_PROPERTY}{@code =true} keeps every convolution on im2col, for measurements.
 *
 * <p>libnd4j 1.0.0-M2.1 has no weight-gradient-only op: its oneDNN {@code conv2d_bp} always runs
 * {@code backward_data} too, and on an AVX-512 CPU oneDNN picks Winograd for it, which pads a 1-channel input to 16
 * channels; that one unused primitive was a third of the student's training step there
 * (docs/bench/issue17-profile.md). This path does {@code 2·N·O·C·kH·kW·oH·oW} multiply-adds and nothing else.
 */
final class ConvolutionWeightGradient {
    /** System property: {@code true} computes every weight gradient by im2col (the path before the direct one). */
    static final String IM2COL_PROPERTY = "readout.conv.weightGradient.im2col";
    /** System property: {@code false} keeps the direct path off the vector API ({@link VectorWeightGradient}). */
    static final String VECTOR_PROPERTY = "readout.conv.weightGradient.vector";
    /**
     * The most floats the direct path copies the input into (its taps, 64 MB), or the delta; larger convolutions take
     * im2col. The student's and the teacher's first convolution need 0.9 M taps at minibatch 64, and 0.8 M and 3.2 M
     * floats of delta.
     */
    private static final long MAX_SCRATCH = 1L << 24;
    /**
     * The most output channels the scalar direct path takes. Its work grows with them (one pass over the taps per
     * output channel, bound by the L2 cache), im2col's does not: side by side on the Intel Xeon of
     * docs/bench/issue17-profile.md (fifth session) the student's first convolution (8 outputs) trained 1.12× as
     * fast per step on the direct path, the teacher's (32) 0.95× (levers-java-kernels-intel.json). The vector path
     * ({@link #vectorized()}) takes any number: on 8 to 64 output channels it was 4–18× as fast as im2col per
     * call (WeightGradientProbe, docs/bench/issue17-profile.md, tenth session).
     */
    static final long DIRECT_MAX_OUTPUTS = 16;
    /** Each thread's scratch arrays, grown as needed and kept: a training thread calls this every step. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

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
        if (outputSize(input.size(2), kernel[0], stride[0], pad[0], dilation[0]) != delta.size(2)
                || outputSize(input.size(3), kernel[1], stride[1], pad[1], dilation[1]) != delta.size(3)
                || weightGrad.length() != o * c * kernel[0] * kernel[1] || delta.size(0) != n) {
            return false;
        }
        if (!directApplies(input, delta, kernel, stride)) {
            viaIm2col(input, delta, kernel, stride, pad, dilation, weightGrad, biasGrad, workspaceMgr);
            return true;
        }
        direct(input, delta, kernel, pad, dilation, weightGrad, biasGrad);
        return true;
    }

    /**
     * Whether {@link #direct} takes this convolution: float, stride 1, at most {@link #DIRECT_MAX_OUTPUTS} output
     * channels unless {@link #vectorized()}, its taps, input and delta each within {@link #MAX_SCRATCH} floats.
     */
    static boolean directApplies(INDArray input, INDArray delta, int[] kernel, int[] stride) {
        long taps = (long) kernel[0] * kernel[1] * input.size(0) * input.size(1) * delta.size(2) * delta.size(3);
        return input.dataType() == DataType.FLOAT && delta.dataType() == DataType.FLOAT && stride[0] == 1
                && stride[1] == 1 && !Boolean.getBoolean(IM2COL_PROPERTY)
                && (delta.size(1) <= DIRECT_MAX_OUTPUTS || vectorized())
                && taps <= MAX_SCRATCH && input.length() <= MAX_SCRATCH && delta.length() <= MAX_SCRATCH;
    }

    /**
     * Whether {@link #direct} runs on {@link VectorWeightGradient}: the JVM has the vector module and
     * {@code -Dreadout.conv.weightGradient.vector=false} is not set ({@link VectorApi}).
     */
    static boolean vectorized() {
        return VectorApi.enabled(VECTOR_PROPERTY);
    }

    /**
     * The stride-1 float case without libnd4j's im2col: the input copied to a Java array, the gradients from
     * {@link VectorWeightGradient} when {@link #vectorized()}, else from {@link #scalar}.
     */
    static void direct(INDArray input, INDArray delta, int[] kernel, int[] pad, int[] dilation,
            INDArray weightGrad, INDArray biasGrad) {
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int o = (int) delta.size(1), oh = (int) delta.size(2), ow = (int) delta.size(3);
        Scratch s = SCRATCH.get();
        float[] x = s.input(n * c * h * w);
        DenseFloats.read(input, x);
        float[] weights = new float[o * c * kernel[0] * kernel[1]];
        float[] bias = new float[o];
        if (vectorized()) {
            float[] deltas = s.deltas(n * o * oh * ow);
            DenseFloats.read(delta, deltas);
            VectorWeightGradient.compute(x, deltas, n, c, h, w, o, oh, ow, kernel, pad, dilation, weights, bias);
        } else {
            scalar(x, n, c, h, w, delta, kernel, pad, dilation, weights, bias, s);
        }
        weightGrad.assign(Nd4j.createFromArray(weights).reshape('c', weightGrad.shape()));
        biasGrad.assign(Nd4j.createFromArray(bias).reshape('c', biasGrad.shape()));
    }

    /**
     * {@link #direct} in scalar loops. {@code taps[kh·kW + kw][e·C + c]} holds the input under that tap for every
     * output position of example e, channel c (zeros where the padding is), built from row copies; then, for each
     * output channel, input channel and tap, the examples' products add into one float lane per output position, and
     * the lanes are summed in double, in order. Every array in the product loop starts at index 0: with an offset
     * into a shared array, JDK 17's C2 does not vectorize the loop (0.37 against 0.07 ns per multiply-add, measured
     * on the Intel Xeon of docs/bench/issue17-profile.md).
     */
    private static void scalar(float[] x, int n, int c, int h, int w, INDArray delta, int[] kernel, int[] pad,
            int[] dilation, float[] weights, float[] bias, Scratch s) {
        int o = (int) delta.size(1), oh = (int) delta.size(2), ow = (int) delta.size(3);
        int plane = oh * ow;
        int tapCount = kernel[0] * kernel[1];
        float[][][] taps = s.taps(tapCount, n * c, plane);
        for (int i = 0; i < kernel[0]; i++) {
            for (int j = 0; j < kernel[1]; j++) {
                int shift = j * dilation[1] - pad[1]; // the input column under output column 0
                int from = Math.max(0, -shift);
                int to = Math.max(from, Math.min(ow, w - shift)); // output columns [from, to) lie inside the input
                for (int e = 0; e < n * c; e++) {
                    float[] tap = taps[i * kernel[1] + j][e];
                    Arrays.fill(tap, 0, plane, 0f);
                    for (int r = 0; r < oh && to > from; r++) {
                        int row = r + i * dilation[0] - pad[0];
                        if (row >= 0 && row < h) {
                            System.arraycopy(x, (e * h + row) * w + from + shift, tap, r * ow + from, to - from);
                        }
                    }
                }
            }
        }
        INDArray denseDelta = DenseFloats.dense(delta);
        FloatBuffer deltas = denseDelta.data().asNioFloat();
        float[][] d = s.delta(n, plane);
        float[] lanes = s.lanes(plane);
        for (int q = 0; q < o; q++) {
            Arrays.fill(lanes, 0, plane, 0f);
            for (int e = 0; e < n; e++) {
                deltas.get((e * o + q) * plane, d[e], 0, plane);
                add(lanes, d[e], plane);
            }
            bias[q] = sum(lanes, plane);
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < tapCount; t++) {
                    Arrays.fill(lanes, 0, plane, 0f);
                    for (int e = 0; e < n; e++) {
                        addProducts(lanes, d[e], taps[t][e * c + ch], plane);
                    }
                    weights[(q * c + ch) * tapCount + t] = sum(lanes, plane);
                }
            }
        }
        Reference.reachabilityFence(denseDelta);
    }

    /** {@code lanes[p] += a[p]} for p below {@code length}. */
    private static void add(float[] lanes, float[] a, int length) {
        for (int p = 0; p < length; p++) {
            lanes[p] += a[p];
        }
    }

    /** {@code lanes[p] += a[p] · b[p]} for p below {@code length}. */
    private static void addProducts(float[] lanes, float[] a, float[] b, int length) {
        for (int p = 0; p < length; p++) {
            lanes[p] += a[p] * b[p];
        }
    }

    /** The first {@code length} lanes summed in double, in order. */
    private static float sum(float[] lanes, int length) {
        double total = 0;
        for (int p = 0; p < length; p++) {
            total += lanes[p];
        }
        return (float) total;
    }

    /** im2col, one batched matrix product per example, a sum over the minibatch. */
    private static void viaIm2col(INDArray input, INDArray delta, int[] kernel, int[] stride, int[] pad,
            int[] dilation, INDArray weightGrad, INDArray biasGrad, LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        long c = input.size(1);
        long o = delta.size(1);
        long oh = delta.size(2);
        long ow = delta.size(3);
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
    }

    private static long outputSize(long in, int kernel, int stride, int pad, int dilation) {
        long effective = kernel + (long) (kernel - 1) * (dilation - 1);
        return (in + 2L * pad - effective) / stride + 1;
    }

    /** One thread's scratch arrays, each kept at the largest size asked so far. */
    private static final class Scratch {
        private float[] input = new float[0];
        private float[][][] taps = new float[0][0][0];
        private float[][] delta = new float[0][0];
        private float[] lanes = new float[0];
        private float[] deltas = new float[0];

        float[] input(int length) {
            return input = DenseFloats.atLeast(input, length);
        }

        float[] lanes(int length) {
            return lanes = DenseFloats.atLeast(lanes, length);
        }

        float[] deltas(int length) {
            return deltas = DenseFloats.atLeast(deltas, length);
        }

        /** At least {@code count} arrays of at least {@code length} floats. */
        float[][] delta(int count, int length) {
            return delta = atLeast(delta, count, length);
        }

        /** At least {@code tapCount} × {@code count} arrays of at least {@code length} floats. */
        float[][][] taps(int tapCount, int count, int length) {
            if (taps.length < tapCount) {
                taps = Arrays.copyOf(taps, tapCount);
            }
            for (int t = 0; t < tapCount; t++) {
                taps[t] = atLeast(taps[t] == null ? new float[0][0] : taps[t], count, length);
            }
            return taps;
        }

        private static float[][] atLeast(float[][] arrays, int count, int length) {
            float[][] out = arrays.length >= count ? arrays : Arrays.copyOf(arrays, count);
            for (int i = 0; i < count; i++) {
                if (out[i] == null || out[i].length < length) {
                    out[i] = new float[length];
                }
            }
            return out;
        }
    }
}
