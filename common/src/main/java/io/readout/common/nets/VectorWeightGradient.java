package io.readout.common.nets;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link ConvolutionWeightGradient}'s stride-1 float path with the JDK's vector API ({@code jdk.incubator.vector}):
 * the same sums of products, in another order, several output positions per instruction and several weights per
 * pass over the data.
 *
 * <p>The input is copied once per kernel column j into a plane of the output's width, shifted by that column's
 * offset and with zero rows and columns where the padding is: row {@code r + i·dH} of copy j holds, for every output
 * column, the input under tap (i, j). So for every tap the input it multiplies lies at one fixed offset from the
 * output position in the flattened output plane, and the delta needs no copy of its own layout. For each example,
 * a block of {@link #OUTPUTS} output channels and a block of {@link #TAPS} taps keep 12 vector accumulators in
 * registers over the whole plane: 7 loads for 12 fused multiply-adds, where the scalar path loads three arrays and
 * stores one per multiply-add. The accumulators' lanes and the plane's last {@code plane mod lanes} positions are
 * summed in double, in order, at the end; the order of the sums depends on the vector length of the CPU, so the bits
 * of a gradient do on an AVX2 and an AVX-512 machine, as oneDNN's do.
 *
 * <p>Only referenced when {@link ConvolutionWeightGradient#vectorized()}, so a JVM without the module never loads
 * this class.
 */
final class VectorWeightGradient {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Output channels per block: each block reads the delta of this many channels in one pass. */
    static final int OUTPUTS = 4;
    /** Taps per block: each block reads the input under this many taps in one pass. */
    static final int TAPS = 3;
    /**
     * Each thread's scratch: the shifted input copies, and a plane of zeros (never written) that a block reads as
     * the delta of output channels past the last.
     */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private VectorWeightGradient() {
    }

    /**
     * Writes dL/dW ({@code weights[(q·c + ch)·kH·kW + i·kW + j]}) and dL/db ({@code bias[q]}) of a stride-1
     * convolution with zero padding {@code pad} on the top and left, for {@code x} = the input [n, c, h, w] and
     * {@code d} = dL/dz [n, o, oh, ow], both c order from index 0.
     */
    static void compute(float[] x, float[] d, int n, int c, int h, int w, int o, int oh, int ow, int[] kernel,
            int[] pad, int[] dilation, float[] weights, float[] bias) {
        int kh = kernel[0], kw = kernel[1];
        int plane = oh * ow;
        int rows = oh + (kh - 1) * dilation[0];
        int copy = rows * ow; // one example's channel in one shifted copy
        int tapCount = c * kh * kw;
        int outputSlots = roundUp(o, OUTPUTS), tapSlots = roundUp(tapCount, TAPS);
        float[][] scratch = SCRATCH.get();
        float[] shifted = scratch[0] = DenseFloats.atLeast(scratch[0], kw * n * c * copy);
        shift(x, n * c, h, w, oh, ow, rows, kernel, pad, dilation, shifted);
        float[] zeros = scratch[1] = DenseFloats.atLeast(scratch[1], plane);
        float[] acc = new float[outputSlots * tapSlots * LANES]; // a few thousand: new, so zeroed, each call
        double[] tail = new double[outputSlots * tapSlots];
        float[] biasAcc = new float[o * LANES];
        double[] biasTail = new double[o];
        float[][] blockDeltas = new float[OUTPUTS][];
        int[] blockStarts = new int[OUTPUTS];
        int[] blockTaps = new int[TAPS];
        int vectorEnd = plane - plane % LANES;
        int[] tapOffset = new int[tapSlots]; // within one example's shifted copies, per tap; repeats the last
        for (int g = 0; g < tapSlots; g++) {
            int t = Math.min(g, tapCount - 1);
            int ch = t / (kh * kw), i = t / kw % kh, j = t % kw;
            tapOffset[g] = (j * n * c + ch) * copy + i * dilation[0] * ow;
        }
        for (int e = 0; e < n; e++) {
            for (int qb = 0; qb < o; qb += OUTPUTS) {
                for (int k = 0; k < OUTPUTS; k++) { // channels past the last read zeros
                    blockDeltas[k] = qb + k < o ? d : zeros;
                    blockStarts[k] = qb + k < o ? (e * o + qb + k) * plane : 0;
                }
                float[] a0 = blockDeltas[0], a1 = blockDeltas[1], a2 = blockDeltas[2], a3 = blockDeltas[3];
                int p0 = blockStarts[0], p1 = blockStarts[1], p2 = blockStarts[2], p3 = blockStarts[3];
                for (int gb = 0; gb < tapCount; gb += TAPS) {
                    int x0 = tapOffset[gb] + e * c * copy, x1 = tapOffset[gb + 1] + e * c * copy;
                    int x2 = tapOffset[gb + 2] + e * c * copy;
                    int at = (qb * tapSlots + gb) * LANES, row = tapSlots * LANES;
                    FloatVector s00 = FloatVector.fromArray(SPECIES, acc, at);
                    FloatVector s01 = FloatVector.fromArray(SPECIES, acc, at + LANES);
                    FloatVector s02 = FloatVector.fromArray(SPECIES, acc, at + 2 * LANES);
                    FloatVector s10 = FloatVector.fromArray(SPECIES, acc, at + row);
                    FloatVector s11 = FloatVector.fromArray(SPECIES, acc, at + row + LANES);
                    FloatVector s12 = FloatVector.fromArray(SPECIES, acc, at + row + 2 * LANES);
                    FloatVector s20 = FloatVector.fromArray(SPECIES, acc, at + 2 * row);
                    FloatVector s21 = FloatVector.fromArray(SPECIES, acc, at + 2 * row + LANES);
                    FloatVector s22 = FloatVector.fromArray(SPECIES, acc, at + 2 * row + 2 * LANES);
                    FloatVector s30 = FloatVector.fromArray(SPECIES, acc, at + 3 * row);
                    FloatVector s31 = FloatVector.fromArray(SPECIES, acc, at + 3 * row + LANES);
                    FloatVector s32 = FloatVector.fromArray(SPECIES, acc, at + 3 * row + 2 * LANES);
                    for (int t = 0; t < vectorEnd; t += LANES) {
                        FloatVector v0 = FloatVector.fromArray(SPECIES, shifted, x0 + t);
                        FloatVector v1 = FloatVector.fromArray(SPECIES, shifted, x1 + t);
                        FloatVector v2 = FloatVector.fromArray(SPECIES, shifted, x2 + t);
                        FloatVector d0 = FloatVector.fromArray(SPECIES, a0, p0 + t);
                        s00 = d0.fma(v0, s00);
                        s01 = d0.fma(v1, s01);
                        s02 = d0.fma(v2, s02);
                        FloatVector d1 = FloatVector.fromArray(SPECIES, a1, p1 + t);
                        s10 = d1.fma(v0, s10);
                        s11 = d1.fma(v1, s11);
                        s12 = d1.fma(v2, s12);
                        FloatVector d2 = FloatVector.fromArray(SPECIES, a2, p2 + t);
                        s20 = d2.fma(v0, s20);
                        s21 = d2.fma(v1, s21);
                        s22 = d2.fma(v2, s22);
                        FloatVector d3 = FloatVector.fromArray(SPECIES, a3, p3 + t);
                        s30 = d3.fma(v0, s30);
                        s31 = d3.fma(v1, s31);
                        s32 = d3.fma(v2, s32);
                    }
                    s00.intoArray(acc, at);
                    s01.intoArray(acc, at + LANES);
                    s02.intoArray(acc, at + 2 * LANES);
                    s10.intoArray(acc, at + row);
                    s11.intoArray(acc, at + row + LANES);
                    s12.intoArray(acc, at + row + 2 * LANES);
                    s20.intoArray(acc, at + 2 * row);
                    s21.intoArray(acc, at + 2 * row + LANES);
                    s22.intoArray(acc, at + 2 * row + 2 * LANES);
                    s30.intoArray(acc, at + 3 * row);
                    s31.intoArray(acc, at + 3 * row + LANES);
                    s32.intoArray(acc, at + 3 * row + 2 * LANES);
                    if (vectorEnd < plane) {
                        blockTaps[0] = x0;
                        blockTaps[1] = x1;
                        blockTaps[2] = x2;
                        addTail(shifted, blockTaps, blockDeltas, blockStarts, vectorEnd, plane, tail,
                                qb * tapSlots + gb, tapSlots);
                    }
                }
            }
            for (int q = 0; q < o; q++) {
                int p = (e * o + q) * plane;
                FloatVector sum = FloatVector.fromArray(SPECIES, biasAcc, q * LANES);
                for (int t = 0; t < vectorEnd; t += LANES) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, d, p + t));
                }
                sum.intoArray(biasAcc, q * LANES);
                for (int t = vectorEnd; t < plane; t++) {
                    biasTail[q] += d[p + t];
                }
            }
        }
        for (int q = 0; q < o; q++) {
            for (int g = 0; g < tapCount; g++) {
                weights[q * tapCount + g] = (float) (lanes(acc, (q * tapSlots + g) * LANES) + tail[q * tapSlots + g]);
            }
        }
        for (int q = 0; q < o; q++) {
            bias[q] = (float) (lanes(biasAcc, q * LANES) + biasTail[q]);
        }
    }

    /**
     * Writes, for each kernel column j, each example-channel and each row {@code r'} of the {@code rows}, the input
     * row {@code r' − pad[0]} shifted so that output column {@code col} holds input column
     * {@code col + j·dW − pad[1]}, zeros outside the input; copy j starts at {@code j·count·rows·ow}.
     */
    private static void shift(float[] x, int count, int h, int w, int oh, int ow, int rows, int[] kernel, int[] pad,
            int[] dilation, float[] shifted) {
        int copy = rows * ow;
        for (int j = 0; j < kernel[1]; j++) {
            int shift = j * dilation[1] - pad[1]; // the input column under output column 0
            int from = Math.min(ow, Math.max(0, -shift));
            int to = Math.max(from, Math.min(ow, w - shift)); // output columns [from, to) lie inside the input
            for (int e = 0; e < count; e++) {
                int base = (j * count + e) * copy;
                for (int r = 0; r < rows; r++) {
                    int row = r - pad[0];
                    int at = base + r * ow;
                    if (row < 0 || row >= h || to == from) {
                        Arrays.fill(shifted, at, at + ow, 0f);
                        continue;
                    }
                    Arrays.fill(shifted, at, at + from, 0f);
                    System.arraycopy(x, (e * h + row) * w + from + shift, shifted, at + from, to - from);
                    Arrays.fill(shifted, at + to, at + ow, 0f);
                }
            }
        }
    }

    /** The plane's last positions, past the vector loop, of one block: products summed in double per weight. */
    private static void addTail(float[] shifted, int[] xs, float[][] ds, int[] ps, int from, int to, double[] tail,
            int slot, int tapSlots) {
        for (int k = 0; k < OUTPUTS; k++) {
            for (int l = 0; l < TAPS; l++) {
                double sum = 0;
                for (int t = from; t < to; t++) {
                    sum += ds[k][ps[k] + t] * shifted[xs[l] + t];
                }
                tail[slot + k * tapSlots + l] += sum;
            }
        }
    }

    /** The {@link #LANES} floats from {@code at} summed in double, in order. */
    private static double lanes(float[] a, int at) {
        double total = 0;
        for (int l = 0; l < LANES; l++) {
            total += a[at + l];
        }
        return total;
    }

    private static int roundUp(int value, int multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
