package io.readout.common.nets;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Initial parameters come from the seed alone, with DL4J's distributions. */
class InitialParametersTest {
    private static ComputationGraph student(long seed) {
        return Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, seed));
    }

    @Test
    void theSameSeedGivesTheSameNetworkAnotherSeedAnother() {
        float[] a = student(0).params().toFloatVector();
        float[] b = student(0).params().toFloatVector();
        assertArrayEquals(a, b, "two builds from seed 0");
        assertFalse(Arrays.equals(a, student(1).params().toFloatVector()), "seed 1");
    }

    /**
     * The values are java.util.Random's, whose algorithm the JDK specifies: the same on every JVM and CPU. These
     * were read off the first build; a change here changes every model readout has trained.
     */
    @Test
    void theValuesAreThoseOfTheSpecifiedGenerator() {
        INDArray w = student(0).getLayer(Networks.CONV1).getParam("W");
        assertEquals(GOLDEN_CONV1_W0, w.getFloat(0L), 0f);
        assertEquals(GOLDEN_CONV1_W1, w.getFloat(1L), 0f);
    }

    private static final float GOLDEN_CONV1_W0 = -0.4058922f;
    private static final float GOLDEN_CONV1_W1 = -0.060326315f;

    @Test
    void weightsHaveDl4jsScaleAndBiasesAreZero() {
        ComputationGraph net = student(3);
        // conv1: 1 -> 8 channels, 3x3: He, std sqrt(2 / 9).
        assertStd(net.getLayer(Networks.CONV1).getParam("W"), Math.sqrt(2.0 / 9));
        // conv2: 8 -> 16, 3x3: std sqrt(2 / 72).
        assertStd(net.getLayer(Networks.CONV2).getParam("W"), Math.sqrt(2.0 / 72));
        // dense: 16 x 14 x 7 = 1568 -> 32: std sqrt(2 / 1568).
        assertStd(net.getLayer(Networks.DENSE).getParam("W"), Math.sqrt(2.0 / 1568));
        // output: Xavier, 32 -> 2: std sqrt(2 / 34).
        assertStd(net.getLayer(Networks.OUTPUT).getParam("W"), Math.sqrt(2.0 / 34));
        for (String layer : new String[] {Networks.CONV1, Networks.CONV2, Networks.DENSE, Networks.OUTPUT}) {
            assertEquals(0.0, net.getLayer(layer).getParam("b").amaxNumber().doubleValue(), 0.0, layer + " bias");
        }
    }

    /** Sample std within 5 standard errors (std / sqrt(2n)) of the target. */
    private static void assertStd(INDArray w, double expected) {
        double[] v = w.dup().data().asDouble();
        double sum = 0;
        double sq = 0;
        for (double x : v) {
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length;
        double std = Math.sqrt(sq / v.length - mean * mean);
        double se = expected / Math.sqrt(2.0 * v.length);
        assertTrue(Math.abs(std - expected) <= 5 * se, "std " + std + " vs " + expected + " (n " + v.length + ")");
    }

    @Test
    void aHeadLeavesTheRestOfTheNetworkAsItWas() {
        ComputationGraph plain = student(5);
        ComputationGraph withHead = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0,
                5).withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3)));
        for (String layer : new String[] {Networks.CONV1, Networks.CONV2, Networks.DENSE, Networks.OUTPUT}) {
            assertArrayEquals(plain.getLayer(layer).getParam("W").dup().data().asFloat(),
                    withHead.getLayer(layer).getParam("W").dup().data().asFloat(), layer);
        }
    }
}
