package io.readout.common.nets;

import io.readout.common.BadInputException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import static io.readout.common.nets.LayerParams.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedding bag's forward pass and W gradient against hand computations and finite differences. */
class EmbeddingBagTest {
    private static final int WIDTH = 2 * Architecture.STUDENT.conv1();
    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    /**
     * Three examples of 8 ids: two ids then padding; all padding; ids around a padding gap, one repeated, and the
     * out-of-vocabulary id 1 (a real token).
     */
    private static final float[][] IDS = {
            {2, 5, 0, 0, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0, 0, 0},
            {7, 7, 9, 0, 1, 0, 0, 0},
    };

    /** W[t][k] = 16·t + k: every row distinct, every value an exact float. */
    private static INDArray countingWeights() {
        float[] w = new float[TokensProblem.VOCAB * WIDTH];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        return Nd4j.create(w, new long[] {TokensProblem.VOCAB, WIDTH}, DataType.FLOAT);
    }

    private static Layer embedWithCountingWeights(ComputationGraph net) {
        Layer embed = net.getLayer(Networks.EMBED);
        embed.setParam(EmbeddingBagParams.WEIGHT_KEY, countingWeights());
        return embed;
    }

    /** The mean of rows {@code ids} of {@link #countingWeights()}, unit k, by hand. */
    private static float mean(int k, int... ids) {
        double sum = 0;
        for (int id : ids) {
            sum += WIDTH * id + k;
        }
        return (float) (sum / ids.length);
    }

    @Test
    void theOutputIsTheMeanOfTheRowsOfTheNonPaddingIds() {
        ComputationGraph net = Networks.build(TokensProblem.student("adam", 1e-3, 0, 1));
        embedWithCountingWeights(net);
        INDArray out = net.feedForward(Nd4j.createFromArray(IDS), false).get(Networks.EMBED);
        assertArrayEquals(new long[] {3, WIDTH}, out.shape());
        for (int k = 0; k < WIDTH; k++) {
            assertEquals(mean(k, 2, 5), out.getFloat(0, k), 0f);
            assertEquals(0f, out.getFloat(1, k), 0f, "all padding gives zeros");
            assertEquals(mean(k, 7, 7, 9, 1), out.getFloat(2, k), 0f);
        }
    }

    @Test
    void theGradientOfWIsEpsilonOverTheCountScatteredIntoTheUsedRows() {
        ComputationGraph net = Networks.build(TokensProblem.student("adam", 1e-3, 0, 1));
        net.initGradientsView();
        Layer embed = embedWithCountingWeights(net);
        float[][] eps = new float[3][WIDTH];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < WIDTH; k++) {
                eps[i][k] = (i + 1) * 0.5f - k * 0.375f;
            }
        }
        embed.setInput(Nd4j.createFromArray(IDS), NO_WORKSPACES);
        embed.activate(true, NO_WORKSPACES);
        Pair<Gradient, INDArray> back = embed.backpropGradient(Nd4j.createFromArray(eps), NO_WORKSPACES);

        assertNull(back.getSecond(), "ids have no gradient");
        INDArray g = back.getFirst().getGradientFor(EmbeddingBagParams.WEIGHT_KEY);
        // Written into the layer's slice of the network's flat gradient, which the updater reads.
        assertArrayEquals(values(g), values(embed.getGradientsViewArray()), 0f);
        float[][] expected = new float[TokensProblem.VOCAB][WIDTH];
        for (int k = 0; k < WIDTH; k++) {
            expected[2][k] = eps[0][k] / 2;
            expected[5][k] = eps[0][k] / 2;
            expected[7][k] = 2 * eps[2][k] / 4; // twice in example 2
            expected[9][k] = eps[2][k] / 4;
            expected[1][k] = eps[2][k] / 4;
        }
        for (int t = 0; t < TokensProblem.VOCAB; t++) {
            assertArrayEquals(expected[t], values(g.getRow(t)), 0f, "row " + t);
        }
    }

    /**
     * Central differences of the network's loss in double precision against the backward pass, for used rows and the
     * padding row.
     */
    @Test
    void theGradientOfWMatchesFiniteDifferences() {
        ComputationGraph net = Networks.build(TokensProblem.student("sgd", 0.1, 0, 3).withActivation("tanh"))
                .convertDataType(DataType.DOUBLE);
        DataSet d = TokensProblem.examples(6, 4);
        d = new DataSet(d.getFeatures().castTo(DataType.DOUBLE), d.getLabels().castTo(DataType.DOUBLE));
        net.setInputs(d.getFeatures());
        net.setLabels(d.getLabels());
        net.computeGradientAndScore();
        INDArray g = net.gradient().getGradientFor(Networks.EMBED + "_" + EmbeddingBagParams.WEIGHT_KEY).dup();
        INDArray w = net.getLayer(Networks.EMBED).getParam(EmbeddingBagParams.WEIGHT_KEY);
        int used = (int) d.getFeatures().getDouble(0, 0);
        int checked = 0;
        for (int row : new int[] {TokensProblem.CUE_0, TokensProblem.CUE_1, used, 0}) {
            for (int k = 0; k < WIDTH; k += 5) {
                double original = w.getDouble(row, k);
                double h = 1e-6;
                w.putScalar(row, k, original + h);
                double up = net.score(d);
                w.putScalar(row, k, original - h);
                double down = net.score(d);
                w.putScalar(row, k, original);
                // DL4J's score is the minibatch mean, its raw gradient that of the sum (the updater divides by n).
                double numeric = (up - down) / (2 * h) * d.numExamples();
                double analytic = g.getDouble(row, k);
                assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric), "W[" + row + "][" + k + "]");
                checked += analytic != 0 ? 1 : 0;
            }
        }
        assertTrue(checked >= 8, "most checked entries have a gradient: " + checked);
        assertEquals(0, g.getRow(0).norm1Number().doubleValue(), "padding's row never learns");
    }

    @Test
    void badIdsAreOneLineErrorsNamingTheValue() {
        ComputationGraph net = Networks.build(TokensProblem.student("adam", 1e-3, 0, 1));
        for (float bad : new float[] {2.5f, -1, TokensProblem.VOCAB, Float.NaN}) {
            float[][] ids = {{2, 3, 0, 0, 0, 0, 0, 0}, {4, 5, 6, bad, 0, 0, 0, 0}};
            BadInputException e = assertThrows(BadInputException.class,
                    () -> net.output(Nd4j.createFromArray(ids)));
            assertEquals("embedding bag 'embed': token id " + (double) bad + " (example 1, position 3) is not an"
                    + " integer in [0, " + TokensProblem.VOCAB + ")", e.getMessage());
        }
        BadInputException shape = assertThrows(BadInputException.class,
                () -> net.output(Nd4j.zeros(DataType.FLOAT, 2, TokensProblem.LENGTH + 1)));
        assertEquals("embedding bag 'embed' takes 8 token ids per example, got 9", shape.getMessage());
    }

    @Test
    void theLayerSizesComeFromTheVocabularyAndTheArchitecture() {
        NetworkConfig teacher = NetworkConfig.tokens(Architecture.TEACHER, 128, 1000, 3, "adam", 1e-3, 0, 0);
        EmbeddingBag bag = (EmbeddingBag) Networks.build(teacher).getLayer(Networks.EMBED).conf().getLayer();
        assertEquals(1000, bag.getNIn());
        assertEquals(64, bag.getNOut());
        assertEquals(128, bag.getLength());
        assertEquals(1000 * 64, Networks.build(teacher).getLayer(Networks.EMBED).numParams());
    }
}
