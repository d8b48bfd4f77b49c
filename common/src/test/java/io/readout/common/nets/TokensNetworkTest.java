package io.readout.common.nets;

import io.readout.common.sifer.ForgettingStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.readout.common.nets.LayerParams.snapshot;
import static io.readout.common.nets.LayerParams.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tokens network as training uses it: seeded and deterministic, copied parameter by parameter as
 * dl4j-spark's averaging does (saved and restored: {@code ReadoutHeadTest}), with weight decay, SIFER's forgetting step,
 * and able to learn.
 */
class TokensNetworkTest {
    /** Full-batch steps of the learning test: the training set is fitted after about 10 (seed 11). */
    private static final int STEPS = 40;
    private static final ReadoutHead AUX = ReadoutHead.linear(Networks.BLOCK1, "nesterovs", 1e-2);

    /** {@code steps} steps on minibatches of 16 new examples; both outputs take the labels when there is a head. */
    private static void fit(ComputationGraph net, int steps, long seed) {
        for (int step = 0; step < steps; step++) {
            DataSet d = TokensProblem.examples(16, seed + step);
            INDArray[] labels = net.getNumOutputArrays() == 2 ? new INDArray[] {d.getLabels(), d.getLabels()}
                    : new INDArray[] {d.getLabels()};
            net.fit(new MultiDataSet(new INDArray[] {d.getFeatures()}, labels));
        }
    }

    /** Fraction of {@code d}'s examples whose arg-max output is the label. */
    private static double accuracy(ComputationGraph net, DataSet d) {
        INDArray predicted = net.outputSingle(d.getFeatures()).argMax(1);
        INDArray actual = d.getLabels().argMax(1);
        return predicted.eq(actual).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().doubleValue()
                / d.numExamples();
    }

    @Test
    void twoBuildsFromOneSeedTrainToTheSameBits() {
        NetworkConfig c = TokensProblem.student("adam", 1e-2, 1e-3, 7);
        ComputationGraph a = Networks.build(c);
        ComputationGraph b = Networks.build(c);
        assertArrayEquals(values(a.params()), values(b.params()), 0f);
        fit(a, 5, 1);
        fit(b, 5, 1);
        assertArrayEquals(values(a.params()), values(b.params()), 0f);
        assertArrayEquals(values(a.getUpdater().getStateViewArray()), values(b.getUpdater().getStateViewArray()), 0f);
        assertNotEquals(Networks.build(c).params(), a.params(), "training moved the parameters");
        // Another seed, other embeddings.
        assertFalse(Arrays.equals(values(Networks.build(TokensProblem.student("adam", 1e-2, 1e-3, 8))
                .getLayer(Networks.EMBED).params()), values(Networks.build(c).getLayer(Networks.EMBED).params())));
    }

    @Test
    void theEmbeddingsStartAsAStandardNormal() {
        NetworkConfig c = NetworkConfig.tokens(Architecture.TEACHER, 16, 2000, 2, "adam", 1e-3, 0, 3);
        float[] w = values(Networks.build(c).getLayer(Networks.EMBED).params());
        double sum = 0;
        double squares = 0;
        for (float v : w) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / w.length;
        // 128,000 draws: the mean within 0.01 and the variance within 0.02 of N(0, 1)'s, by a wide margin.
        assertEquals(0, mean, 0.01);
        assertEquals(1, squares / w.length - mean * mean, 0.02);
    }

    /** What a dl4j-spark worker does: a network from the configuration's clone, given the parameters and updater state. */
    @Test
    void aNetworkRebuiltFromTheConfigurationAndGivenTheParametersIsTheSame() {
        ComputationGraph trained = Networks.build(TokensProblem.student("adam", 1e-2, 1e-4, 4));
        fit(trained, 3, 20);
        ComputationGraph worker = new ComputationGraph(trained.getConfiguration().clone());
        worker.init();
        worker.setParams(trained.params().dup());
        worker.getUpdater().setStateViewArray(trained.getUpdater().getStateViewArray().dup());
        // The clone drops the iteration count (docs/DESIGN.md's trap); the project's worker hook restores it.
        worker.getConfiguration().setIterationCount(trained.getConfiguration().getIterationCount());
        INDArray x = TokensProblem.examples(8, 21).getFeatures();
        assertArrayEquals(values(trained.outputSingle(x)), values(worker.outputSingle(x)), 0f);
        fit(trained, 1, 22);
        fit(worker, 1, 22);
        assertArrayEquals(values(trained.params()), values(worker.params()), 0f);
        // An average of two networks' parameters, set, is what the embeddings then read.
        ComputationGraph other = Networks.build(TokensProblem.student("adam", 1e-2, 1e-4, 5));
        INDArray averaged = trained.params().add(other.params()).divi(2);
        worker.setParams(averaged);
        INDArray w = worker.getLayer(Networks.EMBED).getParam(EmbeddingBagParams.WEIGHT_KEY);
        INDArray expected = trained.getLayer(Networks.EMBED).getParam(EmbeddingBagParams.WEIGHT_KEY)
                .add(other.getLayer(Networks.EMBED).getParam(EmbeddingBagParams.WEIGHT_KEY)).divi(2);
        assertArrayEquals(values(expected), values(w), 0f);
    }

    /**
     * Decoupled weight decay reaches every embedding, also the rows no example of the step used. Their SGD step is
     * W·(1 − 2·lr·wd): DL4J M2.1's WeightDecay takes twice lr·wd off per step, for its dense layers as well
     * (measured: 0.99 at lr 0.1, wd 0.05), so the embeddings decay exactly as the rest of the network.
     */
    @Test
    void weightDecayShrinksTheUnusedRows() {
        double lr = 0.1;
        double decay = 0.05;
        ComputationGraph net = Networks.build(TokensProblem.student("sgd", lr, decay, 6));
        INDArray w = net.getLayer(Networks.EMBED).getParam(EmbeddingBagParams.WEIGHT_KEY);
        float[] before = values(w.getRow(TokensProblem.CUE_1));
        float[] padBefore = values(w.getRow(0));
        DataSet onlyCue0 = TokensProblem.examples(16, 1);
        float[] ids = values(onlyCue0.getFeatures());
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ids[i] == TokensProblem.CUE_1 ? TokensProblem.CUE_0 : ids[i];
        }
        net.fit(new DataSet(org.nd4j.linalg.factory.Nd4j.create(ids, onlyCue0.getFeatures().shape()),
                onlyCue0.getLabels()));
        float[] after = values(w.getRow(TokensProblem.CUE_1));
        float[] padAfter = values(w.getRow(0));
        for (int k = 0; k < before.length; k++) {
            assertEquals(before[k] * (1 - 2 * lr * decay), after[k], 1e-6, "unused row, unit " + k);
            assertEquals(padBefore[k] * (1 - 2 * lr * decay), padAfter[k], 1e-6, "padding row, unit " + k);
        }
    }

    @Test
    void theForgettingStepMovesTheEmbeddingsAndBlock1AndNothingElse() {
        NetworkConfig c = TokensProblem.student("adam", 1e-3, 1e-2, 5).withReadout(AUX);
        ComputationGraph net = Networks.build(c);
        DataSet d = TokensProblem.examples(16, 3);
        net.fit(new MultiDataSet(new INDArray[] {d.getFeatures()}, new INDArray[] {d.getLabels(), d.getLabels()}));
        ForgettingStep step = ForgettingStep.of(net.getConfiguration(), 1e-2);
        assertEquals(List.of(Networks.EMBED, Networks.BLOCK1), step.earlyLayers());
        assertEquals(List.of(Networks.READOUT), step.headLayers());
        Map<String, float[]> before = snapshot(net);
        float[] updater = values(net.getUpdater().getStateViewArray());

        double loss = step.apply(net, d.getFeatures());

        assertTrue(loss >= Math.log(2) - 1e-6, "CE to uniform is at least ln C: " + loss);
        for (Map.Entry<String, float[]> layer : before.entrySet()) {
            float[] after = values(net.getLayer(layer.getKey()).params());
            if (step.earlyLayers().contains(layer.getKey())) {
                assertFalse(Arrays.equals(layer.getValue(), after), layer.getKey() + " forgot");
            } else {
                assertArrayEquals(layer.getValue(), after, 0f, layer.getKey());
            }
        }
        assertArrayEquals(updater, values(net.getUpdater().getStateViewArray()), 0f, "the updater state");
    }

    /** The student learns which of two ids an example holds, wherever it sits among noise ids and padding. */
    @Test
    void theStudentLearnsWhichCueAnExampleHolds() {
        ComputationGraph net = Networks.build(TokensProblem.student("adam", 2e-2, 0, 11));
        DataSet train = TokensProblem.examples(64, 100);
        double before = accuracy(net, train);
        for (int step = 0; step < STEPS; step++) {
            net.fit(train);
        }
        double after = accuracy(net, train);
        assertTrue(after >= 0.99, "train accuracy " + before + " -> " + after);
        double fresh = accuracy(net, TokensProblem.examples(256, 200));
        assertTrue(fresh >= 0.9, "and on new examples: " + fresh);
    }
}
