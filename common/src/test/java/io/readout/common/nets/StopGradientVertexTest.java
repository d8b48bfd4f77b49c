package io.readout.common.nets;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The vertex alone, in a three-vertex graph: input → below (dense) → stop → above (softmax output). */
class StopGradientVertexTest {

    private static ComputationGraphConfiguration graph(GraphVertex stop) {
        return new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new Sgd(0.5)).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.feedForward(4))
                .addLayer("below", new DenseLayer.Builder().nOut(3).activation(Activation.TANH).build(), "in")
                .addVertex("stop", stop, "below")
                .addLayer("above", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "stop")
                .setOutputs("above")
                .build();
    }

    private static ComputationGraph net(GraphVertex stop) {
        ComputationGraph net = new ComputationGraph(graph(stop));
        net.init();
        return net;
    }

    private static INDArray features() {
        return Nd4j.linspace(-2, 2, 20, DataType.FLOAT).reshape(5, 4);
    }

    private static INDArray labels() {
        return Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {1, 0}, {0, 1}, {0, 1}});
    }

    @Test
    void forwardPassesTheInputThroughAsACopy() {
        ComputationGraph net = net(new StopGradientVertex());
        Map<String, INDArray> acts = net.feedForward(features(), true);
        assertEquals(acts.get("below"), acts.get("stop"));
        assertArrayEquals(acts.get("below").data().asFloat(), acts.get("stop").data().asFloat(), 0f);
        assertNotSame(acts.get("below"), acts.get("stop"));
    }

    @Test
    void nothingBelowReceivesAGradient() {
        ComputationGraph net = net(new StopGradientVertex());
        net.setInputs(features());
        net.setLabels(labels());
        net.computeGradientAndScore();
        Map<String, INDArray> g = net.gradient().gradientForVariable();
        assertEquals(0.0, g.get("below_W").norm1Number().doubleValue());
        assertEquals(0.0, g.get("below_b").norm1Number().doubleValue());
        assertTrue(g.get("above_W").norm1Number().doubleValue() > 0);

        // The same graph with an identity that passes gradients: below does learn, so the zeros above are the vertex's doing.
        ComputationGraph open = net(new ScaleVertex(1.0));
        open.setParams(net.params().dup());
        open.setInputs(features());
        open.setLabels(labels());
        open.computeGradientAndScore();
        assertTrue(open.gradient().gradientForVariable().get("below_W").norm1Number().doubleValue() > 0);
        // The same kernels on the same values (x·1.0 is x): the same score, to the bit.
        assertEquals(open.score(), net.score());
    }

    @Test
    void aTrainingStepLeavesEverythingBelowAsItWas() {
        ComputationGraph net = net(new StopGradientVertex());
        INDArray below = net.getLayer("below").params().dup();
        INDArray above = net.getLayer("above").params().dup();
        net.fit(new MultiDataSet(features(), labels()));
        assertArrayEquals(below.toFloatVector(), net.getLayer("below").params().toFloatVector(), 0f);
        assertNotEquals(above, net.getLayer("above").params());
    }

    @Test
    void theConfigurationIsPlainJson() {
        ComputationGraphConfiguration conf = graph(new StopGradientVertex());
        String json = conf.toJson();
        assertTrue(json.contains("\"@class\" : \"io.readout.common.nets.StopGradientVertex\""), json);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(conf, back);
        assertEquals(new StopGradientVertex(), back.getVertices().get("stop"));
        assertEquals(InputType.feedForward(3), back.getLayerActivationTypes(InputType.feedForward(4)).get("stop"));
        assertNotNull(back.getMemoryReport(InputType.feedForward(4)));
    }

    @Test
    void vertexContract() {
        StopGradientVertex v = new StopGradientVertex();
        assertEquals(v, v.clone());
        assertEquals(v.hashCode(), v.clone().hashCode());
        assertNotEquals(v, new ScaleVertex(1.0));
        assertEquals(0, v.numParams(true));
        InputType cnn = InputType.convolutional(28, 14, 8);
        assertEquals(cnn, v.getOutputType(0, cnn));
        assertThrows(RuntimeException.class, () -> v.getOutputType(0, cnn, cnn));
        // Given several inputs, DL4J's graph builder merges them in front of a one-input vertex.
        ComputationGraphConfiguration two = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("a", "b").setInputTypes(InputType.feedForward(2), InputType.feedForward(3))
                .addVertex("stop", new StopGradientVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder().nOut(2).build(), "stop").setOutputs("out").build();
        assertEquals(1, two.getVertexInputs().get("stop").size());
        assertEquals(InputType.feedForward(5), two.getLayerActivationTypes(InputType.feedForward(2),
                InputType.feedForward(3)).get("stop"));

        INDArray mask = Nd4j.ones(DataType.FLOAT, 5, 1);
        Pair<INDArray, MaskState> passed = new StopGradientVertex.Impl(null, "stop", 0, DataType.FLOAT)
                .feedForwardMaskArrays(new INDArray[] {mask}, MaskState.Active, 5);
        assertSame(mask, passed.getFirst());
        assertEquals(MaskState.Active, passed.getSecond());
    }
}
