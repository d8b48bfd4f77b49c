package io.readout.jobs.report;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient × input mapped back to words, against hand computations. */
class WordImportanceTest {
    private static final List<String> VOCABULARY = List.of("good", "bad", "movie");

    @Test
    void featuresMapToWordsOfTheTextThenOfThePair() {
        // features 0..2: the text's words, 3..5: the pair's; importance = gradient × feature
        float[] gradient = {2f, -1f, 0.5f, 3f, 1f, -4f};
        float[] features = {0.5f, 0f, 1f, 0f, 0.25f, 0.1f};
        // products: 1.0 (good), 0 (bad: absent), 0.5 (movie), 0 (pair good: absent), 0.25 (pair bad), -0.4 (pair movie)
        List<WordImportance.Word> top = WordImportance.top(gradient, features, VOCABULARY, 3);
        assertEquals(List.of("good", "movie", "movie"), top.stream().map(WordImportance.Word::word).toList());
        assertEquals(List.of(false, false, true), top.stream().map(WordImportance.Word::pair).toList());
        assertEquals(1.0, top.get(0).importance(), 1e-7);
        assertEquals(0.5, top.get(1).importance(), 1e-7);
        assertEquals(-0.4, top.get(2).importance(), 1e-7);
        // words absent from the text never appear, however large their gradient
        assertEquals(4, WordImportance.top(gradient, features, VOCABULARY, 10).size());
    }

    @Test
    void aVocabularyMustFitTheFeatures() {
        assertNull(WordImportance.mismatch(3, 3));
        assertNull(WordImportance.mismatch(6, 3));
        assertEquals("no word importances: 7 features for a vocabulary of 3 words (expected V or 2V)",
                WordImportance.mismatch(7, 3));
        assertTrue(WordImportance.mismatch(0, 0) != null);
    }

    /**
     * input(3) → softmax output(2) with logits x·W + b: the gradient of the predicted class's logit is W's column of
     * that class, so the importance of word j is W[j][predicted] × x_j.
     */
    @Test
    void aLinearModelsImportanceIsItsWeightTimesTheWordsWeight() {
        ComputationGraph net = ClassLogitGradientTest.linear(new float[][] {{2f, -2f}, {-3f, 3f}, {0.5f, 0.1f}},
                new float[] {0f, 0f});
        // "good movie": logits 2·1 + 0.5·0.5 = 2.25 against -2 + 0.05 → class 0
        // "bad movie":  -3 + 0.25 = -2.75 against 3 + 0.05 → class 1
        INDArray x = Nd4j.create(new float[][] {{1f, 0f, 0.5f}, {0f, 1f, 0.5f}});
        int[] predicted = ClassLogitGradient.predict(net, x);
        assertEquals(0, predicted[0]);
        assertEquals(1, predicted[1]);
        List<List<WordImportance.Word>> words = WordImportance.of(net, x, predicted, VOCABULARY, 2);
        assertEquals(List.of(new WordImportance.Word("good", false, 2.0), new WordImportance.Word("movie", false, 0.25)),
                words.get(0));
        assertEquals("bad", words.get(1).get(0).word());
        assertEquals(3.0, words.get(1).get(0).importance(), 1e-6);
        assertEquals(0.05, words.get(1).get(1).importance(), 1e-6);
    }
}
