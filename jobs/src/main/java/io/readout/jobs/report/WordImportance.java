package io.readout.jobs.report;

import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which words a model used for its prediction on a TF-IDF input: gradient × input, the predicted class's logit
 * differentiated with respect to the input features ({@link ClassLogitGradient} at {@value Networks#INPUT}) times
 * the features, one figure per feature. Feature j is vocabulary word j of the text for j &lt; V, and word j − V of
 * the pair's second text for V ≤ j &lt; 2V ({@code vocabulary.txt} has V lines). A positive importance pushed the
 * logit of the predicted class up, a negative one down; a word absent from the text has weight 0 and so no
 * importance. The first-order attribution of Simonyan et al. (2014) as Shrikumar et al. (2017) multiply it by the
 * input: cheap (one backward pass for all shown examples) and exact for a linear model.
 */
final class WordImportance {
    private WordImportance() {
    }

    /**
     * A word of a shown example and its importance.
     *
     * @param pair true for a word of {@code text_pair} (the hypothesis), false for one of {@code text}
     */
    record Word(String word, boolean pair, double importance) {
    }

    /**
     * Why {@code numFeatures} TF-IDF features cannot be mapped to a vocabulary of {@code vocabularySize} words
     * (neither V for single texts nor 2V for pairs), or null when they can.
     */
    static String mismatch(int numFeatures, int vocabularySize) {
        if (vocabularySize > 0 && (numFeatures == vocabularySize || numFeatures == 2 * vocabularySize)) {
            return null;
        }
        return "no word importances: " + numFeatures + " features for a vocabulary of " + vocabularySize
                + " words (expected V or 2V)";
    }

    /**
     * The {@code k} words of largest absolute importance (ties by feature index), each with its signed gradient
     * × input; words with importance 0 are left out.
     *
     * @param gradient   d logit / d features of one example
     * @param features   the example's features
     * @param vocabulary V words, with {@code features.length} V or 2V
     */
    static List<Word> top(float[] gradient, float[] features, List<String> vocabulary, int k) {
        int v = vocabulary.size();
        List<Word> words = new ArrayList<>();
        for (int j = 0; j < features.length; j++) {
            double importance = (double) gradient[j] * features[j];
            if (importance != 0) {
                words.add(new Word(vocabulary.get(j % v), j >= v, importance));
            }
        }
        return words.stream().sorted(Comparator.comparingDouble((Word w) -> -Math.abs(w.importance())))
                .limit(k).toList();
    }

    /**
     * The top {@code k} words of each example (row of {@code features}) for the class the model predicted
     * for it.
     */
    static List<List<Word>> of(ComputationGraph net, INDArray features, int[] predicted, List<String> vocabulary,
                               int k) {
        INDArray gradient = ClassLogitGradient.at(net, features, predicted, Networks.INPUT).gradient();
        List<List<Word>> out = new ArrayList<>();
        for (int i = 0; i < predicted.length; i++) {
            out.add(top(gradient.getRow(i).toFloatVector(), features.getRow(i).toFloatVector(), vocabulary, k));
        }
        return out;
    }
}
