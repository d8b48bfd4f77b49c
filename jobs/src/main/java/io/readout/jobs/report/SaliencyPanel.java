package io.readout.jobs.report;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.ImageShape;
import io.readout.datasets.Minibatches;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.passes.ModelCompatibility;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

/**
 * Saliency maps of a few test examples per group, for every run trained on one examples table: the
 * first {@code perGroup} test examples of each group by id (an example without a group counts in the
 * group of its label, as in evaluation), and each run's {@link Saliency} maps of them from its
 * {@code model.zip}, computed on the driver. What cannot be shown (no such table, feature vectors, a
 * model that does not fit the data) becomes a note on the page, not a failure of the report.
 */
public record SaliencyPanel(String data, ImageShape shape, List<Example> examples, List<RunMaps> runs,
                            List<String> notes) {
    private static final Logger LOG = LoggerFactory.getLogger(SaliencyPanel.class);
    private static final String GROUP_OF = "_report_group";

    /** A test example: its CHW pixels in [0, 1]. */
    public record Example(String id, int group, int label, float[] pixels) {
    }

    /** One run's maps of the panel's examples, in the same order. */
    public record RunMaps(ReportModel.Run run, Saliency.Maps maps) {
    }

    /** One panel per examples table the runs name in config.json, in the runs' order. */
    public static List<SaliencyPanel> build(SparkSession spark, ReportModel model, int perGroup) {
        List<SaliencyPanel> out = new ArrayList<>();
        if (perGroup <= 0) {
            return out;
        }
        Map<String, List<ReportModel.Run>> byData = new LinkedHashMap<>();
        for (ReportModel.Run r : model.runs()) {
            if (r.data() != null) {
                byData.computeIfAbsent(r.data(), d -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<ReportModel.Run>> e : byData.entrySet()) {
            out.add(build(spark, e.getKey(), e.getValue(), perGroup));
        }
        return out;
    }

    static SaliencyPanel build(SparkSession spark, String data, List<ReportModel.Run> runs, int perGroup) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> notes = new ArrayList<>();
        ExamplesTable table;
        try {
            table = ExamplesTable.open(new HadoopInputs(conf), data, "data");
        } catch (BadInputException e) {
            notes.add("no saliency maps: " + e.getMessage());
            return new SaliencyPanel(data, null, List.of(), List.of(), notes);
        }
        if (!table.isImage()) {
            notes.add("no saliency maps: " + data + " holds feature vectors, not images");
            return new SaliencyPanel(data, null, List.of(), List.of(), notes);
        }
        List<Row> rows = table.split(spark, Split.TEST)
                .withColumn(GROUP_OF, coalesce(col(ExamplesSchema.GROUP), col(ExamplesSchema.LABEL)))
                .withColumn("_k", row_number().over(Window.partitionBy(GROUP_OF).orderBy(col(ExamplesSchema.ID))))
                .where(col("_k").leq(perGroup))
                .orderBy(col(GROUP_OF), col(ExamplesSchema.ID))
                .collectAsList();
        if (rows.isEmpty()) {
            notes.add("no saliency maps: " + data + " has no test examples");
            return new SaliencyPanel(data, table.shape(), List.of(), List.of(), notes);
        }
        INDArray features = Minibatches.features(rows, table);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            examples.add(new Example(r.getString(r.fieldIndex(ExamplesSchema.ID)), r.getInt(r.fieldIndex(GROUP_OF)),
                    r.getInt(r.fieldIndex(ExamplesSchema.LABEL)),
                    features.get(NDArrayIndex.point(i)).castTo(DataType.FLOAT).dup('c')
                            .data().asFloat()));
        }
        List<RunMaps> maps = new ArrayList<>();
        for (ReportModel.Run run : runs) {
            RunDir dir = new RunDir(conf, run.dir());
            if (!dir.exists(RunDir.MODEL)) {
                notes.add(run.label() + ": no " + RunDir.MODEL);
                continue;
            }
            try {
                ComputationGraph net = dir.loadModel(RunDir.MODEL);
                ModelCompatibility.require(net, table, dir.path(RunDir.MODEL), data);
                maps.add(new RunMaps(run, Saliency.compute(net, features.castTo(net.params().dataType()))));
                LOG.info("report: saliency of {} on {} examples", run.label(), rows.size());
            } catch (BadInputException e) {
                notes.add(run.label() + ": " + e.getMessage());
            }
        }
        return new SaliencyPanel(data, table.shape(), List.copyOf(examples), List.copyOf(maps), notes);
    }
}
