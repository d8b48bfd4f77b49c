package io.readout.common.distill;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The labels {@link DistillationLoss} reads: one row per example, {@code [one-hot label (C) | teacher
 * probabilities at temperature T (C) | weight (1)]}, 2C+1 float columns. Plain knowledge distillation
 * is the case of weight 1 everywhere; DEDIER's weights come from {@link ReadoutWeights}.
 */
public final class DistillationLabels {

    private DistillationLabels() {
    }

    /** Columns of a label row for {@code numClasses} classes: 2C+1. */
    public static long width(long numClasses) {
        return 2 * numClasses + 1;
    }

    /**
     * Labels for a minibatch, [n, 2C+1] floats.
     *
     * @param labels       class of each example, in [0, numClasses)
     * @param teacherProbs per example, the teacher's probabilities already softened at the loss's
     *                     temperature ({@link #soften})
     * @param weights      per example, finite and non-negative
     */
    public static INDArray of(int[] labels, float[][] teacherProbs, float[] weights, int numClasses) {
        if (numClasses < 2) {
            throw new IllegalArgumentException("distillation labels need at least 2 classes, not " + numClasses);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("distillation labels need at least one example");
        }
        if (teacherProbs.length != labels.length || weights.length != labels.length) {
            throw new IllegalArgumentException("distillation labels: " + labels.length + " labels, "
                    + teacherProbs.length + " teacher probability rows and " + weights.length
                    + " weights; all three must be one per example");
        }
        float[][] rows = new float[labels.length][(int) width(numClasses)];
        for (int i = 0; i < labels.length; i++) {
            Probabilities.requireLabel(labels[i], numClasses, "label of example " + i);
            Probabilities.requireDistribution(teacherProbs[i], numClasses, "teacher probabilities of example " + i);
            if (!Float.isFinite(weights[i]) || weights[i] < 0) {
                throw new IllegalArgumentException("weight of example " + i + " is " + weights[i]
                        + ", not a finite number >= 0");
            }
            rows[i][labels[i]] = 1;
            System.arraycopy(teacherProbs[i], 0, rows[i], numClasses, numClasses);
            rows[i][2 * numClasses] = weights[i];
        }
        return Nd4j.createFromArray(rows);
    }

    /** Labels for plain knowledge distillation: every weight 1. */
    public static INDArray of(int[] labels, float[][] teacherProbs, int numClasses) {
        float[] ones = new float[labels.length];
        Arrays.fill(ones, 1);
        return of(labels, teacherProbs, ones, numClasses);
    }

    /** The one-hot part of distillation labels, [n, C]: what evaluation compares the network's output with. */
    public static INDArray oneHot(INDArray distillationLabels) {
        long columns = distillationLabels.rank() == 2 ? distillationLabels.size(1) : 0;
        if (columns < width(2) || columns % 2 == 0) {
            throw new IllegalArgumentException("distillation labels have 2C+1 columns for C >= 2 classes, not shape "
                    + Arrays.toString(distillationLabels.shape()));
        }
        return distillationLabels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, (columns - 1) / 2)).dup();
    }

    /** softmax(teacherLogits / T), computed in double from the logits minus their maximum. */
    public static float[] soften(float[] teacherLogits, double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature " + temperature + " must be a positive number");
        }
        if (teacherLogits.length == 0) {
            throw new IllegalArgumentException("teacher logits are empty");
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float t : teacherLogits) {
            if (!Float.isFinite(t)) {
                throw new IllegalArgumentException("teacher logits " + Arrays.toString(teacherLogits) + " hold " + t);
            }
            max = Math.max(max, t);
        }
        double[] exps = new double[teacherLogits.length];
        double sum = 0;
        for (int j = 0; j < exps.length; j++) {
            exps[j] = Math.exp((teacherLogits[j] - max) / temperature);
            sum += exps[j];
        }
        float[] probs = new float[exps.length];
        for (int j = 0; j < exps.length; j++) {
            probs[j] = (float) (exps[j] / sum);
        }
        return probs;
    }
}
