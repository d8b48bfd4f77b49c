package io.readout.jobs.report;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backward walk of {@link ClassLogitGradient}, checked at the network's input, where it is easiest to check. */
class ClassLogitGradientTest {

    /** input(W's rows) → softmax output(W's columns), logits x·W + b. */
    static ComputationGraph linear(float[][] w, float[] b) {
        ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("input")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(w.length)
                        .nOut(b.length).activation(Activation.SOFTMAX).build(), "input")
                .setOutputs("output").build());
        net.init();
        net.getLayer("output").setParam("W", Nd4j.create(w));
        net.getLayer("output").setParam("b", Nd4j.create(new float[][] {b}));
        return net;
    }

    /** input(3) → softmax output(2): logit_c = x·W[:, c] + b_c, so d logit_c / dx is W's column c. */
    private static ComputationGraph singleLayer() {
        return linear(new float[][] {{1f, -2f}, {0.5f, 3f}, {-4f, 0f}}, new float[] {0.1f, -0.1f});
    }

    @Test
    void aSingleLayersGradientIsTheWeightColumnOfTheClass() {
        ComputationGraph net = singleLayer();
        INDArray x = Nd4j.create(new float[][] {{0.2f, 0.7f, 0.1f}, {0.9f, 0.3f, 0.5f}});
        INDArray g = ClassLogitGradient.at(net, x, new int[] {0, 1}, "input").gradient();
        assertArrayEquals(new float[] {1f, 0.5f, -4f}, g.getRow(0).toFloatVector(), 1e-6f);
        assertArrayEquals(new float[] {-2f, 3f, 0f}, g.getRow(1).toFloatVector(), 1e-6f);
        // The same example asked for the other class gives the other column.
        INDArray other = ClassLogitGradient.at(net, x, new int[] {1, 0}, "input").gradient();
        assertArrayEquals(new float[] {-2f, 3f, 0f}, other.getRow(0).toFloatVector(), 1e-6f);
        // The model itself keeps its loss.
        assertInstanceOf(LossMCXENT.class, ((BaseOutputLayer) net.getLayer("output").conf().getLayer()).getLossFn());
    }

    @Test
    void predictTakesTheArgmaxOfTheMainOutput() {
        ComputationGraph net = singleLayer();
        // logits: row 0: 0.2-... class 0: 0.2+0.35-0.4+0.1 = 0.25, class 1: -0.4+2.1+0-0.1 = 1.6 → 1
        // row 1: class 0: 0.9+0.15-2.0+0.1 = -0.85, class 1: -1.8+0.9-0.1 = -1.0 → 0
        INDArray x = Nd4j.create(new float[][] {{0.2f, 0.7f, 0.1f}, {0.9f, 0.3f, 0.5f}});
        assertArrayEquals(new int[] {1, 0}, ClassLogitGradient.predict(net, x));
    }

    /** The benchmark student with an early readout: the gradient matches central differences of the main logit. */
    @Test
    void aCnnWithAReadoutMatchesFiniteDifferencesOfItsMainLogit() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "adam", 1e-3, 0, 7)
                .withActivation("tanh").withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3)))
                .convertDataType(DataType.DOUBLE);
        Random r = new Random(3);
        double[] pixels = new double[64];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextDouble();
        }
        INDArray x = Nd4j.create(pixels, new long[] {1, 1, 8, 8}, DataType.DOUBLE);
        int c = 1;
        ClassLogitGradient.AtVertex at = ClassLogitGradient.at(net, x, new int[] {c}, Networks.INPUT);
        assertEquals(x, at.activations());
        double[] analytic = at.gradient().reshape(64).toDoubleVector();
        double h = 1e-5;
        double maxAbs = 0;
        for (int p = 0; p < 64; p++) {
            INDArray plus = x.dup();
            plus.putScalar(new long[] {0, 0, p / 8, p % 8}, pixels[p] + h);
            INDArray minus = x.dup();
            minus.putScalar(new long[] {0, 0, p / 8, p % 8}, pixels[p] - h);
            double numeric = (logit(net, plus, c) - logit(net, minus, c)) / (2 * h);
            assertEquals(numeric, analytic[p], 1e-6 + 1e-4 * Math.abs(numeric), "pixel " + p);
            maxAbs = Math.max(maxAbs, Math.abs(numeric));
        }
        assertTrue(maxAbs > 1e-3, "a gradient that is not all zeros: " + maxAbs);
    }

    /** The main output's logit: the dense layer's activations through the output layer's W and b. */
    private static double logit(ComputationGraph net, INDArray x, int c) {
        INDArray dense = net.feedForward(x, false).get(Networks.DENSE);
        INDArray w = net.getLayer(Networks.OUTPUT).getParam("W");
        INDArray b = net.getLayer(Networks.OUTPUT).getParam("b");
        return dense.mmul(w).addRowVector(b).getDouble(0, c);
    }
}
