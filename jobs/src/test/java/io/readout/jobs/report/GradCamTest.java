package io.readout.jobs.report;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Grad-CAM checked by hand on a network small enough to work through on paper: a 3×3 grey input, a 2×2
 * convolution with two channels and no activation, then a softmax layer on the flattened 2×2×2 maps.
 *
 * <pre>
 * input x = 1 2 0     conv channel 0 (kernel 1 0 / 0 1):  A0 = 2 5     channel 1 (kernel 0 1 / −1 0):  A1 =  2 −1
 *           0 1 3       A0[i][j] = x[i][j] + x[i+1][j+1]        0 2       A1[i][j] = x[i][j+1] − x[i+1][j]     −1  3
 *           2 0 1
 * </pre>
 * The flattened maps are (A0 row by row, then A1), so ∂logit_c / ∂A is the output weights' column c, laid out as
 * two 2×2 planes. Class 0's column: channel 0 (2 0 / 1 1), channel 1 (−1 −3 / −2 −2), so α = (1, −2) and
 * Σ α_k A_k = A0 − 2·A1 = (−2 7 / 2 −4), ReLU → (0 7 / 2 0); logit 0 = 6 − 3 = 3. Class 1's column: channel 0
 * all −1, channel 1 all 0, so α = (−1, 0), −A0 ≤ 0 everywhere and the map is all zero; logit 1 = −9.
 */
class GradCamTest {
    private static ComputationGraph tiny() {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(3, 3, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(2, 2).stride(1, 1).nOut(2)
                        .activation(Activation.IDENTITY).build(), "input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "conv")
                .setOutputs("output").build());
        net.init();
        net.getLayer("conv").setParam("W", Nd4j.create(new float[] {1, 0, 0, 1, 0, 1, -1, 0}, new long[] {2, 1, 2, 2}, 'c'));
        net.getLayer("conv").setParam("b", Nd4j.zeros(net.getLayer("conv").getParam("b").dataType(), 1, 2));
        net.getLayer("output").setParam("W", Nd4j.create(new float[][] {
            {2, -1}, {0, -1}, {1, -1}, {1, -1},          // channel 0's positions (0,0) (0,1) (1,0) (1,1)
            {-1, 0}, {-3, 0}, {-2, 0}, {-2, 0}}));       // channel 1's
        net.getLayer("output").setParam("b", Nd4j.zeros(net.getLayer("output").getParam("b").dataType(), 1, 2));
        return net;
    }

    private static INDArray x() {
        return Nd4j.create(new float[] {1, 2, 0, 0, 1, 3, 2, 0, 1}, new long[] {1, 1, 3, 3}, 'c');
    }

    @Test
    void theGradientAtTheConvolutionIsTheOutputWeightsOfTheClass() {
        ClassLogitGradient.AtVertex at = ClassLogitGradient.at(tiny(), x(), new int[] {0}, "conv");
        assertArrayEquals(new float[] {2, 5, 0, 2, 2, -1, -1, 3}, at.activations().reshape(8).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {2, 0, 1, 1, -1, -3, -2, -2}, at.gradient().reshape(8).toFloatVector(), 1e-6f);
        assertArrayEquals(new long[] {1, 2, 2, 2}, at.gradient().shape());
    }

    @Test
    void channelWeightsAreTheMeanGradientAndTheMapItsRectifiedSum() {
        double[] alpha = GradCam.channelWeights(new double[] {2, 0, 1, 1, -1, -3, -2, -2}, 2);
        assertArrayEquals(new double[] {1, -2}, alpha, 1e-12);
        assertArrayEquals(new double[] {0, 7, 2, 0}, GradCam.cam(new double[] {2, 5, 0, 2, 2, -1, -1, 3}, alpha), 1e-12);
    }

    @Test
    void theMapOfThePredictedClassUpsampledToTheInputAndScaledToItsMaximum() {
        GradCam.Maps maps = GradCam.compute(tiny(), x(), "conv", ClassLogitGradient.predict(tiny(), x()));
        assertArrayEquals(new int[] {0}, maps.predicted());   // logits 3 and −9
        assertEquals(3, maps.height());
        assertEquals(3, maps.width());
        // (0 7 / 2 0) to 3×3: the corners keep their values, the middle row and column average their neighbours,
        // the centre all four (2.25); then / 7.
        assertArrayEquals(new float[] {0, 3.5f / 7, 1, 1 / 7f, 2.25f / 7, 3.5f / 7, 2 / 7f, 1 / 7f, 0}, maps.maps()[0],
                1e-6f);
    }

    @Test
    void aClassNoChannelSpeaksForHasAnAllZeroMap() {
        GradCam.Maps maps = GradCam.compute(tiny(), x(), "conv", new int[] {1});
        assertArrayEquals(new float[9], maps.maps()[0]);
    }

    @Test
    void bilinearUpsamplingAlignsPixelCentresAndRepeatsTheEdges() {
        // 2×2 → 4×4: output centres fall at −0.25 (clamped to 0), 0.25, 0.75 and 1.25 (clamped to 1) input pixels
        double[] up = GradCam.upsample(new double[] {0, 4, 8, 12}, 2, 2, 4, 4);
        assertArrayEquals(new double[] {
            0, 1, 3, 4,
            2, 3, 5, 6,
            6, 7, 9, 10,
            8, 9, 11, 12}, up, 1e-12);
        // the same size: unchanged; one row to three: copies
        assertArrayEquals(new double[] {1, 2, 3, 4}, GradCam.upsample(new double[] {1, 2, 3, 4}, 2, 2, 2, 2), 1e-12);
        assertArrayEquals(new double[] {5, 5, 5}, GradCam.upsample(new double[] {5}, 1, 1, 3, 1), 1e-12);
    }

    @Test
    void normalisingDividesByTheMaximum() {
        assertArrayEquals(new float[] {0, 0.25f, 1}, GradCam.normalise(new double[] {0, 1, 4}), 1e-7f);
        assertArrayEquals(new float[3], GradCam.normalise(new double[3]));
    }

    @Test
    void theTargetIsTheLastConvolutionOfACnnAndNoneOfAnMlp() {
        ComputationGraph cnn = Networks.build(NetworkConfig.image(Architecture.TEACHER, 1, 8, 8, 2, "adam", 1e-3, 0, 7));
        assertEquals(Networks.CONV2, GradCam.target(cnn));
        ComputationGraph mlp = Networks.build(NetworkConfig.vector(Architecture.STUDENT, 6, 2, "adam", 1e-3, 0, 7));
        assertNull(GradCam.target(mlp));
        assertThrows(IllegalArgumentException.class, () -> GradCam.compute(mlp, Nd4j.rand(1, 6)));
    }

    /** The benchmark student with an early readout: one map per example, the input's size, in [0, 1], top 1 or all 0. */
    @Test
    void aStudentsMapsAreTheInputsSizeAndScaledToOne() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "adam", 1e-3, 0, 7)
                .withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3)));
        Random r = new Random(3);
        float[] pixels = new float[3 * 64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextFloat();
        }
        INDArray x = Nd4j.create(pixels, new long[] {3, 1, 8, 8}, 'c');
        GradCam.Maps maps = GradCam.compute(net, x);
        assertArrayEquals(ClassLogitGradient.predict(net, x), maps.predicted());
        assertEquals(3, maps.maps().length);
        for (float[] m : maps.maps()) {
            assertEquals(64, m.length);
            float max = 0;
            for (float v : m) {
                assertTrue(v >= 0 && v <= 1, "in [0, 1]: " + v);
                max = Math.max(max, v);
            }
            assertTrue(max == 0f || Math.abs(max - 1f) < 1e-6f, "scaled to its maximum: " + max);
        }
    }
}
