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
        // stride 2 in one dimension: libnd4j's im2col
        assertFalse(againstADoubleLoop(new Shape(3, 2, 4, 7, 6, 3, 2, 2, 1, 1, 1, 1, 2), false));
    }

    @Test
    void strideOneInJavaAgainstADoubleLoop() {
        assertTrue(ConvolutionWeightGradient.vectorized(), "the tests' JVM has the vector module");
        strideOneShapesAgainstADoubleLoop();
    }

    @Test
    void strideOneOnTheScalarPathAgainstADoubleLoop() {
        System.setProperty(ConvolutionWeightGradient.VECTOR_PROPERTY, "false");
        try {
            assertFalse(ConvolutionWeightGradient.vectorized());
            strideOneShapesAgainstADoubleLoop();
        } finally {
            System.clearProperty(ConvolutionWeightGradient.VECTOR_PROPERTY);
        }
    }

    private static void strideOneShapesAgainstADoubleLoop() {
        // padding and dilation in both dimensions, more channels, an asymmetric kernel: the direct path
        assertTrue(againstADoubleLoop(new Shape(3, 2, 4, 7, 6, 3, 2, 1, 1, 2, 1, 2, 1), false));
        // the student's first convolution (same padding), then a smaller one on the same thread's larger scratch
        assertTrue(againstADoubleLoop(new Shape(64, 1, 8, 56, 28, 3, 3, 1, 1, 1, 1, 1, 1), false));
        assertTrue(againstADoubleLoop(new Shape(2, 3, 5, 4, 5, 3, 3, 1, 1, 0, 2, 1, 1), false));
        // padding wider than the kernel reaches: rows and columns of zeros only
        assertTrue(againstADoubleLoop(new Shape(2, 1, 2, 3, 3, 2, 2, 1, 1, 3, 3, 1, 1), false));
        // a plane of 17 × 9 = 153 positions (not a multiple of 8 or 16 lanes), 7 outputs (a block of 4 and one of
        // 3), 2 · 5 · 5 = 50 taps (not a multiple of 3), dilation 2, no padding on the left
        assertTrue(againstADoubleLoop(new Shape(3, 2, 7, 21, 13, 5, 5, 1, 1, 2, 0, 2, 1), false));
    }

    @Test
    void theTeachersFirstConvolutionAgainstADoubleLoop() {
        // 32 output channels: the vector path takes them, the scalar one leaves them to im2col
        assertTrue(againstADoubleLoop(new Shape(4, 1, 32, 56, 28, 3, 3, 1, 1, 1, 1, 1, 1), false));
    }

    @Test
    void anInputViewIsReadAsItsValues() {
        assertTrue(againstADoubleLoop(new Shape(4, 2, 3, 6, 5, 3, 3, 1, 1, 1, 1, 1, 1), true));
    }

    @Test
    void theDirectPathsAndIm2colAgreeOnTheStudentsFirstConvolution() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 64, 1, 56, 28).subi(0.5);
        INDArray delta = Nd4j.rand(DataType.FLOAT, 64, 8, 56, 28).subi(0.5);
        int[] k = {3, 3}, one = {1, 1};
        Views direct = Views.of(8, 1, 3, 3);
        Views scalar = Views.of(8, 1, 3, 3);
        Views im2col = Views.of(8, 1, 3, 3);
        assertTrue(ConvolutionWeightGradient.directApplies(x, delta, k, one));
        assertTrue(ConvolutionWeightGradient.compute(x, delta, k, one, one, one, direct.weights(), direct.bias(),
                NO_WORKSPACES));
        System.setProperty(ConvolutionWeightGradient.VECTOR_PROPERTY, "false");
        try {
            assertTrue(ConvolutionWeightGradient.compute(x, delta, k, one, one, one, scalar.weights(), scalar.bias(),
                    NO_WORKSPACES));
        } finally {
            System.clearProperty(ConvolutionWeightGradient.VECTOR_PROPERTY);
        }
        System.setProperty(ConvolutionWeightGradient.IM2COL_PROPERTY, "true");
        try {
            assertFalse(ConvolutionWeightGradient.directApplies(x, delta, k, one));
            assertTrue(ConvolutionWeightGradient.compute(x, delta, k, one, one, one, im2col.weights(), im2col.bias(),
                    NO_WORKSPACES));
        } finally {
            System.clearProperty(ConvolutionWeightGradient.IM2COL_PROPERTY);
        }
        // all three are float sums of n·oh·ow products in different orders
        assertClose(im2col.flat().toFloatVector(), direct.flat().toFloatVector(), 64 * 56 * 28 * FLOAT_EPSILON,
                "direct (vector API) against im2col");
        assertClose(im2col.flat().toFloatVector(), scalar.flat().toFloatVector(), 64 * 56 * 28 * FLOAT_EPSILON,
                "direct (scalar) against im2col");
    }

    @Test
    void otherStridesDataTypesAndWideConvolutionsAreLeftToIm2col() {
        int[] k = {3, 3}, one = {1, 1};
        assertFalse(ConvolutionWeightGradient.directApplies(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                Nd4j.rand(DataType.FLOAT, 2, 4, 4, 8), k, new int[] {2, 1}));
        assertFalse(ConvolutionWeightGradient.directApplies(Nd4j.rand(DataType.DOUBLE, 2, 1, 8, 8),
                Nd4j.rand(DataType.DOUBLE, 2, 4, 8, 8), k, one));
        assertTrue(ConvolutionWeightGradient.directApplies(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                Nd4j.rand(DataType.FLOAT, 2, 16, 8, 8), k, one));
        // the teacher's first convolution, 32 output channels: only the vector path takes it
        assertTrue(ConvolutionWeightGradient.directApplies(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                Nd4j.rand(DataType.FLOAT, 2, 32, 8, 8), k, one));
        System.setProperty(ConvolutionWeightGradient.VECTOR_PROPERTY, "false");
        try {
            assertFalse(ConvolutionWeightGradient.directApplies(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                    Nd4j.rand(DataType.FLOAT, 2, 32, 8, 8), k, one));
        } finally {
            System.clearProperty(ConvolutionWeightGradient.VECTOR_PROPERTY);
        }
    }

    /** A convolution's sizes: examples, channels in and out, input height and width, kernel, stride, padding, dilation. */
    private record Shape(int n, int c, int o, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh,
            int dw) {
        int oh() {
            return (h + 2 * ph - (kh + (kh - 1) * (dh - 1))) / sh + 1;
        }

        int ow() {
            return (w + 2 * pw - (kw + (kw - 1) * (dw - 1))) / sw + 1;
        }
    }

    /**
     * Checks the gradients of random inputs against a double loop over the definition, the input given as a view
     * into a larger array when {@code asView}; returns whether the direct path took them.
     */
    private static boolean againstADoubleLoop(Shape s, boolean asView) {
        int n = s.n(), c = s.c(), o = s.o(), h = s.h(), w = s.w(), kh = s.kh(), kw = s.kw(), oh = s.oh(), ow = s.ow();
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
                                    int row = y * s.sh() - s.ph() + i * s.dh();
                                    int col = z * s.sw() - s.pw() + j * s.dw();
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
        INDArray x = Nd4j.createFromArray(xs).reshape(n, c, h, w);
        if (asView) { // the same values in the even examples of an array twice as long
            INDArray twice = Nd4j.zeros(DataType.FLOAT, 2L * n, c, h, w);
            twice.get(NDArrayIndex.interval(0, 2, 2L * n)).assign(x);
            x = twice.get(NDArrayIndex.interval(0, 2, 2L * n));
        }
        INDArray delta = Nd4j.createFromArray(ds).reshape(n, o, oh, ow);
        int[] kernel = {kh, kw}, stride = {s.sh(), s.sw()};
        boolean direct = ConvolutionWeightGradient.directApplies(x, delta, kernel, stride);
        Views g = Views.of(o, c, kh, kw);
        assertTrue(ConvolutionWeightGradient.compute(x, delta, kernel, stride, new int[] {s.ph(), s.pw()},
                new int[] {s.dh(), s.dw()}, g.weights(), g.bias(), NO_WORKSPACES));
        // Each entry is a float sum of n·oh·ow products: within that many eps of the largest entry.
        double rtol = n * oh * ow * FLOAT_EPSILON;
        assertClose(toFloats(db), g.bias().toFloatVector(), rtol, "bias gradient " + s);
        assertClose(toFloats(dW), g.weights().reshape(-1).toFloatVector(), rtol, "weight gradient " + s);
        return direct;
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
