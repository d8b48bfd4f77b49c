package io.readout.jobs.train;

import io.readout.common.distill.DistillationLabels;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.passes.TeacherProbs;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.Arrays;
import java.util.List;

/**
 * Rows of examples ⋈ teacher probs (⋈ weights) to the minibatches a student fits, on the executors.
 * Features as {@link Minibatches#features}; labels {@link DistillationLabels} ({@code [one-hot |
 * teacher probs | weight]}, 2C+1 columns) for the main output. KD: a {@link DataSet}, every weight 1.
 * DEDIER: a {@link MultiDataSet} whose labels are [distillation labels, one-hot labels] for the outputs
 * [{@code output}, {@code readout}], the readout learning the labels by cross-entropy. No label masks:
 * weights travel in the labels.
 */
final class DistillationBatches {
    private DistillationBatches() {
    }

    /** Columns: label, features, probs. */
    static DataSet kd(List<Row> rows, ExamplesTable table) {
        return new DataSet(Minibatches.features(rows, table), labels(rows, table, false));
    }

    /** Columns: label, features, probs, weight. */
    static MultiDataSet dedier(List<Row> rows, ExamplesTable table) {
        return new MultiDataSet(new INDArray[] {Minibatches.features(rows, table)},
                new INDArray[] {labels(rows, table, true), Minibatches.labels(rows, table.numClasses())});
    }

    private static INDArray labels(List<Row> rows, ExamplesTable table, boolean weighted) {
        int n = rows.size();
        int[] labels = new int[n];
        float[][] probs = new float[n][];
        float[] weights = new float[n];
        Arrays.fill(weights, 1f);
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            labels[i] = r.getInt(r.fieldIndex(ExamplesSchema.LABEL));
            List<Float> p = r.getList(r.fieldIndex(TeacherProbs.PROBS));
            probs[i] = new float[p.size()];
            for (int k = 0; k < probs[i].length; k++) {
                probs[i][k] = p.get(k);
            }
            if (weighted) {
                weights[i] = r.getFloat(r.fieldIndex(ReadoutWeightsPass.WEIGHT));
            }
        }
        return DistillationLabels.of(labels, probs, weights, table.numClasses());
    }
}
