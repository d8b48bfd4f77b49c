package io.readout.common.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * The input gradient of a 2×2, stride-2 max pooling without padding (NCHW, float), in Java and without a branch
 * on the data: the same bits as libnd4j's {@code maxpool2d_bp}.
 *
 * <p>libnd4j's kernel zeroes the gradient, then searches each window in order for its first entry greater than
 * the largest so far (starting at {@code -Float.MAX_VALUE}, so NaN, -inf and {@code -MAX_VALUE} are never chosen and
 * a window of nothing else routes to its first entry) and adds the window's epsilon there. Its comparisons are
 * branches, and on a convolution's output they mispredict: on the Intel Xeon of docs/bench/issue17-profile.md
 * (fifth session) 4.7 of a student's 19 ms training step went there. Here each entry becomes an int key whose order
 * is that search's ({@link #key}), the first maximum of the four keys is found with int arithmetic only
 * ({@link #firstMaximum}), and the epsilon is written as {@code 0 + epsilon}, as libnd4j's addition into a zero
 * leaves it. Example by example, through small per-thread heap arrays.
 *
 * <p>{@value #LIBND4J_PROPERTY}{@code =true} leaves every pooling gradient to libnd4j, for measurements.
 */
final class MaxPoolingGradient {
    /** System property: {@code true} leaves every max-pooling gradient to libnd4j's {@code maxpool2d_bp}. */
    static final String LIBND4J_PROPERTY = "readout.pooling.gradient.libnd4j";
    /** Shifts the keys so that positive NaNs, the largest keys, wrap around to the smallest. */
    private static final int NAN_SHIFT = Integer.MIN_VALUE - 0x7f800001;
    /** The key of {@code -Float.MAX_VALUE}, where libnd4j's search starts: no key below it is ever chosen. */
    private static final int FLOOR = orderedBits(-Float.MAX_VALUE) + NAN_SHIFT;
    /** Each thread's copies of one example: input, epsilon, gradient. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private MaxPoolingGradient() {
    }

    /**
     * Whether {@link #compute} takes this pooling: float arrays, a 2×2 kernel of stride 2, no padding, no dilation,
     * one example within an int.
     */
    static boolean applies(INDArray input, INDArray epsilon, int[] kernel, int[] stride, int[] pad, int[] dilation) {
        return !Boolean.getBoolean(LIBND4J_PROPERTY) && input.rank() == 4 && epsilon.rank() == 4
                && input.dataType() == DataType.FLOAT && epsilon.dataType() == DataType.FLOAT
                && kernel[0] == 2 && kernel[1] == 2 && stride[0] == 2 && stride[1] == 2 && pad[0] == 0 && pad[1] == 0
                && dilation[0] == 1 && dilation[1] == 1 && input.size(0) == epsilon.size(0)
                && input.size(1) == epsilon.size(1) && epsilon.size(2) == input.size(2) / 2
                && epsilon.size(3) == input.size(3) / 2 && input.length() / Math.max(1, input.size(0)) < Integer.MAX_VALUE;
    }

    /**
     * Writes dL/d{@code input} into {@code gradient} (c order, the input's shape) for a pooling that {@link #applies}:
     * each window's epsilon at its first maximum, zeros elsewhere (also in the rows and columns no window covers).
     */
    static void compute(INDArray input, INDArray epsilon, INDArray gradient) {
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int oh = h / 2, ow = w / 2;
        int example = c * h * w;
        int pooled = c * oh * ow;
        if (epsilon.isEmpty()) { // a dimension under 2: no window
            gradient.assign(0);
            return;
        }
        float[][] scratch = SCRATCH.get();
        float[] z = scratch[0] = atLeast(scratch[0], example);
        float[] eps = scratch[1] = atLeast(scratch[1], pooled);
        float[] grad = scratch[2] = atLeast(scratch[2], example);
        FloatBuffer in = dense(input).data().asNioFloat();
        FloatBuffer epsIn = dense(epsilon).data().asNioFloat();
        INDArray target = isDense(gradient) ? gradient : Nd4j.createUninitialized(DataType.FLOAT, gradient.shape(), 'c');
        FloatBuffer out = target.data().asNioFloat();
        for (int e = 0; e < n; e++) {
            in.get(e * example, z, 0, example);
            epsIn.get(e * pooled, eps, 0, pooled);
            Arrays.fill(grad, 0, example, 0f);
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < oh; r++) {
                    int top = (ch * h + 2 * r) * w; // the window row's first entry in z
                    int pooledRow = (ch * oh + r) * ow;
                    for (int col = 0; col < ow; col++) {
                        int at = top + 2 * col;
                        int k = firstMaximum(key(z[at]), key(z[at + 1]), key(z[at + w]), key(z[at + w + 1]));
                        grad[at + (k & 1) + (k >> 1) * w] = 0f + eps[pooledRow + col];
                    }
                }
            }
            out.put(e * example, grad, 0, example);
        }
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
     * An int whose order is the order libnd4j's search compares floats in: -0.0 equal to 0.0, and NaN, -inf and
     * {@code -Float.MAX_VALUE} all at {@link #FLOOR}, below which nothing is chosen.
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

    private static float[] atLeast(float[] array, int length) {
        return array.length >= length ? array : new float[length];
    }

    /** The array itself when its buffer holds exactly its values in c order, else a dense c-order copy. */
    private static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    private static boolean isDense(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    }
}
