package io.readout.common.sifer;

import io.readout.common.BarsProblem;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static io.readout.common.nets.LayerParams.snapshot;
import static io.readout.common.nets.LayerParams.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIFER's forgetting step: what the forget graph is, that a step moves the early layers and nothing
 * else, that it is one plain SGD step on the uniform cross-entropy, and that loss's values by hand.
 */
class ForgettingStepTest {
    private static final double FORGET_LR = 1e-2;
    /** SIFER's default aux head: linear on block1, SGD with momentum 0.9 at aux-lr 1e-2. */
    private static final ReadoutHead AUX = ReadoutHead.linear(Networks.BLOCK1, "nesterovs", 1e-2);
    private static final ReadoutHead DEEP_AUX = ReadoutHead.linear(Networks.BLOCK2, "nesterovs", 1e-2).withBlocks(2, 4);

    /** The student CNN on the bars problem's 1x8x8 images, Adam 1e-3, with {@code head}. */
    private static NetworkConfig student(ReadoutHead head, double weightDecay) {
        return NetworkConfig.image(Architecture.STUDENT, 1, BarsProblem.SIDE, BarsProblem.SIDE, BarsProblem.CLASSES,
                "adam", 1e-3, weightDecay, 5).withReadout(head);
    }

    private static NetworkConfig mlp(ReadoutHead head) {
        return NetworkConfig.vector(Architecture.STUDENT, 5, 3, "adam", 1e-3, 1e-2, 5).withReadout(head);
    }

    private static MultiDataSet joint(DataSet d) {
        return new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels(), d.getLabels()});
    }

    private static BaseLayer layerConf(ComputationGraphConfiguration conf, String name) {
        return (BaseLayer) ((LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer();
    }

    @Test
    void theForgetGraphIsTheEarlyLayersAndTheHeadWithoutTheStopGradient() {
        ComputationGraphConfiguration linear = ForgettingStep.configuration(
                Networks.configuration(student(AUX, 1e-2)), FORGET_LR);
        assertEquals(Set.of(Networks.CONV1, Networks.BLOCK1, Networks.READOUT), linear.getVertices().keySet());
        assertEquals(List.of(Networks.BLOCK1), linear.getVertexInputs().get(Networks.READOUT));
        assertEquals(List.of(Networks.READOUT), linear.getNetworkOutputs());
        assertEquals(new Sgd(FORGET_LR), layerConf(linear, Networks.CONV1).getIUpdater());
        assertEquals(new Sgd(0), layerConf(linear, Networks.READOUT).getIUpdater());
        for (String layer : List.of(Networks.CONV1, Networks.READOUT)) {
            assertEquals(List.of(), layerConf(linear, layer).getRegularization(), "no weight decay on " + layer);
            assertEquals(List.of(), layerConf(linear, layer).getRegularizationBias(), "no weight decay on " + layer);
        }

        ForgettingStep deep = ForgettingStep.of(Networks.configuration(student(DEEP_AUX, 0)), FORGET_LR);
        assertEquals(List.of(Networks.CONV1, Networks.CONV2), deep.earlyLayers());
        assertEquals(List.of(Networks.READOUT_BLOCK + 1, Networks.READOUT_BLOCK + 2, Networks.READOUT), deep.headLayers());
        assertEquals(List.of(Networks.BLOCK2),
                deep.graph().getConfiguration().getVertexInputs().get(Networks.READOUT_BLOCK + 1));
        assertFalse(deep.graph().getConfiguration().getVertices().containsKey(Networks.DENSE));

        ForgettingStep dense = ForgettingStep.of(Networks.configuration(mlp(AUX)), FORGET_LR);
        assertEquals(List.of(Networks.BLOCK1), dense.earlyLayers());
        assertEquals(List.of(Networks.READOUT), dense.headLayers());

        IllegalArgumentException noHead = assertThrows(IllegalArgumentException.class,
                () -> ForgettingStep.configuration(Networks.configuration(student(null, 0)), FORGET_LR));
        assertTrue(noHead.getMessage().contains("no aux head"), noHead.getMessage());
    }

    /** The proof: a forget-only step changes the early layers, and leaves the head, the layers above and the updater alone. */
    @Test
    void aForgettingStepMovesTheEarlyLayersAndNothingElse() {
        for (NetworkConfig c : List.of(student(AUX, 1e-2), student(DEEP_AUX, 1e-2), mlp(AUX))) {
            ComputationGraph net = Networks.build(c);
            DataSet d = c.isImage() ? BarsProblem.examples(32, 1)
                    : new DataSet(Nd4j.rand(DataType.FLOAT, 16, 5), Nd4j.eye(3).getRows(new int[16]).castTo(DataType.FLOAT));
            net.fit(joint(d)); // a learned step first: the updater holds momentum and Adam moments
            ForgettingStep step = ForgettingStep.of(net.getConfiguration(), FORGET_LR);
            Map<String, float[]> before = snapshot(net);
            float[] updater = values(net.getUpdater().getStateViewArray());
            int iterations = net.getConfiguration().getIterationCount();

            double loss = step.apply(net, d.getFeatures());

            assertTrue(loss >= Math.log(c.numClasses()) - 1e-6, "CE to uniform is at least ln C: " + loss);
            for (Map.Entry<String, float[]> layer : before.entrySet()) {
                float[] after = values(net.getLayer(layer.getKey()).params());
                if (step.earlyLayers().contains(layer.getKey())) {
                    assertFalse(Arrays.equals(layer.getValue(), after), c.readout() + ": " + layer.getKey() + " forgot");
                } else {
                    assertArrayEquals(layer.getValue(), after, 0f, c.readout() + ": " + layer.getKey());
                }
            }
            assertTrue(step.headLayers().contains(Networks.READOUT));
            assertArrayEquals(updater, values(net.getUpdater().getStateViewArray()), 0f, "the updater state");
            assertEquals(iterations, net.getConfiguration().getIterationCount());
        }
    }

    /**
     * The step is one SGD step at forget-lr on -(1/C)·Σ_k log softmax_k(aux): the network with an identity in
     * place of the stop-gradient, the main loss masked out and uniform labels on the head gives the gradient.
     */
    @Test
    void theStepIsOneSgdStepOnTheUniformCrossEntropy() {
        for (ReadoutHead head : List.of(AUX, DEEP_AUX)) {
            ComputationGraph net = Networks.build(student(head, 0));
            ComputationGraphConfiguration openConf = net.getConfiguration().clone();
            openConf.getVertices().put(Networks.READOUT_STOP, new ScaleVertex(1.0));
            ComputationGraph open = new ComputationGraph(openConf);
            open.init(net.params().dup(), false);
            DataSet d = BarsProblem.examples(16, 2);
            long n = d.numExamples();
            open.setInputs(d.getFeatures());
            open.setLabels(d.getLabels(), ForgettingStep.uniformTargets(n, BarsProblem.CLASSES));
            open.setLayerMaskArrays(null, new INDArray[] {Nd4j.zeros(DataType.FLOAT, n, 1), null});
            open.computeGradientAndScore();
            Map<String, INDArray> gradient = open.gradient().gradientForVariable();

            ForgettingStep step = ForgettingStep.of(net.getConfiguration(), FORGET_LR);
            Map<String, INDArray> before = new LinkedHashMap<>();
            for (String layer : step.earlyLayers()) {
                for (String p : List.of("W", "b")) {
                    before.put(layer + "_" + p, net.getLayer(layer).getParam(p).dup());
                }
            }
            double loss = step.apply(net, d.getFeatures());

            // open runs DL4J's built-in kernels, the step oneDNN's, which add in another order: a sum of N products
            // then moves by up to N·eps. The loss passes through sums of at most 16·9 = 144 (DEEP_AUX's first block;
            // observed: equal, AVX2 and SSE4.1).
            assertClose(open.score(), loss, 144 * FLOAT_EPSILON, "the loss the step descends");
            for (Map.Entry<String, INDArray> p : before.entrySet()) {
                INDArray g = gradient.get(p.getKey());
                assertTrue(g.norm1Number().doubleValue() > 0, p.getKey() + " has a gradient");
                String[] layerAndParam = p.getKey().split("_");
                INDArray actual = net.getLayer(layerAndParam[0]).getParam(layerAndParam[1]);
                // DL4J's gradient is summed over the minibatch; its updater divides by n (the loss is the mean).
                INDArray expectedStep = g.mul(FORGET_LR / n);
                // Gradient sums of up to 16·8·8 = 1024 products (conv1's): 1024 eps of the step; and before - after
                // holds after's rounding, an ulp of the largest parameter, largest / step eps of the step (observed:
                // biases 6 eps apart with AVX2, 2 with SSE4.1; weights within half an ulp of the largest).
                double largest = p.getValue().amaxNumber().doubleValue();
                double rtol = (1024 + largest / expectedStep.amaxNumber().doubleValue()) * FLOAT_EPSILON;
                assertClose(expectedStep, p.getValue().sub(actual), rtol,
                        head + ": " + p.getKey() + ": before - after = forget-lr · gradient / n");
            }
        }
    }

    private static ILossFunction uniformLoss() {
        ComputationGraphConfiguration conf = ForgettingStep.configuration(
                Networks.configuration(student(AUX, 0)), FORGET_LR);
        return ((OutputLayer) ((LayerVertex) conf.getVertices().get(Networks.READOUT)).getLayerConf().getLayer())
                .getLossFn();
    }

    /** Two classes, logits z = (0, ln 3): softmax = (1/4, 3/4). */
    @Test
    void theUniformLossAndItsGradientByHandForTwoClasses() {
        INDArray z = Nd4j.createFromArray(new float[][] {{0f, (float) Math.log(3)}});
        INDArray uniform = ForgettingStep.uniformTargets(1, 2);
        assertArrayEquals(new float[] {0.5f, 0.5f}, values(uniform), 0f);
        // loss = -(1/2)(ln 1/4 + ln 3/4) = (ln 16 - ln 3)/2 = (2.7725887 - 1.0986123)/2 = 0.8369882
        assertEquals(0.8369882, uniformLoss().computeScore(uniform, z.dup(), new ActivationSoftmax(), null, true), 1e-6);
        // d/dz = softmax(z) - 1/2 = (1/4 - 1/2, 3/4 - 1/2) = (-0.25, 0.25)
        INDArray grad = uniformLoss().computeGradient(uniform, z.dup(), new ActivationSoftmax(), null);
        assertArrayEquals(new float[] {-0.25f, 0.25f}, values(grad), 1e-6f);
    }

    /** Three classes, two examples: z = (0, 0, ln 2), softmax (1/4, 1/4, 1/2); and z = (1, 1, 1), softmax uniform. */
    @Test
    void theUniformLossAndItsGradientByHandForThreeClasses() {
        INDArray z = Nd4j.createFromArray(new float[][] {{0f, 0f, (float) Math.log(2)}, {1f, 1f, 1f}});
        INDArray uniform = ForgettingStep.uniformTargets(2, 3);
        // Example 1: -(1/3)(ln 1/4 + ln 1/4 + ln 1/2) = (1/3)(2 ln 4 + ln 2) = (5/3) ln 2 = 1.1552453
        // Example 2: -(1/3)·3·ln(1/3) = ln 3 = 1.0986123, the least the loss can be: nothing left to forget.
        INDArray perExample = uniformLoss().computeScoreArray(uniform, z.dup(), new ActivationSoftmax(), null);
        assertArrayEquals(new float[] {1.1552453f, 1.0986123f}, values(perExample), 1e-6f);
        // The minibatch loss is the mean: (1.1552453 + 1.0986123)/2 = 1.1269288
        assertEquals(1.1269288, uniformLoss().computeScore(uniform, z.dup(), new ActivationSoftmax(), null, true), 1e-6);
        // d/dz = softmax(z) - 1/3: (1/4 - 1/3, 1/4 - 1/3, 1/2 - 1/3) = (-1/12, -1/12, 1/6); and 0 for uniform logits.
        INDArray grad = uniformLoss().computeGradient(uniform, z.dup(), new ActivationSoftmax(), null);
        assertArrayEquals(new float[] {-1f / 12, -1f / 12, 1f / 6, 0f, 0f, 0f}, values(grad), 1e-6f);
    }
}
