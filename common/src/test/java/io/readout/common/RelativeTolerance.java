package io.readout.common;

import io.readout.common.nets.LayerParams;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Comparison of floats that come out of two different computations of the same maths (oneDNN against
 * DL4J's built-in kernels, a fused fit against separate steps, Spark against a sequential oracle): their
 * last bits depend on the order in which the kernels add, and that depends on the CPU. Arrays pass when
 * {@code |expected[i] - actual[i]| <= rtol · scale} for every i, scale being the largest magnitude in either
 * array: the rounding of a sum is relative to its terms, not to an element that happens to be near zero.
 * Callers derive rtol from float32's epsilon ({@link #FLOAT_EPSILON}) times a bound on the accumulation
 * length or the number of steps, and say so where they call it.
 *
 * <p>The same computation run twice in the same way compares exactly ({@code assertArrayEquals(…, 0f)}):
 * that needs no tolerance on any CPU. Shared with the jobs module's tests through this module's test-jar.
 */
public final class RelativeTolerance {
    /** Float32's machine epsilon, 2^-23 = 1.19e-7: the spacing of floats in [1, 2). */
    public static final double FLOAT_EPSILON = Math.ulp(1f);

    private RelativeTolerance() {
    }

    /** As {@link #assertClose(float[], float[], double, String)}, for arrays of the same shape. */
    public static void assertClose(INDArray expected, INDArray actual, double rtol, String what) {
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            fail(what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + Arrays.toString(expected.shape()));
        }
        assertClose(LayerParams.values(expected), LayerParams.values(actual), rtol, what);
    }

    /** Fails naming the first index out of tolerance, both values, their difference and the tolerance. */
    public static void assertClose(float[] expected, float[] actual, double rtol, String what) {
        assertClose(expected, actual, rtol, 0, what);
    }

    /**
     * As {@link #assertClose(float[], float[], double, String)}, with a scale of at least {@code scale}: for
     * values that carry the rounding of larger ones, e.g. a margin between two probabilities.
     */
    public static void assertClose(float[] expected, float[] actual, double rtol, double scale, String what) {
        if (expected.length != actual.length) {
            fail(what + ": " + actual.length + " values, expected " + expected.length);
        }
        double largest = Math.max(scale, Math.max(maxAbs(expected), maxAbs(actual)));
        double tolerance = rtol * largest;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs((double) expected[i] - actual[i]);
            if (!(difference <= tolerance)) {
                fail(String.format("%s: index [%d]: expected <%s> but was <%s>: |difference| %.3e > tolerance %.3e"
                        + " (rtol %.3e × scale %.4g)", what, i, expected[i], actual[i], difference, tolerance, rtol,
                        largest));
            }
        }
    }

    /** One value: {@code |expected - actual| <= rtol · max(|expected|, |actual|)}. */
    public static void assertClose(double expected, double actual, double rtol, String what) {
        double difference = Math.abs(expected - actual);
        double tolerance = rtol * Math.max(Math.abs(expected), Math.abs(actual));
        if (!(difference <= tolerance)) {
            fail(String.format("%s: expected <%s> but was <%s>: |difference| %.3e > tolerance %.3e (rtol %.3e)",
                    what, expected, actual, difference, tolerance, rtol));
        }
    }

    /** {@code max_i |a[i] - b[i]|} over the largest magnitude in either array (0 when both are all zeros). */
    public static double maxRelativeDifference(float[] a, float[] b) {
        double largest = Math.max(maxAbs(a), maxAbs(b));
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return largest == 0 ? max : max / largest;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
