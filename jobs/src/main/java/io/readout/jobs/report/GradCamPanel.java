package io.readout.jobs.report;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.ImageShape;
import io.readout.datasets.Minibatches;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Grad-CAM maps of a few bias-conflicting test examples, for every run trained on one examples table: the
 * first {@code perGroup} test examples by id of each bias-conflicting group ({@link DatasetGroups}; of every
 * group when the dataset says of none that it is), and each run's {@link GradCam} maps of them from its
 * {@code model.zip}, computed on the driver, the runs in the order of {@link #columns}. What cannot be shown (no
 * such table, feature vectors, a model that does not fit the data or has no convolution layer) becomes a note
 * on the page, not a failure of the report.
 *
 * @param biasConflicting true when the examples are those of the bias-conflicting groups, false when of every group
 */
public record GradCamPanel(String data, ImageShape shape, DatasetGroups groups, boolean biasConflicting,
                           List<Example> examples, List<RunMaps> runs, List<String> notes) {
    private static final Logger LOG = LoggerFactory.getLogger(GradCamPanel.class);
    /** The students' columns: the baseline first, then the two methods it is compared with, then the others. */
    static final List<String> COLUMN_ORDER = List.of("erm", "dedier", "sifer", "kd", "jtt");

    /** A test example: its CHW pixels in [0, 1]. */
    public record Example(String id, int group, int label, float[] pixels) {
    }

    /** One run's maps of the panel's examples, in the same order. */
    public record RunMaps(ReportModel.Run run, GradCam.Maps maps) {
    }

    /**
     * One panel per examples table the runs name in config.json, in the runs' order, but those of {@code text}
     * (featurized text datasets, shown by {@link TextPanel} instead).
     */
    public static List<GradCamPanel> build(SparkSession spark, ReportModel model, Map<String, DatasetGroups> groups,
                                           int perGroup, Set<String> text) {
        List<GradCamPanel> out = new ArrayList<>();
        if (perGroup <= 0) {
            return out;
        }
        for (Map.Entry<String, List<ReportModel.Run>> e : runsByData(model).entrySet()) {
            if (!text.contains(e.getKey())) {
                out.add(build(spark, e.getKey(), groups.get(e.getKey()), e.getValue(), perGroup));
            }
        }
        return out;
    }

    /** The runs of each examples table named in config.json, in the runs' order, each table's runs as {@link #columns}. */
    static Map<String, List<ReportModel.Run>> runsByData(ReportModel model) {
        Map<String, List<ReportModel.Run>> byData = new LinkedHashMap<>();
        for (ReportModel.Run r : model.runs()) {
            if (r.data() != null) {
                byData.computeIfAbsent(r.data(), d -> new ArrayList<>()).add(r);
            }
        }
        byData.replaceAll((data, runs) -> columns(runs));
        return byData;
    }

    /** Students before teachers; students by {@link #COLUMN_ORDER}, then by the report's order. */
    static List<ReportModel.Run> columns(List<ReportModel.Run> runs) {
        return runs.stream().sorted(Comparator.comparing((ReportModel.Run r) -> "teacher".equals(r.arch()))
                .thenComparingInt(r -> COLUMN_ORDER.contains(r.method()) ? COLUMN_ORDER.indexOf(r.method())
                        : COLUMN_ORDER.size())).toList();
    }

    static GradCamPanel build(SparkSession spark, String data, DatasetGroups groups, List<ReportModel.Run> runs,
                              int perGroup) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> notes = new ArrayList<>();
        ExamplesTable table;
        try {
            table = ExamplesTable.open(new HadoopInputs(conf), data, "data");
        } catch (BadInputException e) {
            notes.add("no Grad-CAM maps: " + e.getMessage());
            return new GradCamPanel(data, null, groups, false, List.of(), List.of(), notes);
        }
        if (!table.isImage()) {
            notes.add("no Grad-CAM maps: " + data + " holds feature vectors, not images");
            return new GradCamPanel(data, null, groups, false, List.of(), List.of(), notes);
        }
        List<Integer> conflicting = groups.biasConflicting().stream().map(DatasetGroups.Group::group).toList();
        List<Row> rows = ShownExamples.firstByGroup(spark, table, conflicting, perGroup);
        if (rows.isEmpty()) {
            notes.add("no Grad-CAM maps: " + data + " has no such test examples");
            return new GradCamPanel(data, table.shape(), groups, !conflicting.isEmpty(), List.of(), List.of(), notes);
        }
        INDArray features = Minibatches.features(rows, table);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            examples.add(new Example(r.getString(r.fieldIndex(ExamplesSchema.ID)), ShownExamples.groupOf(r),
                    r.getInt(r.fieldIndex(ExamplesSchema.LABEL)),
                    features.get(NDArrayIndex.point(i)).castTo(DataType.FLOAT).dup('c').data().asFloat()));
        }
        List<RunMaps> maps = new ArrayList<>();
        for (ReportModel.Run run : runs) {
            RunMaps m = maps(conf, run, table, data, features, notes);
            if (m != null) {
                maps.add(m);
                LOG.info("report: Grad-CAM of {} on {} examples", run.label(), rows.size());
            }
        }
        return new GradCamPanel(data, table.shape(), groups, !conflicting.isEmpty(), List.copyOf(examples),
                List.copyOf(maps), notes);
    }

    /** A run's maps, or null with a note saying why there are none. */
    private static RunMaps maps(Configuration conf, ReportModel.Run run, ExamplesTable table, String data,
                                INDArray features, List<String> notes) {
        ComputationGraph net = ShownExamples.model(conf, run, table, data, notes);
        if (net == null) {
            return null;
        }
        if (GradCam.target(net) == null) {
            notes.add(run.label() + ": no convolution layer (" + GradCam.TARGET + "), so no Grad-CAM map");
            return null;
        }
        return new RunMaps(run, GradCam.compute(net, features.castTo(net.params().dataType())));
    }
}
