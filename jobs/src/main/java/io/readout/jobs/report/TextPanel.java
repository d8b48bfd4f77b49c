package io.readout.jobs.report;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A few test examples of a featurized text dataset ({@link TextData}) as text, for every run trained on it: the
 * first {@code perGroup} test examples by id of each group, the bias-conflicting groups ({@link DatasetGroups})
 * first, and for each run (in the order of {@link GradCamPanel#columns}) its prediction, the probability it gave
 * it and, for TF-IDF input, the {@value #TOP_WORDS} words that weighed most in it ({@link WordImportance}), from
 * its {@code model.zip} on the driver. What cannot be shown (a table that cannot be read, a model that does not
 * fit the data) becomes a note on the page, not a failure of the report.
 */
public record TextPanel(String data, TextData input, DatasetGroups groups, List<Example> examples,
                        List<RunReadings> runs, List<String> notes) {
    private static final Logger LOG = LoggerFactory.getLogger(TextPanel.class);
    /** Words listed (and marked in the text) per example and run. */
    static final int TOP_WORDS = 5;

    /**
     * A test example.
     *
     * @param pair the second text of a sentence pair (the hypothesis), null for a single text
     */
    public record Example(String id, int group, int label, String text, String pair) {
    }

    /**
     * One run's readings of the panel's examples, in the same order.
     *
     * @param probability the probability the model gave its predicted class
     * @param words       per example the top words, or null when the input has no word importances
     */
    public record RunReadings(ReportModel.Run run, int[] predicted, double[] probability,
                              List<List<WordImportance.Word>> words) {
    }

    /** One panel per featurized text dataset in {@code texts} that the runs name, in the runs' order. */
    public static List<TextPanel> build(SparkSession spark, ReportModel model, Map<String, DatasetGroups> groups,
                                        Map<String, TextData> texts, int perGroup) {
        List<TextPanel> out = new ArrayList<>();
        if (perGroup <= 0) {
            return out;
        }
        for (Map.Entry<String, List<ReportModel.Run>> e : GradCamPanel.runsByData(model).entrySet()) {
            TextData input = texts.get(e.getKey());
            if (input != null) {
                out.add(build(spark, input, groups.get(e.getKey()), e.getValue(), perGroup));
            }
        }
        return out;
    }

    static TextPanel build(SparkSession spark, TextData input, DatasetGroups groups, List<ReportModel.Run> runs,
                           int perGroup) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String data = input.data();
        List<String> notes = new ArrayList<>();
        ExamplesTable table;
        try {
            table = ExamplesTable.open(new HadoopInputs(conf), data, "data");
        } catch (BadInputException e) {
            notes.add("no examples: " + e.getMessage());
            return new TextPanel(data, input, groups, List.of(), List.of(), notes);
        }
        List<Row> rows = conflictingFirst(ShownExamples.firstByGroup(spark, table, List.of(), perGroup), groups);
        if (rows.isEmpty()) {
            notes.add("no examples: " + data + " has no test examples");
            return new TextPanel(data, input, groups, List.of(), List.of(), notes);
        }
        List<Example> examples = new ArrayList<>();
        for (Row r : rows) {
            int pair = r.fieldIndex(ExamplesSchema.TEXT_PAIR);
            examples.add(new Example(r.getString(r.fieldIndex(ExamplesSchema.ID)), ShownExamples.groupOf(r),
                    r.getInt(r.fieldIndex(ExamplesSchema.LABEL)), r.getString(r.fieldIndex(ExamplesSchema.TEXT)),
                    r.isNullAt(pair) ? null : r.getString(pair)));
        }
        INDArray features = Minibatches.features(rows, table);
        List<RunReadings> readings = new ArrayList<>();
        for (ReportModel.Run run : runs) {
            ComputationGraph net = ShownExamples.model(conf, run, table, data, notes);
            if (net != null) {
                readings.add(readings(run, net, features.castTo(net.params().dataType()), input));
                LOG.info("report: {} on {} text examples", run.label(), rows.size());
            }
        }
        return new TextPanel(data, input, groups, List.copyOf(examples), List.copyOf(readings), notes);
    }

    /** The rows of bias-conflicting groups first, each part in its given order. */
    static List<Row> conflictingFirst(List<Row> rows, DatasetGroups groups) {
        return rows.stream().sorted(Comparator.comparing((Row r) -> {
            DatasetGroups.Group g = groups == null ? null : groups.group(ShownExamples.groupOf(r));
            return g == null || !g.biasConflicting();
        })).toList();
    }

    /**
     * A model's predictions of {@code features} (rows of the input, in the model's data type), the probability of
     * each and, when {@code input} allows them, the top words of each.
     */
    static RunReadings readings(ReportModel.Run run, ComputationGraph net, INDArray features, TextData input) {
        int main = net.getConfiguration().getNetworkOutputs().indexOf(ClassLogitGradient.mainOutput(net));
        INDArray probs = net.output(false, features)[main];
        int n = (int) probs.size(0);
        int[] predicted = new int[n];
        double[] probability = new double[n];
        for (int i = 0; i < n; i++) {
            predicted[i] = probs.getRow(i).argMax().getInt(0);
            probability[i] = probs.getDouble(i, predicted[i]);
        }
        List<List<WordImportance.Word>> words = input.importances()
                ? WordImportance.of(net, features, predicted, input.vocabulary(), TOP_WORDS) : null;
        return new RunReadings(run, predicted, probability, words);
    }
}
