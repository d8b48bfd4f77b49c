package io.readout.common.distill;

import io.readout.common.distill.DistillationLoss.WeightTarget;
import io.readout.common.distill.ReadoutWeights.Normalisation;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The label layout the distillation loss reads, softened teacher probabilities, and DEDIER = KD at weight 1. */
class DistillationLabelsTest {

    @Test
    void rowsAreOneHotThenTeacherThenWeight() {
        INDArray labels = DistillationLabels.of(new int[] {1, 0}, new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}},
                new float[] {2.5f, 1f}, 2);
        assertEquals(DataType.FLOAT, labels.dataType());
        assertArrayEquals(new float[][] {{0, 1, 0.25f, 0.75f, 2.5f}, {1, 0, 0.5f, 0.5f, 1}}, labels.toFloatMatrix());
        assertArrayEquals(new float[][] {{0, 1}, {1, 0}}, DistillationLabels.oneHot(labels).toFloatMatrix());
        assertArrayEquals(new float[] {1, 1},
                DistillationLabels.of(new int[] {1, 0}, new float[][] {{0.25f, 0.75f}, {0.5f, 0.5f}}, 2)
                        .getColumn(4).toFloatVector());
    }

    @Test
    void softenIsSoftmaxOfLogitsOverTemperature() {
        // [2, 0] at T = 2: softmax(1, 0) = (e/(e+1), 1/(e+1)) = (0.731058578630005, 0.268941421369995)
        assertArrayEquals(new float[] {0.731058578630005f, 0.268941421369995f},
                DistillationLabels.soften(new float[] {2, 0}, 2), 1e-7f);
        // [4, 0, -2] at T = 2: softmax(2, 0, -1) = (e², 1, e⁻¹)/8.756935540102093
        //                                       = (0.843794734481339, 0.114195199384594, 0.042010066134066)
        assertArrayEquals(new float[] {0.843794734481339f, 0.114195199384594f, 0.042010066134066f},
                DistillationLabels.soften(new float[] {4, 0, -2}, 2), 1e-7f);
        // Huge logits neither overflow nor give NaN: e^-1000 is 0 in float.
        assertArrayEquals(new float[] {1, 0}, DistillationLabels.soften(new float[] {1000, 0}, 1));
    }

    @Test
    void dedierWithNoWrongReadoutIsKnowledgeDistillation() {
        // Every early readout is right, so every raw weight is 1 and so is their mean: the DEDIER labels are
        // the KD labels, and the loss gives exactly the same score and gradient, whichever term the weight targets.
        int[] labels = {0, 2, 1};
        float[][] readout = {{0.75f, 0.125f, 0.125f}, {0.25f, 0.125f, 0.625f}, {0.25f, 0.5f, 0.25f}};
        float[][] teacher = {
                DistillationLabels.soften(new float[] {4, 0, -2}, 2),
                DistillationLabels.soften(new float[] {0, 1, 3}, 2),
                DistillationLabels.soften(new float[] {1, 1, 0}, 2)};
        double[] weights = ReadoutWeights.defaults(Normalisation.MEAN).weights(readout, labels);
        assertArrayEquals(new double[] {1, 1, 1}, weights);
        INDArray dedier = DistillationLabels.of(labels, teacher, toFloats(weights), 3);
        INDArray kd = DistillationLabels.of(labels, teacher, 3);
        assertEquals(kd, dedier);

        INDArray z = Nd4j.createFromArray(new float[][] {{2, 0, -1}, {0.5f, -0.5f, 1}, {-1, 3, 0}});
        ActivationSoftmax softmax = new ActivationSoftmax();
        for (WeightTarget target : WeightTarget.values()) {
            DistillationLoss loss = new DistillationLoss(0.7, 2, target);
            assertEquals(loss.computeScoreArray(kd, z, softmax, null), loss.computeScoreArray(dedier, z, softmax, null));
            assertEquals(loss.computeGradient(kd, z, softmax, null), loss.computeGradient(dedier, z, softmax, null));
        }
    }

    @Test
    void badInputsAreNamed() {
        float[][] teacher = {{0.5f, 0.5f}, {0.25f, 0.75f}};
        assertEquals("label of example 1 is 2, not a class in [0, 2)",
                assertThrows(IllegalArgumentException.class,
                        () -> DistillationLabels.of(new int[] {0, 2}, teacher, 2)).getMessage());
        assertEquals("teacher probabilities of example 0 [0.5, 0.25] sum to 0.75, not 1",
                assertThrows(IllegalArgumentException.class, () -> DistillationLabels.of(new int[] {0, 1},
                        new float[][] {{0.5f, 0.25f}, {0.25f, 0.75f}}, 2)).getMessage());
        assertEquals("teacher probabilities of example 1 [0.25, 0.25, 0.5] have 3 classes, expected 2",
                assertThrows(IllegalArgumentException.class, () -> DistillationLabels.of(new int[] {0, 1},
                        new float[][] {{0.5f, 0.5f}, {0.25f, 0.25f, 0.5f}}, 2)).getMessage());
        assertEquals("weight of example 0 is -1.0, not a finite number >= 0",
                assertThrows(IllegalArgumentException.class, () -> DistillationLabels.of(new int[] {0, 1}, teacher,
                        new float[] {-1, 1}, 2)).getMessage());
        assertEquals("distillation labels: 3 labels, 2 teacher probability rows and 2 weights; all three must be one "
                        + "per example",
                assertThrows(IllegalArgumentException.class, () -> DistillationLabels.of(new int[] {0, 1, 1}, teacher,
                        new float[] {1, 1}, 2)).getMessage());
        assertEquals("temperature 0.0 must be a positive number",
                assertThrows(IllegalArgumentException.class,
                        () -> DistillationLabels.soften(new float[] {1, 0}, 0)).getMessage());
        assertEquals("distillation labels have 2C+1 columns for C >= 2 classes, not shape [2, 4]",
                assertThrows(IllegalArgumentException.class,
                        () -> DistillationLabels.oneHot(Nd4j.zeros(DataType.FLOAT, 2, 4))).getMessage());
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
