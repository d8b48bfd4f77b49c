package io.readout.common.nets;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvolutionWeightGradientTest {
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /** Bias then weights in one flat array, as a network's gradient view holds them. */
    private record Views(INDArray flat, INDArray bias, INDArray weights) {
        static Views of(int o, int c, int kh, int kw) {
            INDArray flat = Nd4j.zeros(DataType.FLOAT, 1, o + (long) o * c * kh * kw);
            return new Views(flat, flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, o)).reshape(1, o),
                    flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(o, flat.length())).reshape('c', o, c, kh, kw));
        }
    }

    @Test
    void aTwoByTwoKernelOnAThreeByThreeImageByHand() {
        INDArray x = Nd4j.createFromArray(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}).reshape(1, 1, 3, 3);
        INDArray delta = Nd4j.createFromArray(new float[] {1, 0, 0, 2}).reshape(1, 1, 2, 2);
        Views g = Views.of(1, 1, 2, 2);
        assertTrue(ConvolutionWeightGradient.compute(x, delta, new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, g.weights(), g.bias(), NO_WORKSPACES));
        // dW[i][j] = 1·x[i][j] + 2·x[1+i][1+j]; db = 1 + 2
        assertArrayEquals(new float[] {3, 1 + 2 * 5, 2 + 2 * 6, 4 + 2 * 8, 5 + 2 * 9}, g.flat().toFloatVector());
    }

    @Test
    void paddingStrideDilationAndChannelsAgainstADoubleLoop() {
        int n = 3, c = 2, o = 4, h = 7, w = 6, kh = 3, kw = 2, sh = 2, sw = 1, ph = 1, pw = 1, dh = 1, dw = 2;
        int oh = (h + 2 * ph - (kh + (kh - 1) * (dh - 1))) / sh + 1;
        int ow = (w + 2 * pw - (kw + (kw - 1) * (dw - 1))) / sw + 1;
        Random random = new Random(5);
        float[] xs = new float[n * c * h * w];
        float[] ds = new float[n * o * oh * ow];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < ds.length; i++) {
            ds[i] = (float) random.nextGaussian();
        }
        double[] dW = new double[o * c * kh * kw];
        double[] db = new double[o];
        for (int e = 0; e < n; e++) {
            for (int q = 0; q < o; q++) {
                for (int y = 0; y < oh; y++) {
                    for (int z = 0; z < ow; z++) {
                        double d = ds[((e * o + q) * oh + y) * ow + z];
                        db[q] += d;
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int row = y * sh - ph + i * dh;
                                    int col = z * sw - pw + j * dw;
                                    if (row >= 0 && row < h && col >= 0 && col < w) {
                                        dW[((q * c + ch) * kh + i) * kw + j] += d * xs[((e * c + ch) * h + row) * w + col];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        Views g = Views.of(o, c, kh, kw);
        assertTrue(ConvolutionWeightGradient.compute(Nd4j.createFromArray(xs).reshape(n, c, h, w),
                Nd4j.createFromArray(ds).reshape(n, o, oh, ow), new int[] {kh, kw}, new int[] {sh, sw},
                new int[] {ph, pw}, new int[] {dh, dw}, g.weights(), g.bias(), NO_WORKSPACES));
        // Each entry is a float sum of n·oh·ow products: within that many eps of the largest entry.
        double rtol = n * oh * ow * FLOAT_EPSILON;
        assertClose(toFloats(db), g.bias().toFloatVector(), rtol, "bias gradient");
        assertClose(toFloats(dW), g.weights().reshape(-1).toFloatVector(), rtol, "weight gradient");
    }

    @Test
    void aDeltaOfAnotherOutputShapeIsLeftToTheCallerAndNothingIsWritten() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 5, 5);
        Views g = Views.of(3, 1, 3, 3);
        assertFalse(ConvolutionWeightGradient.compute(x, Nd4j.ones(DataType.FLOAT, 2, 3, 4, 5), new int[] {3, 3},
                new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, g.weights(), g.bias(), NO_WORKSPACES));
        assertArrayEquals(new float[3 + 27], g.flat().toFloatVector());
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
