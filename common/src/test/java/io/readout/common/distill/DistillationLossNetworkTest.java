package io.readout.common.distill;

import io.readout.common.distill.DistillationLoss.WeightTarget;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distillation loss inside a DL4J network: configuration serialisation and a few training steps. */
class DistillationLossNetworkTest {
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;

    /** features -> dense 8 tanh -> softmax output with the given loss. */
    private static ComputationGraphConfiguration mlp(ILossFunction loss, long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.05))
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.feedForward(FEATURES))
                .addLayer("hidden", new DenseLayer.Builder().nOut(8).activation(Activation.TANH).build(), "input")
                .addLayer("output", new OutputLayer.Builder().lossFunction(loss)
                        .nOut(CLASSES).activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("output")
                .build();
    }

    private static ILossFunction outputLoss(ComputationGraphConfiguration conf) {
        return ((OutputLayer) ((LayerVertex) conf.getVertices().get("output")).getLayerConf().getLayer()).getLossFn();
    }

    @Test
    void survivesTheNetworkConfigurationJson() {
        DistillationLoss loss = new DistillationLoss(0.7, 2.5, WeightTarget.BOTH);
        String json = mlp(loss, 1).toJson();
        assertTrue(json.contains("\"@class\" : \"io.readout.common.distill.DistillationLoss\""), json);
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(json);
        // DL4J's mapper ignores unknown properties, so a field that fails to bind would come back as a default:
        // compare the values, not just the type.
        assertEquals(loss, outputLoss(restored));
        assertEquals(json, restored.toJson());
    }

    @Test
    void survivesJavaSerialization() throws IOException, ClassNotFoundException {
        DistillationLoss loss = new DistillationLoss(0.3, 4, WeightTarget.KD);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loss);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(loss, in.readObject());
        }
    }

    @Test
    void trainingOnDistillationLabelsReducesTheLoss() {
        // 24 examples: the label is the largest of the first three features; the teacher knows it softly
        // (logits 3x those features at T = 2) and every third example weighs 2.5.
        Random random = new Random(5);
        int n = 24;
        float[][] x = new float[n][FEATURES];
        int[] labels = new int[n];
        float[][] teacher = new float[n][];
        float[] weights = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            labels[i] = x[i][0] >= x[i][1] ? (x[i][0] >= x[i][2] ? 0 : 2) : (x[i][1] >= x[i][2] ? 1 : 2);
            teacher[i] = DistillationLabels.soften(new float[] {3 * x[i][0], 3 * x[i][1], 3 * x[i][2]}, 2);
            weights[i] = i % 3 == 0 ? 2.5f : 1f;
        }
        DataSet batch = new DataSet(Nd4j.createFromArray(x), DistillationLabels.of(labels, teacher, weights, CLASSES));
        DistillationLoss loss = new DistillationLoss(0.7, 2);
        ComputationGraph net = new ComputationGraph(mlp(loss, 7));
        net.init();

        double before = net.score(batch);
        // The network's score is the loss's mean over the minibatch. The loss depends on the logits only through
        // softmax, which ignores a per-row constant, so log(output) stands in for the pre-output.
        INDArray logOutput = Transforms.log(net.outputSingle(batch.getFeatures()), true);
        // log(output) rounds each log-probability once more; the score adds 24 rows × 3 classes of terms made from
        // them: up to 72 eps apart (observed: equal, AVX2 and SSE4.1).
        assertClose(loss.computeScore(batch.getLabels(), logOutput, new ActivationSoftmax(), null, true), before,
                72 * FLOAT_EPSILON, "the network's score");

        for (int step = 0; step < 30; step++) {
            net.fit(batch);
        }
        double after = net.score(batch);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after + " after 30 steps");
    }
}
