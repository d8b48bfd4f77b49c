package io.readout.common.nets;

import org.junit.jupiter.api.Test;
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
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxPooling2x2Test {
    private static final int[] TWO = {2, 2};
    private static final int[] ZERO = {0, 0};
    private static final int[] ONE = {1, 1};
    /** Values where libnd4j's search is easy to get wrong: signed zeros, NaNs, infinities, its starting value. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0xffc00000),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, Math.nextUp(-Float.MAX_VALUE),
            MaxPooling2x2.SEARCH_START, Math.nextUp(MaxPooling2x2.SEARCH_START), Float.MAX_VALUE, Float.MIN_VALUE,
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
        assertTrue(MaxPooling2x2.applies(x, eps, TWO, TWO, ZERO, ONE));
        MaxPooling2x2.backward(x, eps, grad);
        // window 1: 3 at (0,1) before the 3 at (1,0); window 2: all 2, the first; window 3: -0 and 0 are equal, the
        // first, and -0 as epsilon arrives as 0 + -0 = +0; window 4: NaN is never chosen, -5 is;
        // windows 5 and 6: nothing above libnd4j's start, -3.402823e38, the first entry
        assertArrayEquals(new float[] {
                0, 10, /**/ 20, 0,
                0, 0, /**/ 0, 0,
                0f, 0, /**/ 0, 40,
                0, 0, /**/ 0, 0,
                50, 0, /**/ 60, 0,
                0, 0, /**/ 0, 0}, grad.reshape(-1).toFloatVector());
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(grad.getFloat(0, 0, 2, 0)), "0 + -0 is +0");
        // forward: the first maximum's own value (-0 stays -0), the start where nothing is above it
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, 3, 2);
        byte[] maxima = forwardBothWays(x, out, null);
        assertArrayEquals(new float[] {3, 2, -0f, -5, -3.402823e38f, -3.402823e38f}, out.reshape(-1).toFloatVector());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(out.getFloat(0, 0, 1, 0)), "-0 pools to -0");
        assertArrayEquals(new byte[] {1, 0, 0, 1, 0, 0}, maxima);
        INDArray fromMaxima = Nd4j.createUninitialized(DataType.FLOAT, 1, 1, 6, 4);
        MaxPooling2x2.backward(maxima, eps, fromMaxima);
        assertArrayEquals(grad.reshape(-1).toFloatVector(), fromMaxima.reshape(-1).toFloatVector());
    }

    @Test
    void theTournamentOfKeysIsLibNd4jsSearchInOrderForEveryQuadrupleOfSpecialValues() {
        int n = SPECIAL.length;
        for (int i = 0; i < n * n * n * n; i++) {
            float[] v = {SPECIAL[i % n], SPECIAL[i / n % n], SPECIAL[i / (n * n) % n], SPECIAL[i / (n * n * n)]};
            int expected = 0;
            float largest = -3.402823e38f; // libnd4j's -DataTypeUtils::max<float>()
            for (int k = 0; k < 4; k++) {
                if (v[k] > largest) {
                    largest = v[k];
                    expected = k;
                }
            }
            int actual = MaxPooling2x2.firstMaximum(MaxPooling2x2.key(v[0]), MaxPooling2x2.key(v[1]),
                    MaxPooling2x2.key(v[2]), MaxPooling2x2.key(v[3]));
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
            assertTrue(MaxPooling2x2.applies(x, eps, TWO, TWO, ZERO, ONE));
            MaxPooling2x2.backward(x, eps, grad);
            String what = "shape " + java.util.Arrays.toString(shape);
            assertArrayEquals(bits(expected), bits(grad), what);
            INDArray pooled = Nd4j.createUninitialized(DataType.FLOAT, eps.shape());
            byte[] maxima = forwardBothWays(x, pooled, new byte[3]); // too short: a new array
            if (!pooled.isEmpty()) { // libnd4j refuses an output without windows
                assertArrayEquals(bits(libNd4jForward(x)), bits(pooled), "forward, " + what);
            }
            INDArray fromMaxima = Nd4j.createUninitialized(DataType.FLOAT, n, c, h, w);
            MaxPooling2x2.backward(maxima, eps, fromMaxima);
            assertArrayEquals(bits(expected), bits(fromMaxima), "from the forward pass's maxima, " + what);
            // the input, epsilon and gradient as views into larger arrays
            INDArray xView = Nd4j.zeros(DataType.FLOAT, 2L * n, c, h, w).get(NDArrayIndex.interval(0, 2, 2L * n));
            xView.assign(x);
            INDArray epsView = Nd4j.zeros(DataType.FLOAT, n, c, h / 2, w / 2 + 1)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, w / 2));
            epsView.assign(eps);
            INDArray gradView = Nd4j.zeros(DataType.FLOAT, n, c + 1, h, w)
                    .get(NDArrayIndex.all(), NDArrayIndex.interval(1, c + 1));
            MaxPooling2x2.backward(xView, epsView, gradView);
            assertArrayEquals(bits(expected), bits(gradView), "views, " + what);
            INDArray pooledView = Nd4j.zeros(DataType.FLOAT, n, c, h / 2 + 1, w / 2)
                    .get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(1, h / 2 + 1));
            forwardBothWays(xView, pooledView, null);
            assertArrayEquals(bits(pooled), bits(pooledView), "forward into a view, " + what);
        }
    }

    @Test
    void theVectorForwardPassIsTheScalarOneToTheBitOnEveryWidth() {
        assertTrue(MaxPooling2x2.vectorized(), "the tests' JVM has jdk.incubator.vector (readout.jvm.opens)");
        Random random = new Random(5);
        // widths below, at and past one and two vectors of 8 and 16 floats, odd ones leaving a column out
        for (int w : new int[] {1, 2, 3, 7, 8, 14, 15, 16, 17, 28, 31, 32, 33, 56}) {
            int n = 3, c = 2, h = 5;
            float[] xs = new float[n * c * h * w];
            for (int i = 0; i < xs.length; i++) {
                int kind = random.nextInt(6);
                xs[i] = kind < 3 ? (float) random.nextGaussian() : kind < 5 ? Math.round(random.nextGaussian())
                        : SPECIAL[random.nextInt(SPECIAL.length)];
            }
            INDArray x = Nd4j.createFromArray(xs).reshape(n, c, h, w);
            INDArray pooled = Nd4j.createUninitialized(DataType.FLOAT, n, c, h / 2, w / 2);
            forwardBothWays(x, pooled, null);
        }
    }

    /**
     * The forward pass on the scalar loop and on the vector API (when this JVM has it): the same outputs and first
     * maxima to the bit; returns the maxima.
     */
    private static byte[] forwardBothWays(INDArray x, INDArray pooled, byte[] firstMaxima) {
        INDArray scalarOut = pooled.ulike();
        String before = System.getProperty(MaxPooling2x2.VECTOR_PROPERTY);
        byte[] scalar;
        try {
            System.setProperty(MaxPooling2x2.VECTOR_PROPERTY, "false");
            assertFalse(MaxPooling2x2.vectorized());
            scalar = MaxPooling2x2.forward(x, scalarOut, firstMaxima == null ? null : firstMaxima.clone());
        } finally {
            if (before == null) {
                System.clearProperty(MaxPooling2x2.VECTOR_PROPERTY);
            } else {
                System.setProperty(MaxPooling2x2.VECTOR_PROPERTY, before);
            }
        }
        byte[] maxima = MaxPooling2x2.forward(x, pooled, firstMaxima);
        String what = "shape " + java.util.Arrays.toString(x.shape()) + ", vector path " + MaxPooling2x2.vectorized();
        assertArrayEquals(bits(scalarOut), bits(pooled), what);
        int windows = (int) pooled.length();
        assertArrayEquals(java.util.Arrays.copyOf(scalar, windows), java.util.Arrays.copyOf(maxima, windows), what);
        return maxima;
    }

    @Test
    void otherPoolingsAreLeftToLibNd4j() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8);
        INDArray eps = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4);
        assertTrue(MaxPooling2x2.applies(x, eps, TWO, TWO, ZERO, ONE));
        assertFalse(MaxPooling2x2.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 7, 7), TWO, new int[] {1, 1}, ZERO, ONE));
        assertFalse(MaxPooling2x2.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 2, 2), new int[] {3, 3},
                new int[] {3, 3}, ZERO, ONE));
        assertFalse(MaxPooling2x2.applies(x, Nd4j.rand(DataType.FLOAT, 2, 3, 5, 5), TWO, TWO, ONE, ONE));
        assertFalse(MaxPooling2x2.applies(x, eps, TWO, TWO, ZERO, TWO));
        assertFalse(MaxPooling2x2.applies(x.castTo(DataType.DOUBLE), eps.castTo(DataType.DOUBLE), TWO, TWO, ZERO, ONE));
        System.setProperty(MaxPooling2x2.LIBND4J_PROPERTY, "true");
        try {
            assertFalse(MaxPooling2x2.applies(x, eps, TWO, TWO, ZERO, ONE));
        } finally {
            System.clearProperty(MaxPooling2x2.LIBND4J_PROPERTY);
        }
    }

    private static final Pooling2DConfig CONFIG = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0)
            .dH(1).dW(1).paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();

    /** libnd4j's own {@code maxpool2d_bp}, oneDNN kept out, as {@link LibNd4jMaxPoolingLayer} ran it before. */
    private static INDArray libNd4j(INDArray x, INDArray eps) {
        INDArray grad = Nd4j.createUninitialized(DataType.FLOAT, x.shape());
        return run(new Pooling2DDerivative(x, eps, grad, CONFIG), grad, x, eps);
    }

    /** libnd4j's own {@code maxpool2d}, oneDNN kept out. */
    private static INDArray libNd4jForward(INDArray x) {
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, x.size(0), x.size(1), x.size(2) / 2, x.size(3) / 2);
        return run(new MaxPooling2D(x, out, CONFIG), out, x);
    }

    private static INDArray run(DynamicCustomOp op, INDArray output, INDArray... inputs) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.allowHelpers(false);
            context.setInputArrays(inputs);
            context.setOutputArrays(output);
            context.setIArguments(op.iArgs());
            Nd4j.getExecutioner().exec(op, context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return output;
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
