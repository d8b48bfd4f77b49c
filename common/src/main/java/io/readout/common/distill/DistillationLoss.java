package io.readout.common.distill;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The student's loss in knowledge distillation and in early-readout debiased distillation (DEDIER,
 * Tiwari et al., WACV 2024), for an output layer with softmax activation. Per example, with student
 * logits z (the layer's pre-output), one-hot label y, teacher probabilities q = softmax(t / T) and
 * weight w:
 * <pre>
 *   kd:   loss = (1 - λ)·CE(y, softmax(z)) + λ·w·T²·KL(q ‖ softmax(z / T))
 *   both: loss = w·[(1 - λ)·CE(y, softmax(z)) + λ·T²·KL(q ‖ softmax(z / T))]
 * </pre>
 * The T² keeps the teacher term's gradient, λ·w·T·(softmax(z/T) - q), on the scale of the label term's
 * as T changes (Hinton et al., 2015).
 *
 * <p>Labels are one row per example, {@code [one-hot (C) | teacher probabilities at T (C) | weight (1)]},
 * built by {@link DistillationLabels}. Weights and teacher probabilities travel in the labels rather than
 * in a label mask because DL4J turns merged {@code [n,1]} masks into per-output masks, which softmax
 * cross-entropy rejects. A mask, if given, must be per example ({@code [n,1]}) and multiplies rows.
 *
 * <p>Serialised with DL4J's network configuration (shaded Jackson) and with Java serialisation.
 *
 * @param lambda       share of the teacher term, in [0, 1]; 0 is plain cross-entropy
 * @param temperature  T > 0, the one the teacher probabilities in the labels were softened with
 * @param weightTarget which term the per-example weight multiplies
 */
public record DistillationLoss(@JsonProperty("lambda") double lambda,
                               @JsonProperty("temperature") double temperature,
                               @JsonProperty("weightTarget") WeightTarget weightTarget) implements ILossFunction {

    /** Which term of the loss the per-example weight multiplies. */
    public enum WeightTarget {
        /** Only the teacher-matching term, as in DEDIER. */
        KD,
        /** The whole example's loss, label and teacher terms alike. */
        BOTH;

        /** {@code kd} or {@code both}. */
        public static WeightTarget parse(String name) {
            return OptionNames.parse(WeightTarget.class, name, "weight target");
        }

        @Override
        public String toString() {
            return OptionNames.of(this);
        }
    }

    @JsonCreator
    public DistillationLoss {
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("distillation lambda " + lambda + " must be in [0, 1]");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("distillation temperature " + temperature + " must be a positive number");
        }
        if (weightTarget == null) {
            throw new IllegalArgumentException("distillation weight target is missing: give kd or both");
        }
    }

    /** The DEDIER loss: the weight multiplies the teacher term. */
    public DistillationLoss(double lambda, double temperature) {
        this(lambda, temperature, WeightTarget.KD);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Minibatch b = minibatch(labels, preOutput, activationFn, mask);
        INDArray crossEntropy = b.oneHot.mul(b.logProbs).sum(true, 1).negi();
        // Classes the teacher gives probability 0 add 0·log(1) = 0 to the divergence, not 0·(-inf).
        INDArray safeTeacher = b.teacher.dup();
        BooleanIndexing.replaceWhere(safeTeacher, 1.0, Conditions.lessThanOrEqual(0.0));
        INDArray divergence = b.teacher.mul(Transforms.log(safeTeacher, false).subi(b.softLogProbs)).sum(true, 1);
        INDArray labelTerm = crossEntropy.muli(1 - lambda);
        INDArray teacherTerm = divergence.muli(lambda * temperature * temperature);
        INDArray loss = weightTarget == WeightTarget.KD
                ? labelTerm.addi(teacherTerm.muli(b.weight))
                : labelTerm.addi(teacherTerm).muli(b.weight);
        return b.masked(loss);
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
        double sum = scores.sumNumber().doubleValue();
        return average ? sum / scores.size(0) : sum;
    }

    /**
     * dL/dz per example, not divided by the minibatch size (DL4J's updater divides). The label term's
     * gradient is softmax(z)·Σy - y, which is softmax(z) - y for a one-hot y; the teacher term's is
     * T·(softmax(z/T)·Σq - q).
     */
    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Minibatch b = minibatch(labels, preOutput, activationFn, mask);
        INDArray labelGrad = Transforms.exp(b.logProbs, true)
                .muliColumnVector(b.oneHot.sum(true, 1)).subi(b.oneHot).muli(1 - lambda);
        INDArray teacherGrad = Transforms.exp(b.softLogProbs, true)
                .muliColumnVector(b.teacher.sum(true, 1)).subi(b.teacher).muli(lambda * temperature);
        INDArray grad = weightTarget == WeightTarget.KD
                ? labelGrad.addi(teacherGrad.muliColumnVector(b.weight))
                : labelGrad.addi(teacherGrad).muliColumnVector(b.weight);
        return b.masked(grad);
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                          IActivation activationFn, INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return toString();
    }

    /** A minibatch's labels split into their three parts, the student's log-probabilities at 1 and T, the mask. */
    private record Minibatch(INDArray oneHot, INDArray teacher, INDArray weight, INDArray logProbs,
                             INDArray softLogProbs, INDArray mask) {

        /** The rows multiplied by the per-example mask, if there is one. */
        INDArray masked(INDArray rows) {
            return mask == null ? rows : rows.muliColumnVector(mask);
        }
    }

    /** Checks the arguments DL4J passes and splits the labels; the inputs are read, never modified. */
    private Minibatch minibatch(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        if (!(activationFn instanceof ActivationSoftmax)) {
            throw new IllegalArgumentException("DistillationLoss needs an output layer with softmax activation, not "
                    + activationFn);
        }
        if (preOutput.rank() != 2) {
            throw new IllegalArgumentException("DistillationLoss needs output of shape [examples, classes], not "
                    + Arrays.toString(preOutput.shape()));
        }
        long n = preOutput.size(0);
        long c = preOutput.size(1);
        if (labels.rank() != 2 || labels.size(0) != n || labels.size(1) != DistillationLabels.width(c)) {
            throw new IllegalArgumentException("DistillationLoss labels for " + n + " examples of " + c
                    + " classes must have shape [" + n + ", " + DistillationLabels.width(c) + "] = [one-hot (" + c
                    + ") | teacher probabilities (" + c + ") | weight (1)], not " + Arrays.toString(labels.shape()));
        }
        if (mask != null && !(mask.length() == n && (mask.rank() == 1 || mask.rank() == 2 && mask.size(0) == n))) {
            throw new IllegalArgumentException("DistillationLoss takes a per-example mask of shape [" + n
                    + ", 1], not " + Arrays.toString(mask.shape()) + " (per-output masks are not supported)");
        }
        INDArray l = labels.castTo(preOutput.dataType());
        return new Minibatch(
                l.get(NDArrayIndex.all(), NDArrayIndex.interval(0, c)),
                l.get(NDArrayIndex.all(), NDArrayIndex.interval(c, 2 * c)),
                l.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * c, 2 * c + 1)),
                logSoftmax(preOutput),
                logSoftmax(preOutput.div(temperature)),
                mask == null ? null : mask.castTo(preOutput.dataType()).reshape(n, 1));
    }

    /** log softmax of each row, computed from the row minus its maximum so that exp cannot overflow. */
    private static INDArray logSoftmax(INDArray logits) {
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        return shifted.subiColumnVector(logSumExp);
    }
}
