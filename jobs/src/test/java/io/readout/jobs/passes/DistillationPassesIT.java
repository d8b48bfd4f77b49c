package io.readout.jobs.passes;

import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.CliRun;
import io.readout.jobs.run.RunDir;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The separate passes of distillation through the command line: {@code readout teacher-probs} (the
 * teacher's softened outputs, once per training example, written atomically) and {@code readout
 * weights} (DEDIER's early-readout weights, one row per training example, and a summary that is the
 * table's).
 */
class DistillationPassesIT extends SharedSparkSession {
    private static final double TOLERANCE = 1e-5;
    private static ExamplesTable table;
    private static List<Row> train;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixture() {
        table = ExamplesTable.open(HadoopInputs.local(), DistillFixture.data().toString(), "--data");
        train = table.split(spark, Split.TRAIN).orderBy(ExamplesSchema.ID).collectAsList();
    }

    private static Path runWith(Path dir, ComputationGraph model) {
        new RunDir(spark.sparkContext().hadoopConfiguration(), dir.toString()).saveModel(RunDir.MODEL, model);
        return dir;
    }

    private static float[] floats(List<Float> values) {
        float[] a = new float[values.size()];
        for (int k = 0; k < a.length; k++) {
            a[k] = values.get(k);
        }
        return a;
    }

    @Test
    void teacherProbsAreTheTeachersOutputsSoftenedOnceForEveryTrainingExample() throws Exception {
        Path teacher = DistillFixture.teacher();
        Path out = tmp.resolve("tp");
        CliRun run = CliRun.of("teacher-probs", "--teacher", teacher.toString(), "--data",
                DistillFixture.data().toString(), "--out", out.toString(), "--temperature", "3", "--batch", "50");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("wrote " + DistillFixture.N_TRAIN + " teacher probabilities (T=3.0) to " + out),
                run.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        Map<String, Object> meta = Json.readObject(Files.readString(out.resolve("teacher_probs.json")), "meta");
        assertEquals(teacher.toString(), meta.get("teacher"));
        assertEquals("model.zip", meta.get("model"));
        assertEquals(3.0, meta.get("temperature"));
        assertEquals(2, meta.get("num_classes"));
        assertEquals("synthetic", meta.get("dataset"));
        assertEquals(DistillFixture.data().toString(), meta.get("data"));
        assertEquals(DistillFixture.N_TRAIN, meta.get("rows"));

        Dataset<Row> probs = spark.read().parquet(out.resolve("probs").toString());
        assertArrayEquals(TeacherProbs.SCHEMA.fieldNames(), probs.schema().fieldNames());
        List<Row> rows = probs.orderBy(ExamplesSchema.ID).collectAsList();
        assertEquals(train.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(train.get(i).<String>getAs(ExamplesSchema.ID), r.getString(0), "one row per training example");
            float[] p = floats(r.getList(2));
            assertEquals(1.0, p[0] + p[1], TOLERANCE, "probabilities sum to 1, row " + i);
            assertEquals(3f, r.getFloat(3));
        }
        // A few rows computed here: the teacher's softmax s, logits log s, softened softmax(log s / T) = s^(1/T) / Σ.
        ComputationGraph model = new RunDir(spark.sparkContext().hadoopConfiguration(), teacher.toString())
                .loadModel(RunDir.MODEL);
        INDArray softmax = model.output(false, Minibatches.features(train.subList(0, 8), table))[0];
        float[] logitsHere = new float[16];
        float[] probsHere = new float[16];
        float[] logitsThere = new float[16];
        float[] probsThere = new float[16];
        for (int i = 0; i < 8; i++) {
            float[] s = softmax.getRow(i).toFloatVector();
            float[] logits = floats(rows.get(i).getList(1));
            float[] soft = floats(rows.get(i).getList(2));
            double z = Math.pow(s[0], 1 / 3.0) + Math.pow(s[1], 1 / 3.0);
            for (int k = 0; k < 2; k++) {
                logitsHere[2 * i + k] = (float) Math.log(s[k]);
                probsHere[2 * i + k] = (float) (Math.pow(s[k], 1 / 3.0) / z);
                logitsThere[2 * i + k] = logits[k];
                probsThere[2 * i + k] = soft[k];
            }
        }
        // Batches of 50 there, 8 here: for another batch size the kernels may add in another order, and a sum of N
        // products moves by up to N·eps; the teacher's longest, its dense layer's, has 64·4·4 = 1024 (observed: no
        // kernel difference, AVX2 and SSE4.1; float against double rounding only, 0.3 eps).
        assertClose(logitsHere, logitsThere, 1024 * FLOAT_EPSILON, "logits [2 · row + class]");
        assertClose(probsHere, probsThere, 1024 * FLOAT_EPSILON, "probs [2 · row + class]");
    }

    @Test
    void aTeacherPassThatFailsMidWayLeavesNothingBehind() {
        // NaN parameters pass the driver's shape check and fail on the executors, while the table is being written.
        ComputationGraph diverged = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, 2, "adam",
                1e-3, 0, 1));
        diverged.params().assign(Float.NaN);
        Path teacher = runWith(tmp.resolve("diverged"), diverged);
        Path parent = tmp.resolve("tables");
        CliRun run = CliRun.of("teacher-probs", "--teacher", teacher.toString(), "--data",
                DistillFixture.data().toString(), "--out", parent.resolve("tp").toString());
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.err().startsWith("readout teacher-probs: --teacher " + teacher.resolve("model.zip")
                + ": the model gives probability NaN for training example '"), run.err());
        assertFalse(Files.exists(parent), "neither the table, nor its temporary sibling, nor the parent it created");
    }

    @Test
    void theWeightsPassJoinsBackOneToOneWithTheTrainingSplitAndItsSummaryIsTheTables() throws Exception {
        // An untrained student's readout: right on some examples, wrong on others.
        ComputationGraph student = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, 2, "adam", 1e-3,
                0, 5).withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3)));
        Path run = runWith(tmp.resolve("student"), student);
        Path out = tmp.resolve("w");
        double beta = 3;
        CliRun cli = CliRun.of("weights", "--student", run.toString(), "--data", DistillFixture.data().toString(),
                "--out", out.toString(), "--beta", "" + beta, "--batch", "37");
        assertEquals(0, cli.code(), cli.err());
        assertTrue(cli.out().contains("wrote " + out), cli.out());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));

        Dataset<Row> weights = ReadoutWeightsPass.read(spark, out.toString());
        assertArrayEquals(ReadoutWeightsPass.SCHEMA.fieldNames(), weights.schema().fieldNames());
        Dataset<Row> examples = table.split(spark, Split.TRAIN);
        assertEquals(DistillFixture.N_TRAIN, weights.count());
        assertEquals(DistillFixture.N_TRAIN, weights.select(ExamplesSchema.ID).distinct().count(), "no id twice");
        assertEquals(0, examples.join(weights, ExamplesSchema.ID).count() - DistillFixture.N_TRAIN);
        assertEquals(0, examples.join(weights, examples.col(ExamplesSchema.ID).equalTo(weights.col(ExamplesSchema.ID))
                .and(examples.col(ExamplesSchema.LABEL).equalTo(weights.col(ExamplesSchema.LABEL)))
                .and(examples.col(ExamplesSchema.GROUP).eqNullSafe(weights.col(ExamplesSchema.GROUP))), "left_anti")
                .count(), "every training example, with its label and group");

        List<Row> rows = weights.orderBy(ExamplesSchema.ID).collectAsList();
        INDArray readout = student.output(false, Minibatches.features(train, table))[1];
        float[] marginsHere = new float[rows.size()];
        float[] confidencesHere = new float[rows.size()];
        float[] marginsThere = new float[rows.size()];
        float[] confidencesThere = new float[rows.size()];
        double rawSum = 0;
        for (Row r : rows) {
            rawSum += r.<Float>getAs(ReadoutWeightsPass.RAW_WEIGHT);
        }
        double mean = rawSum / rows.size();
        long flagged = 0;
        double weightSum = 0;
        double maxWeight = 0;
        double errorConfidence = 0;
        long[] histogram = new long[WeightsSummary.HISTOGRAM_EDGES.length];
        Map<Integer, double[]> groups = new HashMap<>(); // n, flagged, weight sum, error confidence sum
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            float[] p = readout.getRow(i).toFloatVector();
            int pred = p[1] > p[0] ? 1 : 0;
            boolean wrong = r.<Boolean>getAs(ReadoutWeightsPass.WRONG);
            double margin = Math.abs(p[1] - p[0]);
            float raw = r.getAs(ReadoutWeightsPass.RAW_WEIGHT);
            float weight = r.getAs(ReadoutWeightsPass.WEIGHT);
            assertEquals(pred, r.<Integer>getAs(ReadoutWeightsPass.AUX_PRED), "row " + i);
            assertEquals(pred != r.<Integer>getAs(ExamplesSchema.LABEL), wrong);
            marginsHere[i] = (float) margin;
            confidencesHere[i] = p[pred];
            marginsThere[i] = r.<Float>getAs(ReadoutWeightsPass.AUX_MARGIN);
            confidencesThere[i] = r.<Float>getAs(ReadoutWeightsPass.AUX_CONFIDENCE);
            // With the pass's own margin: the formula, whatever the kernels (the margins are compared below).
            assertEquals(wrong ? Math.exp(beta * marginsThere[i]) : 1, raw, 1e-4);
            assertEquals(raw / mean, weight, 1e-5, "normalised by the mean over the training split");
            assertEquals(0, r.<Integer>getAs(ReadoutWeightsPass.EPOCH), "a run without history");
            flagged += wrong ? 1 : 0;
            weightSum += weight;
            maxWeight = Math.max(maxWeight, weight);
            errorConfidence += wrong ? r.<Float>getAs(ReadoutWeightsPass.AUX_CONFIDENCE) : 0;
            int bin = 0;
            while (bin + 1 < histogram.length && weight >= WeightsSummary.HISTOGRAM_EDGES[bin + 1]) {
                bin++;
            }
            histogram[bin]++;
            double[] g = groups.computeIfAbsent(r.<Integer>getAs(ExamplesSchema.GROUP), k -> new double[4]);
            g[0]++;
            g[1] += wrong ? 1 : 0;
            g[2] += weight;
            g[3] += wrong ? r.<Float>getAs(ReadoutWeightsPass.AUX_CONFIDENCE) : 0;
        }
        // Batches of 37 there, all rows here: for another batch size the kernels may add in another order, and a
        // sum of N products moves by up to N·eps; the readout's longest, its own, has 8·8·8 = 512 (observed: equal,
        // AVX2 and SSE4.1). A margin is the difference of two probabilities: twice that, of a probability's scale.
        assertClose(confidencesHere, confidencesThere, 512 * FLOAT_EPSILON, "aux confidences");
        assertClose(marginsHere, marginsThere, 2 * 512 * FLOAT_EPSILON, 1, "aux margins");
        assertTrue(flagged > 0 && flagged < rows.size(), "the readout is wrong on some examples: " + flagged);
        assertEquals(1.0, weightSum / rows.size(), 1e-5, "mean weight 1");

        Map<String, Object> summary = Json.readObject(Files.readString(out.resolve("summary.json")), "summary");
        assertEquals(rows.size(), ((Number) summary.get("examples")).intValue());
        assertEquals(flagged, ((Number) summary.get("flagged")).longValue());
        assertEquals((double) flagged / rows.size(), (Double) summary.get("flagged_fraction"), 1e-12);
        assertEquals(mean, (Double) summary.get("mean_raw_weight"), 1e-6);
        assertEquals(weightSum / rows.size(), (Double) summary.get("mean_weight"), 1e-6);
        assertEquals(maxWeight, (Double) summary.get("max_weight"), 1e-6);
        assertEquals(errorConfidence / flagged, (Double) summary.get("mean_error_confidence"), 1e-6);
        List<Long> counts = new ArrayList<>();
        for (Object bin : (List<?>) summary.get("histogram")) {
            counts.add(((Number) ((Map<?, ?>) bin).get("count")).longValue());
        }
        assertEquals(List.of(Arrays.stream(histogram).boxed().toArray(Long[]::new)), counts);
        List<?> summaryGroups = (List<?>) summary.get("groups");
        assertEquals(groups.size(), summaryGroups.size());
        for (Object o : summaryGroups) {
            Map<?, ?> g = (Map<?, ?>) o;
            double[] expected = groups.get(((Number) g.get("group")).intValue());
            assertEquals((long) expected[0], ((Number) g.get("n")).longValue());
            assertEquals((long) expected[1], ((Number) g.get("flagged")).longValue());
            assertEquals(expected[1] / expected[0], ((Number) g.get("flagged_fraction")).doubleValue(), 1e-12);
            assertEquals(expected[2] / expected[0], ((Number) g.get("mean_weight")).doubleValue(), 1e-6);
            if (expected[1] == 0) {
                assertNull(g.get("mean_error_confidence"));
            } else {
                assertEquals(expected[3] / expected[1], ((Number) g.get("mean_error_confidence")).doubleValue(), 1e-6);
            }
        }
        assertTrue(Objects.equals(summary.get("normalise"), "mean") && Objects.equals(summary.get("beta"), beta));
    }

    @Test
    void theWeightsPassNeedsAStudentWithAnEarlyReadout() {
        Path out = tmp.resolve("no-readout");
        CliRun cli = CliRun.of("weights", "--student", DistillFixture.teacher().toString(), "--data",
                DistillFixture.data().toString(), "--out", out.toString());
        assertEquals(2, cli.code(), cli.err());
        assertEquals("readout weights: --student " + DistillFixture.teacher().resolve("model.zip")
                + ": the model has no output 'readout' (its outputs: output)", cli.err().strip());
        assertFalse(Files.exists(out));
    }
}
