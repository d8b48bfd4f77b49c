package io.readout.jobs.report;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.jobs.passes.ModelCompatibility;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.List;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/**
 * What the example sections of the page ({@link GradCamPanel}, {@link TextPanel}) share: which test examples they
 * show and the models they show them through, on the driver.
 */
final class ShownExamples {
    /** The column holding an example's group, its label where it has none (as evaluation counts it). */
    static final String GROUP_OF = "_report_group";

    private ShownExamples() {
    }

    /**
     * The first {@code perGroup} test examples by id of each of {@code groups} (of every group when it is
     * empty), by group then id, with their group in {@value #GROUP_OF}.
     */
    static List<Row> firstByGroup(SparkSession spark, ExamplesTable table, List<Integer> groups, int perGroup) {
        Dataset<Row> test = table.split(spark, Split.TEST)
                .withColumn(GROUP_OF, coalesce(col(ExamplesSchema.GROUP), col(ExamplesSchema.LABEL)));
        if (!groups.isEmpty()) {
            test = test.where(col(GROUP_OF).isin(groups.toArray()));
        }
        return test
                .withColumn("_k", row_number().over(Window.partitionBy(GROUP_OF).orderBy(col(ExamplesSchema.ID))))
                .where(col("_k").leq(perGroup))
                .orderBy(col(GROUP_OF), col(ExamplesSchema.ID))
                .collectAsList();
    }

    /** A row's group as {@link #firstByGroup} gave it. */
    static int groupOf(Row r) {
        return r.getInt(r.fieldIndex(GROUP_OF));
    }

    /**
     * A run's {@code model.zip}, checked against the table it is shown on; null, with a note saying why, when there
     * is none or it does not fit the data.
     */
    static ComputationGraph model(Configuration conf, ReportModel.Run run, ExamplesTable table, String data,
                                  List<String> notes) {
        RunDir dir = new RunDir(conf, run.dir());
        if (!dir.exists(RunDir.MODEL)) {
            notes.add(run.label() + ": no " + RunDir.MODEL);
            return null;
        }
        try {
            ComputationGraph net = dir.loadModel(RunDir.MODEL);
            ModelCompatibility.require(net, table, dir.path(RunDir.MODEL), data);
            return net;
        } catch (BadInputException e) {
            notes.add(run.label() + ": " + e.getMessage());
            return null;
        }
    }
}
