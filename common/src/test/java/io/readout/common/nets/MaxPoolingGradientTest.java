package io.readout.common.nets;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxPoolingGradientTest {
    private static final int[] TWO = {2, 2};
    private static final int[] ZERO = {0, 0};
    private static final int[] ONE = {1, 1};
    /** Values where libnd4j's search is easy to get wrong: signed zeros, NaNs, infinities, its starting value. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0xffc00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, Float.MAX_VALUE, Float.MIN_VALUE,
            -Float.MIN_VALUE};

    @Test
    void eachWindowsEpsilonGoesToItsFirstMaximumByHand() {
        float nan = Float.NaN;
        INDArray x = Nd4j.createFromArray(new float[] {
                1, 3, /**/ 2, 2,
                3, 0, /**/ 2, 2,
                -0f, 0f, /**/ nan, -5,
                -1, 0f, /**/ nan, -6,
                nan, nan, /**/ Float.NEGATIVE_INFINITY, -Float.MAX_VALUE,
                nan, nan, /**/ Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}).reshape(1, 1, 6, 4);
        INDArray eps = Nd4j.createFromArray(new float[] {10, 20, -0f, 40, 50, 60}).reshape(1, 1, 3, 2);
        INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, 6, 4);
        assertTrue(MaxPoolingGradient.applies(x, eps, TWO, TWO, ZERO, ONE));
        MaxPoolingGradient.compute(x, eps, grad);
        // window 1: 3 at (0,1) before the 3 at (1,0); window 2: all 2, the first; window 3: -0 and 0 are equal, the
        // first, and -0 as epsilon arrives as 0 + -0 = +0; window 4: NaN is never chosen, -5 is;
        // windows 5 and 6: nothing above -MAX_VALUE, the first entry
        assertArrayEquals(new float[] {
                0, 10, /**/ 20, 0,
                0, 0, /**/ 0, 0,
                0f, 0, /**/ 0, 40,
                0, 0, /**/ 0, 0,
                50, 0, /**/ 60, 0,
                0, 0, /**/ 0, 0}, grad.reshape(-1).toFloatVector());
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(grad.getFloat(0, 0, 2, 0)), "0 + -0 is +0");
    }

    @Test
    void theTournamentOfKeysIsLibNd4jsSearchInOrderForEveryQuadrupleOfSpecialValues() {
        int n = SPECIAL.length;
        for (int i = 0; i < n * n * n * n; i++) {
            float[] v = {SPECIAL[i % n], SPECIAL[i / n % n], SPECIAL[i / (n * n) % n], SPECIAL[i / (n * n * n)]};
            int expected = 0;
            float largest = -Float.MAX_VALUE;
            for (int k = 0; k < 4; k++) {
                if (v[k] > largest) {
                    largest = v[k];
                    expected = k;
                }
            }
            int actual = MaxPoolingGradient.firstMaximum(MaxPoolingGradient.key(v[0]), MaxPoolingGradient.key(v[1]),
                    MaxPoolingGradient.key(v[2]), MaxPoolingGradient.key(v[3]));
            assertEquals(expected, actual, () -> java.util.Arrays.toString(v));
        }
    }

    @Test
    void theSameBitsAsLibNd4jsKernelOnRandomDataWithOddSizesAndViews() {
        Random random = new Random(3);
        for (int[] shape : new int[][] {{3, 5, 7, 9}, {64, 8, 56, 28}, {2, 3, 2, 2}, {1, 1, 5, 1}}) {
            int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
            float[] xs = new float[n * c * h * w];
            for (int i = 0; i < xs.length; i++) { // ties, zeros of both signs and the odd special value
                int kind = random.nextInt(10);
                xs[i] = kind < 6 ? (float) random.nextGaussian() : kind < 8 ? Math.round(random.nextGaussian())
                        : kind == 8 ? -0f : SPECIAL[random.nextInt(SPECIAL.length)];
            }
            float[] es = new float[n * c * (h / 2) * (w / 2)];
            for (int i = 0; i < es.length; i++) {
                es[i] = random.nextInt(8) == 0 ? -0f : (float) random.nextGaussian();
            }
            INDArray x = Nd4j.createFromArray(xs).reshape(n, c, h, w);
            INDArray eps = Nd4j.createFromArray(es).reshape(n, c, h / 2, w / 2);
            INDArray expected = libNd4j(x, eps);
            INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, n, c, h, w);
            assertTrue(MaxPoolingGradient.applies(x, eps, TWO, TWO, ZERO, ONE));
            MaxPoolingGradient.compute(x, eps, grad);
            assertArrayEquals(bits(expected), bits(grad), "shape " + java.util.Arrays.toString(shape));
            // the input, epsilon and gradient as views into larger arrays
            INDArray xView = Nd4j.zeros(DataType.FLOAT, 2L * n, c, h, w).get(NDArrayIndex.interval(0, 2, 2L * n));
            xView.assign(x);
            INDArray epsView = Nd4j.zeros(DataType.FLOAT, n, c, h / 2, w / 2 + 1)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, w / 2));
            epsView.assign(eps);
            INDArray gradView = Nd4j.zeros(DataType.FLOAT, n, c + 1, h, w)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(1, c + 1));
            MaxPoolingGradient.compute(xView, epsView, gradView);
            assertArrayEquals(bits(expected), bits(gradView), "views, shape " + java.util.Arrays.toString(shape));
        }
    }

    @Test
    void otherPoolingsAreLeftToLibNd4j() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        INDArray eps = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4);
        assertTrue(MaxPoolingGradient.applies(x, eps, TWO, TWO, ZERO, ONE));
        assertFalse(MaxPoolingGradient.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 7, 7), TWO, new int[] {1, 1}, ZERO, ONE));
        assertFalse(MaxPoolingGradient.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 2, 2), new int[] {3, 3},
                new int[] {3, 3}, ZERO, ONE));
        assertFalse(MaxPoolingGradient.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 5, 5), TWO, TWO, ONE, ONE));
        assertFalse(MaxPoolingGradient.applies(x, eps, TWO, TWO, ZERO, TWO));
        assertFalse(MaxPoolingGradient.applies(x.castTo(DataType.DOUBLE), eps.castTo(DataType.DOUBLE), TWO, TWO, ZERO, ONE));
        System.setProperty(MaxPoolingGradient.LIBND4J_PROPERTY, "true");
        try {
            assertFalse(MaxPoolingGradient.applies(x, eps, TWO, TWO, ZERO, ONE));
        } finally {
            System.clearProperty(MaxPoolingGradient.LIBND4J_PROPERTY);
        }
    }

    /** libnd4j's own {@code maxpool2d_bp}, oneDNN kept out, as {@link LibNd4jMaxPoolingLayer} ran it before. */
    private static INDArray libNd4j(INDArray x, INDArray eps) {
        INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        Pooling2DConfig config = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
        Pooling2DDerivative op = new Pooling2DDerivative(x, eps, grad, config);
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.allowHelpers(false);
            context.setInputArrays(x, eps);
            context.setOutputArrays(grad);
            context.setIArguments(op.iArgs());
            Nd4j.getExecutioner().exec(op, context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return grad;
    }

    private static int[] bits(INDArray a) {
        float[] values = a.dup('c').reshape(-1).toFloatVector();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
