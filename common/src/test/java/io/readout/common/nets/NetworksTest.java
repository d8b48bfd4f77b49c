package io.readout.common.nets;

import io.readout.common.BadInputException;
import io.readout.common.BarsProblem;
import io.readout.common.distill.DistillationLabels;
import io.readout.common.distill.DistillationLoss;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark networks, checked against parameter counts and activation shapes worked out by hand. */
class NetworksTest {

    private static long params(ComputationGraph net, String layer) {
        return net.getLayer(layer).numParams();
    }

    @Test
    void teacherOnDominoesHasTheSpecifiedLayers() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.TEACHER, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
        // conv 3x3 1->32: 9*1*32 + 32; conv 3x3 32->64: 9*32*64 + 64;
        // after two 2x2 pools 56x28 -> 14x7, so dense 64*14*7 -> 128: 6272*128 + 128; output 128*2 + 2.
        assertEquals(320, params(net, Networks.CONV1));
        assertEquals(18_496, params(net, Networks.CONV2));
        assertEquals(802_944, params(net, Networks.DENSE));
        assertEquals(258, params(net, Networks.OUTPUT));
        assertEquals(320 + 18_496 + 802_944 + 258, net.numParams());
    }

    @Test
    void studentIsTheSameShapeWithEightSixteenAndThirtyTwo() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
        assertEquals(9 * 8 + 8, params(net, Networks.CONV1));
        assertEquals(9 * 8 * 16 + 16, params(net, Networks.CONV2));
        assertEquals(16 * 14 * 7 * 32 + 32, params(net, Networks.DENSE));
        assertEquals(32 * 2 + 2, params(net, Networks.OUTPUT));
    }

    @Test
    void block1IsTheFirstBlockAfterItsPooling() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 7));
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 56, 28);
        Map<String, INDArray> acts = net.feedForward(x, false);
        // The aux heads of the benchmarks read 8 x 28 x 14 = 3,136 values per example for the student.
        assertArrayEquals(new long[] {3, 8, 28, 14}, acts.get(Networks.BLOCK1).shape());
        assertArrayEquals(new long[] {3, 16, 14, 7}, acts.get(Networks.BLOCK2).shape());
        INDArray out = acts.get(Networks.OUTPUT);
        assertArrayEquals(new long[] {3, 2}, out.shape());
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, out.getRow(i).sumNumber().doubleValue(), 1e-5);
        }
    }

    @Test
    void threeChannelInputsAndManyClasses() {
        ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.STUDENT, 3, 28, 28, 10, "sgd", 0.1, 0, 0));
        assertEquals(9 * 3 * 8 + 8, params(net, Networks.CONV1));
        assertArrayEquals(new long[] {2, 10}, net.outputSingle(Nd4j.rand(DataType.FLOAT, 2, 3, 28, 28)).shape());
    }

    @Test
    void mlpForFeatureVectors() {
        ComputationGraph net = Networks.build(NetworkConfig.vector(Architecture.STUDENT, 5, 3, "adam", 1e-3, 1e-4, 0));
        // block1: 5 -> 32; block2: 32 -> 64; dense: 64 -> 32; output: 32 -> 3.
        assertEquals(5 * 32 + 32, params(net, Networks.BLOCK1));
        assertEquals(32 * 64 + 64, params(net, Networks.BLOCK2));
        assertEquals(64 * 32 + 32, params(net, Networks.DENSE));
        assertEquals(32 * 3 + 3, params(net, Networks.OUTPUT));
        assertArrayEquals(new long[] {4, 3}, net.outputSingle(Nd4j.rand(DataType.FLOAT, 4, 5)).shape());
    }

    @Test
    void tokensGoThroughAnEmbeddingBagIntoTheMlp() {
        ComputationGraph net = Networks.build(NetworkConfig.tokens(Architecture.STUDENT, 6, 50, 3, "adam", 1e-3, 1e-4, 0));
        // embed: 50 ids x 16 (2·c1); block1: 16 -> 32; block2: 32 -> 64; dense: 64 -> 32; output: 32 -> 3.
        assertEquals(List.of(Networks.EMBED), net.getConfiguration().getVertexInputs().get(Networks.BLOCK1));
        assertEquals(50 * 16, params(net, Networks.EMBED));
        assertEquals(16 * 32 + 32, params(net, Networks.BLOCK1));
        assertEquals(32 * 64 + 64, params(net, Networks.BLOCK2));
        assertEquals(64 * 32 + 32, params(net, Networks.DENSE));
        assertEquals(32 * 3 + 3, params(net, Networks.OUTPUT));
        INDArray ids = Nd4j.createFromArray(new float[][] {{3, 7, 49, 0, 0, 0}, {0, 0, 0, 0, 0, 0}});
        Map<String, INDArray> acts = net.feedForward(ids, false);
        assertArrayEquals(new long[] {2, 16}, acts.get(Networks.EMBED).shape());
        assertArrayEquals(new long[] {2, 32}, acts.get(Networks.BLOCK1).shape());
        assertArrayEquals(new long[] {2, 3}, acts.get(Networks.OUTPUT).shape());
        NetworkConfig c = NetworkConfig.tokens(Architecture.STUDENT, 6, 50, 3, "adam", 1e-3, 0, 0);
        assertTrue(c.isTokens() && !c.isImage());
        assertTrue(!NetworkConfig.vector(Architecture.STUDENT, 6, 3, "adam", 1e-3, 0, 0).isTokens());
    }

    @Test
    void theSeedFixesTheInitialParameters() {
        NetworkConfig c = NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, 2, "adam", 1e-3, 0, 11);
        assertEquals(Networks.build(c).params(), Networks.build(c).params());
        NetworkConfig other = NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, 2, "adam", 1e-3, 0, 12);
        assertTrue(!Networks.build(c).params().equals(Networks.build(other).params()));
    }

    @Test
    void badSettingsAreOneLineErrors() {
        assertEquals("--lr -1.0 must be a positive number", assertThrows(BadInputException.class,
                () -> NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "adam", -1, 0, 0)).getMessage());
        assertEquals("--updater 'rmsprop' is not one of adam, sgd, nesterovs", assertThrows(BadInputException.class,
                () -> NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "rmsprop", 0.1, 0, 0)).getMessage());
        assertEquals("network input: token ids need a vocabulary size, got 0", assertThrows(BadInputException.class,
                () -> NetworkConfig.tokens(Architecture.STUDENT, 8, 0, 2, "adam", 0.1, 0, 0)).getMessage());
        assertEquals("network input: 16777217 token ids do not fit a float input (at most 16777216)",
                assertThrows(BadInputException.class, () -> NetworkConfig.tokens(Architecture.STUDENT, 8, (1 << 24) + 1,
                        2, "adam", 0.1, 0, 0)).getMessage());
        assertEquals("--arch 'big' is not one of teacher, student",
                assertThrows(BadInputException.class, () -> Architecture.parse("big")).getMessage());
    }

    @Test
    void theActivationComesFromTheConfig() {
        NetworkConfig c = NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "adam", 1e-3, 0, 0).withActivation("tanh");
        ComputationGraph net = Networks.build(c);
        String conv1 = net.getLayer(Networks.CONV1).conf().getLayer().toString();
        assertTrue(conv1.contains("activationFn=tanh"), conv1);
        assertTrue(net.getLayer(Networks.DENSE).conf().getLayer().toString().contains("activationFn=tanh"));
        // Tanh activations stay in (-1, 1), ReLU's do not go below 0.
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8).subi(0.5).muli(20);
        assertTrue(net.feedForward(x, false).get(Networks.CONV1).minNumber().doubleValue() < 0);
        assertEquals("--activation 'swish' is not one of relu, leakyrelu, elu, tanh",
                assertThrows(BadInputException.class, () -> c.withActivation("swish")).getMessage());
    }

    @Test
    void theMainOutputTakesTheLossOfTheConfigAndKeepsItThroughModelSerializer() throws Exception {
        DistillationLoss loss = new DistillationLoss(0.7, 2);
        NetworkConfig c = NetworkConfig.image(Architecture.STUDENT, 1, BarsProblem.SIDE, BarsProblem.SIDE,
                BarsProblem.CLASSES, "adam", 1e-2, 0, 3).withOutputLoss(loss)
                .withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-2));
        ComputationGraph net = Networks.build(c);
        assertEquals(loss, ((OutputLayer) net.getLayer(Networks.OUTPUT).conf().getLayer()).getLossFn());
        String readoutLoss = ((OutputLayer) net.getLayer(Networks.READOUT).conf().getLayer()).getLossFn().toString();
        assertTrue(readoutLoss.contains("LossMCXENT"), "the readout keeps cross-entropy: " + readoutLoss);

        // A DEDIER minibatch: distillation labels for the main output, one-hot labels for the readout.
        DataSet d = BarsProblem.examples(32, 4);
        int[] labels = new int[32];
        float[][] teacher = new float[32][];
        for (int i = 0; i < 32; i++) {
            labels[i] = d.getLabels().getDouble(i, 1) > 0.5 ? 1 : 0;
            teacher[i] = DistillationLabels.soften(new float[] {2 - 4 * labels[i], 4 * labels[i] - 2}, 2);
        }
        MultiDataSet batch = new MultiDataSet(new INDArray[] {d.getFeatures()},
                new INDArray[] {DistillationLabels.of(labels, teacher, 2), d.getLabels()});
        double before = net.score(batch);
        for (int step = 0; step < 20; step++) {
            net.fit(batch);
        }
        double after = net.score(batch);
        assertTrue(after < before, "the joint loss falls: " + before + " -> " + after);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        // Engaged as every restored model is (restore alone leaves DL4J's built-in kernels): the same kernels on
        // the same parameters and data give the same score, to the bit, on any CPU.
        ComputationGraph restored = NativeKernels.engage(
                ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true));
        assertEquals(loss, ((OutputLayer) restored.getLayer(Networks.OUTPUT).conf().getLayer()).getLossFn());
        assertEquals(after, restored.score(batch));
    }
}
