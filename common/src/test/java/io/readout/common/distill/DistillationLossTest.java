package io.readout.common.distill;

import io.readout.common.distill.DistillationLoss.WeightTarget;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The distillation loss against values worked out by hand (λ = 0.7, T = 2), against DL4J's own
 * cross-entropy, and its gradient against central finite differences of its score.
 */
class DistillationLossTest {
    private static final IActivation SOFTMAX = new ActivationSoftmax();
    private static final DistillationLoss KD = new DistillationLoss(0.7, 2, WeightTarget.KD);
    private static final DistillationLoss BOTH = new DistillationLoss(0.7, 2, WeightTarget.BOTH);
    private static final double EXACT = 1e-12;

    /** Two rows with the same logits, label and teacher, weights 1 and 2.5. */
    private static INDArray twoWeights(double[] oneHot, double[] teacher) {
        return Nd4j.createFromArray(new double[][] {row(oneHot, teacher, 1), row(oneHot, teacher, 2.5)});
    }

    private static double[] row(double[] oneHot, double[] teacher, double weight) {
        double[] r = new double[2 * oneHot.length + 1];
        System.arraycopy(oneHot, 0, r, 0, oneHot.length);
        System.arraycopy(teacher, 0, r, oneHot.length, teacher.length);
        r[r.length - 1] = weight;
        return r;
    }

    private static INDArray logits(double[]... rows) {
        return Nd4j.createFromArray(rows);
    }

    private static void assertRows(double[][] expected, INDArray actual) {
        assertArrayEquals(new long[] {expected.length, expected[0].length}, actual.shape());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.getRow(i).toDoubleVector(), EXACT, "row " + i);
        }
    }

    /** Per-example scores, their sum and mean, and the gradient, against hand-computed values. */
    private static void assertLoss(DistillationLoss loss, INDArray labels, INDArray z, double[] scores,
                                   double[][] gradient) {
        assertRows(new double[][] {scores}, loss.computeScoreArray(labels, z, SOFTMAX, null).reshape(1, scores.length));
        double sum = 0;
        for (double e : scores) {
            sum += e;
        }
        assertEquals(sum, loss.computeScore(labels, z, SOFTMAX, null, false), EXACT);
        assertEquals(sum / scores.length, loss.computeScore(labels, z, SOFTMAX, null, true), EXACT);
        assertRows(gradient, loss.computeGradient(labels, z, SOFTMAX, null));
    }

    // z = [1, 0], label 0, teacher q = [0.25, 0.75] (it leans the other way); weights 1 and 2.5.
    //   p  = softmax(1, 0)   = (e/(e+1), 1/(e+1))   = (0.731058578630005, 0.268941421369995)
    //   CE = -ln p0 = ln(1 + 1/e)                   = 0.313261687518223
    //   pT = softmax(1/2, 0/2)                      = (0.622459331201855, 0.377540668798145)
    //   KL = 0.25·ln(0.25/pT0) + 0.75·ln(0.75/pT1) = -0.228054344234946 + 0.514796183796244 = 0.286741839561298
    //   (1-λ)·CE = 0.3·CE = 0.093978506255467;  λ·T²·KL = 0.7·4·KL = 0.802877150771635
    //   p - y  = (-0.268941421369995, 0.268941421369995)
    //   pT - q = ( 0.372459331201855, -0.372459331201855);  the teacher term's gradient is λ·T·w·(pT - q) = 1.4·w·(pT - q)
    private static final INDArray Z2 = logits(new double[] {1, 0}, new double[] {1, 0});
    private static final INDArray LABELS2 = twoWeights(new double[] {1, 0}, new double[] {0.25, 0.75});

    @Test
    void twoClassesWeightingTheTeacherTerm() {
        // w = 1:   0.093978506255467 + 1.0·0.802877150771635 = 0.896855657027102
        // w = 2.5: 0.093978506255467 + 2.5·0.802877150771635 = 0.093978506255467 + 2.007192876929088 = 2.101171383184555
        // gradient, class 0, w = 1:   0.3·(-0.268941421369995) + 1.4·0.372459331201855 = -0.080682426410999 + 0.521443063682597
        //           class 0, w = 2.5: -0.080682426410999 + 3.5·0.372459331201855 = -0.080682426410999 + 1.303607659206493
        //           class 1 is the negative (both differences sum to 0 over the classes).
        assertLoss(KD, LABELS2, Z2, new double[] {0.896855657027102, 2.101171383184555},
                new double[][] {{0.440760637271598, -0.440760637271598}, {1.222925232795494, -1.222925232795494}});
    }

    @Test
    void twoClassesWeightingTheWholeLoss() {
        // w = 1 as above; w = 2.5: 2.5·0.896855657027102 = 2.242139142567755, gradient 2.5·0.440760637271598 = 1.101901593178995
        assertLoss(BOTH, LABELS2, Z2, new double[] {0.896855657027102, 2.242139142567755},
                new double[][] {{0.440760637271598, -0.440760637271598}, {1.101901593178995, -1.101901593178995}});
    }

    // z = [2, 0, -1], label 1 (the student is wrong), teacher q = [0.5, 0.25, 0.25]; weights 1 and 2.5.
    //   S  = e² + 1 + e⁻¹ = 7.389056098930650 + 1 + 0.367879441171442 = 8.756935540102093
    //   p  = (e², 1, e⁻¹)/S = (0.843794734481339, 0.114195199384594, 0.042010066134066)
    //   CE = -ln p1 = ln S = 2.169846019556286
    //   pT = softmax(1, 0, -0.5) = (e, 1, e^-0.5)/(e + 1 + e^-0.5) = (0.628531719211762, 0.231223897622149, 0.140244383166088)
    //   KL = 0.5·ln(0.5/pT0) + 0.25·ln(0.25/pT1) + 0.25·ln(0.25/pT2)
    //      = -0.114389198226000 + 0.019518605747014 + 0.144518605747014 = 0.049648013268027
    //   0.3·CE = 0.650953805866886;  2.8·KL = 0.139014437150475;  7·KL = 0.347536092876189
    //   p - y  = (0.843794734481339, -0.885804800615406, 0.042010066134066)
    //   pT - q = (0.128531719211762, -0.018776102377851, -0.109755616833912)
    private static final INDArray Z3 = logits(new double[] {2, 0, -1}, new double[] {2, 0, -1});
    private static final INDArray LABELS3 = twoWeights(new double[] {0, 1, 0}, new double[] {0.5, 0.25, 0.25});

    @Test
    void threeClassesWeightingTheTeacherTerm() {
        // w = 1:   0.650953805866886 + 0.139014437150475 = 0.789968243017361
        // w = 2.5: 0.650953805866886 + 0.347536092876189 = 0.998489898743075
        // gradient, w = 1: 0.3·(p - y) + 1.4·(pT - q)
        //        = (0.253138420344402 + 0.179944406896467, -0.265741440184622 - 0.026286543328991, 0.012603019840220 - 0.153657863567477)
        // w = 2.5: 0.3·(p - y) + 3.5·(pT - q)
        //        = (0.253138420344402 + 0.449861017241167, -0.265741440184622 - 0.065716358322479, 0.012603019840220 - 0.384144658918692)
        assertLoss(KD, LABELS3, Z3, new double[] {0.789968243017361, 0.998489898743075}, new double[][] {
                {0.433082827240869, -0.292027983513613, -0.141054843727257},
                {0.702999437585569, -0.331457798507101, -0.371541639078472}});
    }

    @Test
    void threeClassesWeightingTheWholeLoss() {
        // w = 2.5: 2.5·0.789968243017361 = 1.974920607543403, and 2.5 times the w = 1 gradient
        assertLoss(BOTH, LABELS3, Z3, new double[] {0.789968243017361, 1.974920607543403}, new double[][] {
                {0.433082827240869, -0.292027983513613, -0.141054843727257},
                {1.082707068102173, -0.730069958784033, -0.352637109318143}});
    }

    @Test
    void aTeacherProbabilityOfZeroAddsNothing() {
        // z = [1, 0], label 0, q = [1, 0], w = 1: KL = 1·ln(1/pT0) + 0 = ln(1 + e^-0.5) = 0.474076984180107
        // loss = 0.093978506255467 + 2.8·0.474076984180107 = 0.093978506255467 + 1.327415555704299 = 1.421394061959766
        // gradient, class 0: 0.3·(p0 - 1) + 1.4·(pT0 - 1) = 0.3·(-0.268941421369995) + 1.4·(-0.377540668798145)
        //                  = -0.080682426410999 - 0.528556936317403 = -0.609239362728402; class 1 the negative
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0, 1, 0, 1}});
        assertLoss(KD, labels, logits(new double[] {1, 0}), new double[] {1.421394061959766},
                new double[][] {{-0.609239362728402, 0.609239362728402}});
    }

    @Test
    void hugeLogitsStayFinite() {
        // z = [1000, 0], label 1, q = [0.5, 0.5], w = 1: log p = (0, -1000) and log pT = (0, -500) to double precision.
        //   CE = 1000; KL = 0.5·(ln 0.5 - 0) + 0.5·(ln 0.5 + 500) = 250 + ln 0.5 = 249.306852819440055
        //   loss = 0.3·1000 + 2.8·249.306852819440055 = 300 + 698.059187894432 = 998.059187894432
        //   gradient = 0.3·(1 - 0, 0 - 1) + 1.4·(1 - 0.5, 0 - 0.5) = (1, -1)
        INDArray labels = Nd4j.createFromArray(new double[][] {{0, 1, 0.5, 0.5, 1}});
        INDArray z = logits(new double[] {1000, 0});
        assertEquals(998.059187894432, KD.computeScore(labels, z, SOFTMAX, null, true), 1e-9);
        assertRows(new double[][] {{1, -1}}, KD.computeGradient(labels, z, SOFTMAX, null));
    }

    @Test
    void lambdaZeroIsDl4jCrossEntropy() {
        Random random = new Random(3);
        int n = 6;
        int c = 4;
        INDArray z = Nd4j.zeros(DataType.DOUBLE, n, c);
        INDArray oneHot = Nd4j.zeros(DataType.DOUBLE, n, c);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                z.putScalar(i, j, 2 * random.nextGaussian());
            }
            int label = random.nextInt(c);
            oneHot.putScalar(i, label, 1);
            rows[i] = row(oneHot.getRow(i).toDoubleVector(), randomDistribution(random, c), 0.5 + 2 * random.nextDouble());
        }
        INDArray labels = Nd4j.createFromArray(rows);
        INDArray weights = labels.getColumn(2 * c).reshape(n, 1);
        LossMCXENT mcxent = new LossMCXENT();
        // With λ = 0 and the weight on the teacher term only, the weights do not matter.
        DistillationLoss crossEntropy = new DistillationLoss(0, 2, WeightTarget.KD);
        for (boolean average : new boolean[] {true, false}) {
            assertEquals(mcxent.computeScore(oneHot, z, SOFTMAX, null, average),
                    crossEntropy.computeScore(labels, z, SOFTMAX, null, average), EXACT);
        }
        assertRows(mcxent.computeScoreArray(oneHot, z, SOFTMAX, null).reshape(n, 1).toDoubleMatrix(),
                crossEntropy.computeScoreArray(labels, z, SOFTMAX, null));
        assertRows(mcxent.computeGradient(oneHot, z, SOFTMAX, null).toDoubleMatrix(),
                crossEntropy.computeGradient(labels, z, SOFTMAX, null));
        // Weighting the whole loss, λ = 0 is weighted cross-entropy: w_i times DL4J's, row by row.
        DistillationLoss weighted = new DistillationLoss(0, 2, WeightTarget.BOTH);
        assertRows(mcxent.computeScoreArray(oneHot, z, SOFTMAX, null).reshape(n, 1).mul(weights).toDoubleMatrix(),
                weighted.computeScoreArray(labels, z, SOFTMAX, null));
        assertRows(mcxent.computeGradient(oneHot, z, SOFTMAX, null).mulColumnVector(weights).toDoubleMatrix(),
                weighted.computeGradient(labels, z, SOFTMAX, null));
    }

    @Test
    void weightsOfOneAreTheSameForBothTargets() {
        assertArrayEquals(KD.computeScoreArray(LABELS3, Z3, SOFTMAX, null).getRow(0).toDoubleVector(),
                BOTH.computeScoreArray(LABELS3, Z3, SOFTMAX, null).getRow(0).toDoubleVector(), 0);
        assertArrayEquals(KD.computeGradient(LABELS3, Z3, SOFTMAX, null).getRow(0).toDoubleVector(),
                BOTH.computeGradient(LABELS3, Z3, SOFTMAX, null).getRow(0).toDoubleVector(), 0);
    }

    @Test
    void gradientMatchesCentralDifferences() {
        Random random = new Random(11);
        int n = 4;
        int c = 5;
        double[][] z = new double[n][c];
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                z[i][j] = 1.5 * random.nextGaussian();
            }
            double[] oneHot = new double[c];
            oneHot[random.nextInt(c)] = 1;
            rows[i] = row(oneHot, randomDistribution(random, c), 0.5 + 2 * random.nextDouble());
        }
        INDArray labels = Nd4j.createFromArray(rows);
        INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}, {1}});
        double h = 1e-5;
        for (DistillationLoss loss : new DistillationLoss[] {KD, BOTH, new DistillationLoss(0.3, 4.5, WeightTarget.KD)}) {
            for (INDArray m : new INDArray[] {null, mask}) {
                INDArray grad = loss.computeGradient(labels, Nd4j.createFromArray(z), SOFTMAX, m);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < c; j++) {
                        double[][] plus = copy(z);
                        double[][] minus = copy(z);
                        plus[i][j] += h;
                        minus[i][j] -= h;
                        double numeric = (loss.computeScore(labels, Nd4j.createFromArray(plus), SOFTMAX, m, false)
                                - loss.computeScore(labels, Nd4j.createFromArray(minus), SOFTMAX, m, false)) / (2 * h);
                        assertEquals(numeric, grad.getDouble(i, j), 1e-8, loss + " mask " + (m != null) + " at " + i + "," + j);
                    }
                }
                if (m != null) {
                    assertEquals(0, loss.computeScoreArray(labels, Nd4j.createFromArray(z), SOFTMAX, m).getDouble(1, 0));
                    assertArrayEquals(new double[c], grad.getRow(1).toDoubleVector(), 0);
                }
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("DistillationLoss needs an output layer with softmax activation, not identity",
                assertThrows(IllegalArgumentException.class,
                        () -> KD.computeScore(LABELS2, Z2, new ActivationIdentity(), null, true)).getMessage());
        INDArray oneHotOnly = Nd4j.createFromArray(new double[][] {{1, 0}, {1, 0}});
        assertEquals("DistillationLoss labels for 2 examples of 2 classes must have shape [2, 5] = [one-hot (2) "
                        + "| teacher probabilities (2) | weight (1)], not [2, 2]",
                assertThrows(IllegalArgumentException.class,
                        () -> KD.computeGradient(oneHotOnly, Z2, SOFTMAX, null)).getMessage());
        INDArray perOutput = Nd4j.ones(DataType.DOUBLE, 2, 2);
        assertEquals("DistillationLoss takes a per-example mask of shape [2, 1], not [2, 2] (per-output masks are "
                        + "not supported)",
                assertThrows(IllegalArgumentException.class,
                        () -> KD.computeGradient(LABELS2, Z2, SOFTMAX, perOutput)).getMessage());
        assertEquals("distillation lambda 1.5 must be in [0, 1]",
                assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(1.5, 2)).getMessage());
        assertEquals("distillation temperature 0.0 must be a positive number",
                assertThrows(IllegalArgumentException.class, () -> new DistillationLoss(0.5, 0)).getMessage());
        assertEquals("weight target 'dedier' is not one of kd, both",
                assertThrows(IllegalArgumentException.class, () -> WeightTarget.parse("dedier")).getMessage());
        assertEquals(WeightTarget.BOTH, WeightTarget.parse("both"));
    }

    @Test
    void floatLabelsWorkWithDoubleOutput() {
        // The network's output may be DOUBLE while labels are built as FLOAT: the loss casts the labels.
        INDArray floatLabels = LABELS2.castTo(DataType.FLOAT);
        assertEquals(KD.computeScore(LABELS2, Z2, SOFTMAX, null, true),
                KD.computeScore(floatLabels, Z2, SOFTMAX, null, true), 1e-7);
    }

    static double[] randomDistribution(Random random, int c) {
        double[] q = new double[c];
        double sum = 0;
        for (int j = 0; j < c; j++) {
            q[j] = Math.exp(random.nextGaussian());
            sum += q[j];
        }
        for (int j = 0; j < c; j++) {
            q[j] /= sum;
        }
        return q;
    }

    private static double[][] copy(double[][] a) {
        double[][] b = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i].clone();
        }
        return b;
    }
}
