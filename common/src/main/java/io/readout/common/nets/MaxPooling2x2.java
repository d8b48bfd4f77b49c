package io.readout.common.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A 2×2, stride-2 max pooling without padding (NCHW, float) in Java, without a branch on the data: the same bits
 * as libnd4j's {@code maxpool2d} and {@code maxpool2d_bp}, forward and backward.
 *
 * <p>libnd4j's kernels search each window in order for the first entry greater than the largest so far, starting
 * at {@link #SEARCH_START} (just above {@code -Float.MAX_VALUE}): NaN, -inf and anything at or below the start are
 * never chosen, and a window of nothing else pools to the start and routes its gradient to its first entry. The backward pass zeroes the gradient and adds
 * each window's epsilon at that entry. Their comparisons are branches, and on a convolution's output they
 * mispredict: on the Intel Xeon of docs/bench/issue17-profile.md (fifth session) the backward pass was 4.7 ms of a
 * student's 19 ms training step. Here each entry becomes an int key whose order is that search's ({@link #key}), the
 * first maximum of the four keys is found with int arithmetic only ({@link #firstMaximum}), and the epsilon is
 * written as {@code 0 + epsilon}, as libnd4j's addition into a zero leaves it.
 *
 * <p>The forward pass writes each window's first maximum (0–3) into a byte array that the backward pass then reads
 * instead of searching again. Both work example by example through small per-thread heap arrays.
 * {@value #LIBND4J_PROPERTY}{@code =true} leaves every such pooling to libnd4j, for measurements.
 */
final class MaxPooling2x2 {
    /** System property: {@code true} leaves max pooling, forward and backward, to libnd4j's kernels. */
    static final String LIBND4J_PROPERTY = "readout.pooling.libnd4j";
    /** System property: {@code false} keeps the forward pass on the scalar loop when the vector API is there. */
    static final String VECTOR_PROPERTY = "readout.pooling.vector";
    /** Shifts the keys so that positive NaNs, the largest keys, wrap around to the smallest. */
    private static final int NAN_SHIFT = Integer.MIN_VALUE - 0x7f800001;
    /**
     * Where libnd4j's search starts, {@code -DataTypeUtils::max<float>()}: its literal 3.402823e38 is two ulps short
     * of {@code Float.MAX_VALUE}, and a window with nothing above it pools to it.
     */
    static final float SEARCH_START = -3.402823e38f;
    /** The key of {@link #SEARCH_START}: no key at or below it is ever chosen. */
    private static final int FLOOR = orderedBits(SEARCH_START) + NAN_SHIFT;
    private static final int START_BITS = Float.floatToRawIntBits(SEARCH_START);
    /** Each thread's copies of one example: input, pooled values (epsilon or output), gradient. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private MaxPooling2x2() {
    }

    /**
     * Whether this class takes a pooling of {@code input} to {@code pooled} (its output, or the epsilon at its
     * output): float arrays, a 2×2 kernel of stride 2, no padding, no dilation, one example within an int.
     */
    static boolean applies(INDArray input, INDArray pooled, int[] kernel, int[] stride, int[] pad, int[] dilation) {
        return !Boolean.getBoolean(LIBND4J_PROPERTY) && input.rank() == 4 && pooled.rank() == 4
                && input.dataType() == DataType.FLOAT && pooled.dataType() == DataType.FLOAT
                && kernel[0] == 2 && kernel[1] == 2 && stride[0] == 2 && stride[1] == 2 && pad[0] == 0 && pad[1] == 0
                && dilation[0] == 1 && dilation[1] == 1 && input.size(0) == pooled.size(0)
                && input.size(1) == pooled.size(1) && pooled.size(2) == input.size(2) / 2
                && pooled.size(3) == input.size(3) / 2 && input.length() / Math.max(1, input.size(0)) < Integer.MAX_VALUE
                && pooled.length() < Integer.MAX_VALUE;
    }

    /**
     * Whether {@link #forward} runs on {@link VectorMaxPooling} (the same bits as the scalar loop): the JVM has the
     * vector module and {@code -Dreadout.pooling.vector=false} is not set ({@link VectorApi}).
     */
    static boolean vectorized() {
        return VectorApi.enabled(VECTOR_PROPERTY);
    }

    /**
     * Pools {@code input} into {@code output} (shapes as {@link #applies} checks) and returns each window's first
     * maximum, 0 top left to 3 bottom right, in {@code firstMaxima} if it is long enough, else in a new array.
     */
    static byte[] forward(INDArray input, INDArray output, byte[] firstMaxima) {
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int oh = h / 2, ow = w / 2;
        int example = c * h * w;
        int pooled = c * oh * ow;
        byte[] maxima = firstMaxima != null && firstMaxima.length >= n * pooled ? firstMaxima : new byte[n * pooled];
        if (pooled == 0) {
            return maxima;
        }
        boolean vector = vectorized();
        float[][] scratch = SCRATCH.get();
        float[] z = scratch[0] = DenseFloats.atLeast(scratch[0], vector ? example + VectorMaxPooling.padding(w) : example);
        float[] out = scratch[1] = DenseFloats.atLeast(scratch[1], pooled);
        INDArray source = DenseFloats.dense(input);
        FloatBuffer in = source.data().asNioFloat();
        INDArray target = DenseFloats.writable(output);
        FloatBuffer outBuffer = target.data().asNioFloat();
        for (int e = 0; e < n; e++) {
            in.get(e * example, z, 0, example);
            if (vector) {
                VectorMaxPooling.forward(z, c, h, w, out, maxima, e * pooled);
                outBuffer.put(e * pooled, out, 0, pooled);
                continue;
            }
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < oh; r++) {
                    int top = (ch * h + 2 * r) * w; // the window row's first entry in z
                    int pooledRow = (ch * oh + r) * ow;
                    for (int col = 0; col < ow; col++) {
                        int at = top + 2 * col;
                        int ka = key(z[at]), kb = key(z[at + 1]), kc = key(z[at + w]), kd = key(z[at + w + 1]);
                        int k = firstMaximum(ka, kb, kc, kd);
                        int bits = Float.floatToRawIntBits(z[at + (k & 1) + (k >> 1) * w]);
                        int none = 1 - greater(Math.max(Math.max(ka, kb), Math.max(kc, kd)), FLOOR);
                        out[pooledRow + col] = Float.intBitsToFloat(bits ^ ((bits ^ START_BITS) & -none));
                        maxima[e * pooled + pooledRow + col] = (byte) k;
                    }
                }
            }
            outBuffer.put(e * pooled, out, 0, pooled);
        }
        Reference.reachabilityFence(source);
        if (target != output) {
            output.assign(target);
        }
        return maxima;
    }

    /**
     * Writes dL/d{@code input} into {@code gradient} (the input's shape) from {@code epsilon} at the output and the
     * first maxima that {@link #forward} returned for the same input: each window's epsilon at its first maximum,
     * zeros elsewhere (also in the rows and columns no window covers).
     */
    static void backward(byte[] firstMaxima, INDArray epsilon, INDArray gradient) {
        backward(null, firstMaxima, epsilon, gradient);
    }

    /** As {@link #backward(byte[], INDArray, INDArray)}, searching each window of {@code input} again. */
    static void backward(INDArray input, INDArray epsilon, INDArray gradient) {
        backward(input, null, epsilon, gradient);
    }

    private static void backward(INDArray input, byte[] firstMaxima, INDArray epsilon, INDArray gradient) {
        int n = (int) gradient.size(0), c = (int) gradient.size(1), h = (int) gradient.size(2), w = (int) gradient.size(3);
        int oh = h / 2, ow = w / 2;
        int example = c * h * w;
        int pooled = c * oh * ow;
        if (pooled == 0) { // a dimension under 2: no window
            gradient.assign(0);
            return;
        }
        float[][] scratch = SCRATCH.get();
        float[] z = input == null ? null : (scratch[0] = DenseFloats.atLeast(scratch[0], example));
        float[] eps = scratch[1] = DenseFloats.atLeast(scratch[1], pooled);
        float[] grad = scratch[2] = DenseFloats.atLeast(scratch[2], example);
        INDArray source = input == null ? null : DenseFloats.dense(input);
        INDArray epsSource = DenseFloats.dense(epsilon);
        FloatBuffer in = source == null ? null : source.data().asNioFloat();
        FloatBuffer epsIn = epsSource.data().asNioFloat();
        INDArray target = DenseFloats.writable(gradient);
        FloatBuffer out = target.data().asNioFloat();
        for (int e = 0; e < n; e++) {
            if (in != null) {
                in.get(e * example, z, 0, example);
            }
            epsIn.get(e * pooled, eps, 0, pooled);
            Arrays.fill(grad, 0, example, 0f);
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < oh; r++) {
                    int top = (ch * h + 2 * r) * w;
                    int pooledRow = (ch * oh + r) * ow;
                    for (int col = 0; col < ow; col++) {
                        int at = top + 2 * col;
                        int k = z == null ? firstMaxima[e * pooled + pooledRow + col]
                                : firstMaximum(key(z[at]), key(z[at + 1]), key(z[at + w]), key(z[at + w + 1]));
                        grad[at + (k & 1) + (k >> 1) * w] = 0f + eps[pooledRow + col];
                    }
                }
            }
            out.put(e * example, grad, 0, example);
        }
        Reference.reachabilityFence(source);
        Reference.reachabilityFence(epsSource);
        if (target != gradient) {
            gradient.assign(target);
        }
    }

    /**
     * The position (0 top left, 1 top right, 2 bottom left, 3 bottom right) of the first of four keys that is
     * greatest: the search in order's choice, as {@link #key} puts everything it never chooses at the floor, and
     * four keys at the floor give 0, its default. Int arithmetic only: the comparisons of the search are a tournament
     * here, the left entry and the top pair winning ties.
     */
    static int firstMaximum(int a, int b, int c, int d) {
        int top = greater(b, a);
        int bottom = 2 + greater(d, c);
        return top ^ ((top ^ bottom) & -greater(Math.max(c, d), Math.max(a, b)));
    }

    /**
     * An int whose order is the order libnd4j's search compares floats in: -0.0 equal to 0.0, and NaN and everything
     * at or below {@link #SEARCH_START} at {@link #FLOOR}, where nothing is chosen.
     */
    static int key(float value) {
        return Math.max(orderedBits(value + 0f) + NAN_SHIFT, FLOOR);
    }

    /** The float's bits as an int that orders like the float (for non-NaN values; positive NaNs come last). */
    private static int orderedBits(float value) {
        int bits = Float.floatToRawIntBits(value);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** 1 if {@code x > y}, else 0, without a branch. */
    private static int greater(int x, int y) {
        return (int) (((long) y - x) >>> 63);
    }
}
