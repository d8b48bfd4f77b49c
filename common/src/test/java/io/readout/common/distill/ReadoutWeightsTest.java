package io.readout.common.distill;

import io.readout.common.distill.ReadoutWeights.Normalisation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Early-readout weights against a table worked out by hand (probabilities are exact binary fractions). */
class ReadoutWeightsTest {
    private static final double EXACT = 1e-12;
    private static final ReadoutWeights RAW = new ReadoutWeights(1, 2, Normalisation.NONE);
    private static final ReadoutWeights MEAN = new ReadoutWeights(1, 2, Normalisation.MEAN);

    // α = 1, β = 2.
    //  #  readout probs           label  prediction  margin             wrong  raw weight
    //  0  (0.75, 0.125, 0.125)    0      0           0.75 - 0.125 = 0.625  no     1                 (correct and confident)
    //  1  (0.75, 0.125, 0.125)    1      0           0.625              yes    exp(2·0.625) = exp(1.25) = 3.490342957461841
    //  2  (0.5, 0.25, 0.25)       2      0           0.25               yes    exp(0.5)     = 1.648721270700128
    //  3  (0.375, 0.375, 0.25)    1      0 (tie)     0                  yes    exp(0)       = 1
    //  4  (0.25, 0.125, 0.625)    2      2           0.375              no     1
    //  mean raw weight = (1 + 3.490342957461841 + 1.648721270700128 + 1 + 1) / 5 = 8.139064228161970 / 5 = 1.627812845632394
    private static final float[][] PROBS = {
            {0.75f, 0.125f, 0.125f}, {0.75f, 0.125f, 0.125f}, {0.5f, 0.25f, 0.25f}, {0.375f, 0.375f, 0.25f},
            {0.25f, 0.125f, 0.625f}};
    private static final int[] LABELS = {0, 1, 2, 1, 2};
    private static final int[] PREDICTIONS = {0, 0, 0, 0, 2};
    private static final double[] MARGINS = {0.625, 0.625, 0.25, 0, 0.375};
    private static final boolean[] WRONG = {false, true, true, true, false};
    private static final double[] RAW_WEIGHTS = {1, 3.490342957461841, 1.648721270700128, 1, 1};
    private static final double MEAN_RAW_WEIGHT = 1.627812845632394;

    @Test
    void readoutOfEachExample() {
        for (int i = 0; i < LABELS.length; i++) {
            EarlyReadout r = RAW.readout(PROBS[i], LABELS[i]);
            assertEquals(PREDICTIONS[i], r.prediction(), "prediction " + i);
            assertEquals(MARGINS[i], r.margin(), EXACT, "margin " + i);
            assertEquals(WRONG[i], r.wrong(), "wrong " + i);
            assertEquals(RAW_WEIGHTS[i], r.rawWeight(), EXACT, "raw weight " + i);
        }
    }

    @Test
    void aTieGoesToTheLowestClass() {
        // (0.375, 0.375, 0.25) predicts class 0, so label 0 is right and label 1 wrong, with margin 0.
        assertEquals(new EarlyReadout(0, 0, false, 1), RAW.readout(PROBS[3], 0));
        assertEquals(new EarlyReadout(0, 0, true, 1), RAW.readout(PROBS[3], 1));
    }

    @Test
    void alphaAndBetaShapeTheWeight() {
        // α = 2, β = 3, margin 0.625: exp(3·0.390625) = exp(1.171875) = 3.228039541926123
        assertEquals(3.228039541926123, new ReadoutWeights(2, 3, Normalisation.NONE).readout(PROBS[1], 1).rawWeight(),
                EXACT);
        // β = 0 weighs every example 1.
        assertEquals(1, new ReadoutWeights(1, 0, Normalisation.NONE).readout(PROBS[1], 1).rawWeight());
    }

    @Test
    void meanNormalisationDividesByTheMeanRawWeight() {
        // 1 / 1.627812845632394 = 0.614321236427, 3.490342957461841 / 1.627812845632394 = 2.144191801181, ...
        double[] expected = new double[RAW_WEIGHTS.length];
        double sum = 0;
        for (int i = 0; i < expected.length; i++) {
            expected[i] = RAW_WEIGHTS[i] / MEAN_RAW_WEIGHT;
            sum += expected[i];
        }
        assertEquals(0.614321236427, expected[0], 1e-11);
        assertEquals(2.144191801181, expected[1], 1e-11);
        assertEquals(1.012844489539, expected[2], 1e-11);
        assertEquals(5, sum, EXACT);
        assertArrayEquals(expected, MEAN.weights(PROBS, LABELS), EXACT);
        assertEquals(expected[1], MEAN.normalise(RAW_WEIGHTS[1], MEAN_RAW_WEIGHT), EXACT);
        assertArrayEquals(RAW_WEIGHTS, RAW.weights(PROBS, LABELS), EXACT);
        assertEquals(3.5, RAW.normalise(3.5, 1.2));
    }

    @Test
    void theDefaultsAreTheStudysChoice() {
        // docs/BENCHMARKS.md, "Where the methods help": beta 4 had the best mean validation WGA over the datasets.
        assertEquals(new ReadoutWeights(1, 4, Normalisation.MEAN), ReadoutWeights.defaults(Normalisation.MEAN));
        // At beta 4 example 1 (margin 0.625) weighs exp(2.5) = 12.182493960703473.
        assertEquals(12.182493960703473, ReadoutWeights.defaults(Normalisation.NONE).weights(PROBS, LABELS)[1], EXACT);
    }

    @Test
    void badInputsAreNamed() {
        assertEquals("early readout probabilities [0.5, NaN, 0.5] hold NaN, not a probability",
                assertThrows(IllegalArgumentException.class,
                        () -> RAW.readout(new float[] {0.5f, Float.NaN, 0.5f}, 0)).getMessage());
        assertEquals("early readout probabilities [0.5, 0.25, 0.125] sum to 0.875, not 1",
                assertThrows(IllegalArgumentException.class,
                        () -> RAW.readout(new float[] {0.5f, 0.25f, 0.125f}, 0)).getMessage());
        assertEquals("early readout probabilities [1.0] need at least 2 classes for a margin",
                assertThrows(IllegalArgumentException.class, () -> RAW.readout(new float[] {1f}, 0)).getMessage());
        assertEquals("label is 3, not a class in [0, 3)",
                assertThrows(IllegalArgumentException.class, () -> RAW.readout(PROBS[0], 3)).getMessage());
        assertEquals("example 1: label is -1, not a class in [0, 3)",
                assertThrows(IllegalArgumentException.class,
                        () -> MEAN.weights(PROBS, new int[] {0, -1, 2, 1, 2})).getMessage());
        assertEquals("mean readout weight 0.0 must be a positive number",
                assertThrows(IllegalArgumentException.class, () -> MEAN.normalise(2, 0)).getMessage());
        assertEquals("readout weight alpha 0.0 must be a positive number",
                assertThrows(IllegalArgumentException.class,
                        () -> new ReadoutWeights(0, 2, Normalisation.NONE)).getMessage());
        assertEquals("readout weight beta -1.0 must be a number >= 0",
                assertThrows(IllegalArgumentException.class,
                        () -> new ReadoutWeights(1, -1, Normalisation.NONE)).getMessage());
        assertEquals("weight normalisation 'median' is not one of none, mean",
                assertThrows(IllegalArgumentException.class, () -> Normalisation.parse("median")).getMessage());
        assertEquals(Normalisation.MEAN, Normalisation.parse("mean"));
    }
}
