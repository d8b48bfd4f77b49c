package io.readout.common.nets;

import io.readout.common.BadInputException;
import io.readout.common.BarsProblem;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.readout.common.nets.LayerParams.name;
import static io.readout.common.nets.LayerParams.snapshot;
import static io.readout.common.nets.LayerParams.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readout heads on the benchmark networks: where they attach, what they add, and the property both
 * methods rely on — the head's loss never moves the main network.
 */
class ReadoutHeadTest {
    /** The student on the bars problem's 1x8x8 images (block1 is 8 x 4 x 4); Adam 1e-3, no weight decay. */
    private static final NetworkConfig STUDENT = NetworkConfig.image(Architecture.STUDENT, 1, BarsProblem.SIDE,
            BarsProblem.SIDE, BarsProblem.CLASSES, "adam", 1e-3, 0, 5);
    /** SIFER's aux head: SGD with momentum, its own learning rate. */
    private static final ReadoutHead AUX = ReadoutHead.linear(Networks.BLOCK1, "nesterovs", 1e-2);

    private static long params(ComputationGraph net, String layer) {
        return net.getLayer(layer).numParams();
    }

    /** Sets every layer {@code to} shares with {@code from} to {@code from}'s parameters. */
    private static void copyShared(ComputationGraph from, ComputationGraph to) {
        for (Layer layer : from.getLayers()) {
            if (layer.numParams() > 0) {
                to.getLayer(name(layer)).setParams(layer.params().dup());
            }
        }
    }

    /** One minibatch whose loss is the readout's alone: the main output's labels are masked out (per example). */
    private static MultiDataSet readoutOnly(DataSet d) {
        long n = d.numExamples();
        return new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels(), d.getLabels()},
                null, new INDArray[] {Nd4j.zeros(DataType.FLOAT, n, 1), null});
    }

    @Test
    void aLinearHeadReadsTheFlattenedBlockBehindAStopGradient() {
        NetworkConfig c = NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 0).withReadout(AUX);
        ComputationGraph net = Networks.build(c);
        ComputationGraphConfiguration conf = net.getConfiguration();
        assertEquals(List.of(Networks.OUTPUT, Networks.READOUT), conf.getNetworkOutputs());
        assertEquals(List.of(Networks.BLOCK1), conf.getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(List.of(Networks.READOUT_STOP), conf.getVertexInputs().get(Networks.READOUT));
        assertTrue(conf.getVertices().get(Networks.READOUT_STOP) instanceof StopGradientVertex);
        // The benchmarks' default head: 8 x 28 x 14 = 3,136 inputs -> 2 classes.
        assertEquals(3_136 * 2 + 2, params(net, Networks.READOUT));
        // The main network is the one without a head.
        assertEquals(Networks.build(c.withReadout(null)).numParams() + 3_136 * 2 + 2, net.numParams());

        INDArray[] out = net.output(Nd4j.rand(DataType.FLOAT, 3, 1, 56, 28));
        assertEquals(2, out.length);
        for (INDArray probs : out) {
            assertArrayEquals(new long[] {3, 2}, probs.shape());
            assertArrayEquals(new float[] {1, 1, 1}, values(probs.sum(1)), 1e-5f);
        }
    }

    @Test
    void aDeeperHeadOnBlock2HasConvBlocksAndAveragePooling() {
        NetworkConfig c = NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 3, "adam", 1e-3, 0, 0)
                .withReadout(ReadoutHead.linear(Networks.BLOCK2, "adam", 1e-3).withBlocks(2, 4));
        ComputationGraph net = Networks.build(c);
        assertEquals(List.of(Networks.BLOCK2), net.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        // block2 has 16 channels: conv 3x3 16->4, conv 3x3 4->4, average over 14 x 7, dense 4->3.
        assertEquals(9 * 16 * 4 + 4, params(net, Networks.READOUT_BLOCK + 1));
        assertEquals(9 * 4 * 4 + 4, params(net, Networks.READOUT_BLOCK + 2));
        assertEquals(4 * 3 + 3, params(net, Networks.READOUT));
        Map<String, INDArray> acts = net.feedForward(Nd4j.rand(DataType.FLOAT, 2, 1, 56, 28), false);
        assertArrayEquals(new long[] {2, 4, 14, 7}, acts.get(Networks.READOUT_BLOCK + 2).shape());
        assertArrayEquals(new long[] {2, 4}, acts.get(Networks.READOUT_POOL).shape());
        assertArrayEquals(new long[] {2, 3}, acts.get(Networks.READOUT).shape());
        // The head's convolutions run on the same kernels as the network's.
        assertEquals(NativeKernels.oneDnnEnabled(), NativeKernels.engaged(net));
    }

    @Test
    void mlpHeadsAreDense() {
        NetworkConfig mlp = NetworkConfig.vector(Architecture.STUDENT, 5, 3, "adam", 1e-3, 0, 0);
        ComputationGraph linear = Networks.build(mlp.withReadout(AUX));
        assertEquals(32 * 3 + 3, params(linear, Networks.READOUT));
        ComputationGraph deep = Networks.build(mlp.withReadout(AUX.withBlocks(1, 6)));
        assertEquals(32 * 6 + 6, params(deep, Networks.READOUT_BLOCK + 1));
        assertEquals(6 * 3 + 3, params(deep, Networks.READOUT));
        assertFalse(deep.getConfiguration().getVertices().containsKey(Networks.READOUT_POOL));
        assertEquals(2, deep.output(Nd4j.rand(DataType.FLOAT, 4, 5)).length);
    }

    @Test
    void tokensHeadsAreDenseOnTheBlockAfterTheEmbeddings() {
        NetworkConfig tokens = TokensProblem.student("adam", 1e-3, 0, 0);
        ComputationGraph linear = Networks.build(tokens.withReadout(AUX));
        assertEquals(List.of(Networks.BLOCK1), linear.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(32 * 2 + 2, params(linear, Networks.READOUT));
        ComputationGraph deep = Networks.build(tokens.withReadout(AUX.withBlocks(1, 6)));
        assertEquals(32 * 6 + 6, params(deep, Networks.READOUT_BLOCK + 1));
        assertEquals(2, deep.output(TokensProblem.examples(4, 1).getFeatures()).length);
    }

    /** The converse on tokens: without the stop-gradient the readout's loss reaches the embeddings. */
    @Test
    void onTokensWithoutTheStopGradientTheReadoutMovesTheEmbeddings() {
        ComputationGraph stopped = Networks.build(TokensProblem.student("adam", 1e-3, 0, 5).withReadout(AUX));
        ComputationGraphConfiguration conf = stopped.getConfiguration().clone();
        conf.getVertices().put(Networks.READOUT_STOP, new ScaleVertex(1.0));
        ComputationGraph open = new ComputationGraph(conf);
        open.init();
        copyShared(stopped, open);
        Map<String, float[]> before = snapshot(open, false);

        open.fit(readoutOnly(TokensProblem.examples(32, 1)));

        for (String early : List.of(Networks.EMBED, Networks.BLOCK1)) {
            assertFalse(Arrays.equals(before.get(early), values(open.getLayer(early).params())), early + " learned");
        }
        for (String above : List.of(Networks.BLOCK2, Networks.DENSE, Networks.OUTPUT)) {
            assertArrayEquals(before.get(above), values(open.getLayer(above).params()), 0f, above);
        }
    }

    @Test
    void headsAttachToBlock1OrBlock2Only() {
        for (String at : new String[] {Networks.CONV1, Networks.DENSE, Networks.OUTPUT, "Block1", null}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> ReadoutHead.linear(at, "adam", 1e-3));
            assertEquals("--aux-at '" + at + "' is not one of block1, block2", e.getMessage());
        }
        assertEquals("--aux-depth -1 must be zero or positive",
                assertThrows(BadInputException.class, () -> AUX.withBlocks(-1, 4)).getMessage());
        assertEquals("--aux-width 0 must be positive when --aux-depth is 2",
                assertThrows(BadInputException.class, () -> AUX.withBlocks(2, 0)).getMessage());
        assertEquals("--aux-lr 0.0 must be a positive number", assertThrows(BadInputException.class,
                () -> ReadoutHead.linear(Networks.BLOCK1, "adam", 0)).getMessage());
        assertEquals("--aux-updater 'rmsprop' is not one of adam, sgd, nesterovs", assertThrows(
                BadInputException.class, () -> ReadoutHead.linear(Networks.BLOCK1, "rmsprop", 1e-3)).getMessage());
    }

    @Test
    void theHeadHasItsOwnUpdater() {
        ComputationGraph net = Networks.build(STUDENT.withReadout(AUX.withBlocks(1, 4)));
        for (Layer layer : net.getLayers()) {
            if (layer.numParams() > 0) {
                Object expected = Networks.inReadoutHead(name(layer)) ? new Nesterovs(1e-2, 0.9) : new Adam(1e-3);
                assertEquals(expected, ((BaseLayer) layer.conf().getLayer()).getIUpdater(), name(layer));
            }
        }
    }

    /** The proof: a step on the readout loss alone leaves every parameter of the main network unchanged. */
    @Test
    void aStepOnTheReadoutLossAloneLeavesTheMainNetworkUnchanged() {
        for (ReadoutHead head : List.of(AUX, AUX.withBlocks(2, 4), ReadoutHead.linear(Networks.BLOCK2, "adam", 1e-2))) {
            ComputationGraph net = Networks.build(STUDENT.withReadout(head));
            assertEquals(NativeKernels.oneDnnEnabled(), NativeKernels.engaged(net));
            assertAReadoutStepMovesTheHeadOnly(net, BarsProblem.examples(32, 1),
                    List.of(Networks.CONV1, Networks.CONV2, Networks.DENSE, Networks.OUTPUT));
        }
    }

    /** The same on tokens: the embeddings and block1 stay as they are. */
    @Test
    void onTokensAStepOnTheReadoutLossAloneLeavesTheMainNetworkUnchanged() {
        for (ReadoutHead head : List.of(AUX, AUX.withBlocks(2, 4), ReadoutHead.linear(Networks.BLOCK2, "adam", 1e-2))) {
            assertAReadoutStepMovesTheHeadOnly(Networks.build(TokensProblem.student("adam", 1e-3, 0, 5).withReadout(head)),
                    TokensProblem.examples(32, 1),
                    List.of(Networks.EMBED, Networks.BLOCK1, Networks.BLOCK2, Networks.DENSE, Networks.OUTPUT));
        }
    }

    /** One step of {@code net} on {@code d}'s readout loss alone: {@code mainLayers} keep their bits, the head learns. */
    private static void assertAReadoutStepMovesTheHeadOnly(ComputationGraph net, DataSet d, List<String> mainLayers) {
        String head = net.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP) + " head";
        Map<String, float[]> main = snapshot(net, false);
        Map<String, float[]> readout = snapshot(net, true);
        assertEquals(mainLayers, List.copyOf(main.keySet()));

        net.fit(readoutOnly(d));

        assertTrue(net.score() > 0, "the readout's loss was computed");
        // Exactly, on any CPU: the main network's gradient is zeros, and a zero gradient is a zero Adam step.
        for (Map.Entry<String, float[]> layer : main.entrySet()) {
            assertArrayEquals(layer.getValue(), values(net.getLayer(layer.getKey()).params()), 0f,
                    head + ": " + layer.getKey());
        }
        for (Map.Entry<String, float[]> layer : readout.entrySet()) {
            assertFalse(Arrays.equals(layer.getValue(), values(net.getLayer(layer.getKey()).params())),
                    head + ": " + layer.getKey() + " learned");
        }
    }

    /** The converse: without the stop-gradient the same step moves the early layers, so the proof above is not vacuous. */
    @Test
    void withoutTheStopGradientTheSameStepMovesTheEarlyLayers() {
        for (ReadoutHead head : List.of(AUX, AUX.withBlocks(2, 4))) {
            ComputationGraph stopped = Networks.build(STUDENT.withReadout(head));
            ComputationGraphConfiguration conf = stopped.getConfiguration().clone();
            conf.getVertices().put(Networks.READOUT_STOP, new ScaleVertex(1.0)); // an identity that passes gradients
            ComputationGraph open = new ComputationGraph(conf);
            open.init();
            NativeKernels.engage(open);
            copyShared(stopped, open);
            Map<String, float[]> before = snapshot(open, false);

            open.fit(readoutOnly(BarsProblem.examples(32, 1)));

            assertFalse(Arrays.equals(before.get(Networks.CONV1),
                    values(open.getLayer(Networks.CONV1).params())), head + ": conv1 learned from the readout");
            // The layers above the block are not on the readout's path: the mask does keep the main loss out.
            for (String above : List.of(Networks.CONV2, Networks.DENSE, Networks.OUTPUT)) {
                assertArrayEquals(before.get(above), values(open.getLayer(above).params()), 0f, above);
            }
        }
    }

    /** Trained together (DEDIER, SIFER's learning step), the main network's gradient is the one it has without a head. */
    @Test
    void withBothLossesTheMainGradientIsThatOfTheNetworkWithoutAHead() {
        ComputationGraph plain = Networks.build(STUDENT);
        ComputationGraph headed = Networks.build(STUDENT.withReadout(AUX.withBlocks(1, 4)));
        copyShared(plain, headed);
        DataSet d = BarsProblem.examples(32, 2);
        plain.setInputs(d.getFeatures());
        plain.setLabels(d.getLabels());
        plain.computeGradientAndScore();
        headed.setInputs(d.getFeatures());
        headed.setLabels(d.getLabels(), d.getLabels());
        headed.computeGradientAndScore();

        Map<String, INDArray> expected = plain.gradient().gradientForVariable();
        Map<String, INDArray> actual = headed.gradient().gradientForVariable();
        assertEquals(8, expected.size());
        for (Map.Entry<String, INDArray> g : expected.entrySet()) {
            assertTrue(g.getValue().norm1Number().doubleValue() > 0, g.getKey());
            // Exactly, on any CPU: the same kernels on the same values; the head only adds zeros to block1's error.
            assertArrayEquals(values(g.getValue()), values(actual.get(g.getKey())), 0f, g.getKey());
        }
        assertTrue(actual.get(Networks.READOUT + "_W").norm1Number().doubleValue() > 0);
        assertTrue(headed.score() > plain.score(), "the score adds the readout's loss");
    }

    /** Runs with and without a head start from the same main network, so their results compare. */
    @Test
    void aHeadLeavesTheMainNetworksInitialParametersAsTheSeedMakesThem() {
        NetworkConfig mlp = NetworkConfig.vector(Architecture.STUDENT, 5, 3, "adam", 1e-3, 0, 2);
        for (NetworkConfig c : List.of(STUDENT, mlp, TokensProblem.student("adam", 1e-3, 0, 2))) {
            Map<String, float[]> plain = snapshot(Networks.build(c), false);
            for (ReadoutHead head : List.of(AUX, ReadoutHead.linear(Networks.BLOCK2, "sgd", 1e-3).withBlocks(2, 4))) {
                Map<String, float[]> headed = snapshot(Networks.build(c.withReadout(head)), false);
                assertEquals(plain.keySet(), headed.keySet());
                plain.forEach((layer, params) -> assertArrayEquals(params, headed.get(layer), 0f, head + ": " + layer));
            }
        }
    }

    @Test
    void theMainOutputIsTheSameWithAndWithoutTheHead() {
        ComputationGraph plain = Networks.build(STUDENT);
        ComputationGraph headed = Networks.build(STUDENT.withReadout(AUX.withBlocks(1, 4)));
        copyShared(plain, headed);
        INDArray x = BarsProblem.examples(16, 3).getFeatures();
        assertArrayEquals(values(plain.outputSingle(x)), values(headed.output(x)[0]), 0f);
        assertArrayEquals(values(plain.outputSingle(true, x)), values(headed.output(true, x)[0]), 0f);
    }

    @Test
    void theConfigurationAndTheModelRoundTrip(@TempDir Path dir) throws Exception {
        assertRoundTrip(Networks.build(STUDENT.withReadout(AUX.withBlocks(1, 4))), BarsProblem.examples(32, 4),
                BarsProblem.examples(16, 5).getFeatures(), dir.resolve("cnn.zip").toFile());
    }

    /** The tokens network too: its embedding bag's configuration, parameters and updater state come back. */
    @Test
    void aTokensModelRoundTrips(@TempDir Path dir) throws Exception {
        ComputationGraph back = assertRoundTrip(
                Networks.build(TokensProblem.student("adam", 1e-2, 1e-4, 2).withReadout(AUX.withBlocks(1, 4))),
                TokensProblem.examples(32, 4), TokensProblem.examples(16, 5).getFeatures(), dir.resolve("tokens.zip").toFile());
        assertTrue(back.getLayer(Networks.EMBED) instanceof EmbeddingBagLayer);
    }

    /**
     * Fits {@code net} (with a head) one step on {@code d}, saves it with its updater to {@code zip} and restores it:
     * the same configuration, updater state and outputs on {@code x}. Returns the restored network.
     */
    private static ComputationGraph assertRoundTrip(ComputationGraph net, DataSet d, INDArray x, File zip)
            throws Exception {
        net.fit(new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels(), d.getLabels()}));
        ComputationGraphConfiguration conf = net.getConfiguration();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));

        ModelSerializer.writeModel(net, zip, true);
        ComputationGraph back = NativeKernels.engage(ModelSerializer.restoreComputationGraph(zip, true));
        assertEquals(conf, back.getConfiguration());
        assertEquals(NativeKernels.oneDnnEnabled(), NativeKernels.engaged(back));
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        INDArray[] expected = net.output(x);
        INDArray[] actual = back.output(x);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(values(expected[i]), values(actual[i]), 0f);
        }
        assertNotEquals(expected[0], expected[1]);
        return back;
    }
}
