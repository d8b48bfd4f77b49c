package io.readout.jobs.passes;

import io.readout.common.metrics.CrossEntropy;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static io.readout.common.nets.LayerParams.values;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Predictions#predict}: one row per example with the model's own outputs, the model restored
 * once per broadcast, the same rows every time; and {@code readout predict} writing them as Parquet.
 */
class PredictionsIT extends SharedSparkSession {
    private static final double TOLERANCE = 1e-5;
    private static ComputationGraph model;
    private static ExamplesTable table;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixture() {
        table = EvalFixture.table();
        model = EvalFixture.fittedStudent(spark);
    }

    private static List<Row> byId(Dataset<Row> rows) {
        return rows.orderBy(ExamplesSchema.ID).collectAsList();
    }

    @Test
    void oneRowPerExampleWithTheModelsOwnProbabilities() {
        Dataset<Row> examples = table.read(spark);
        // Batches of at most 7 rows, cut from groups of about 7 (a hash of the id): many are short.
        List<Row> predictions = byId(Predictions.predict(spark, model, table, examples, 7));
        List<Row> rows = byId(examples);
        assertEquals(3 * EvalFixture.EXAMPLES_PER_SPLIT, rows.size());
        assertEquals(rows.size(), predictions.size());
        assertEquals(List.of(Predictions.SCHEMA.fieldNames()), List.of(
                Predictions.predict(spark, model, table, examples, 7).schema().fieldNames()));

        INDArray local = model.outputSingle(false, Minibatches.features(rows, table));
        float[] probabilities = new float[2 * rows.size()];
        Set<Integer> preds = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Row e = rows.get(i);
            Row p = predictions.get(i);
            assertEquals(e.<String>getAs(ExamplesSchema.ID), p.getString(0));
            assertEquals(e.<String>getAs(ExamplesSchema.SPLIT), p.getString(1));
            assertEquals(e.<Integer>getAs(ExamplesSchema.LABEL), p.getInt(2));
            assertEquals(e.<Integer>getAs(ExamplesSchema.GROUP), p.get(3));
            assertEquals(e.<Integer>getAs(ExamplesSchema.ATTRIBUTE), p.get(4));
            List<Float> probs = p.getList(7);
            assertEquals(2, probs.size());
            int argmax = probs.get(1) > probs.get(0) ? 1 : 0;
            assertEquals(argmax, p.getInt(5), "pred is the argmax of probs, row " + i);
            assertEquals(probs.get(argmax), p.getFloat(6), 0.0, "confidence is the largest probability");
            assertEquals(1.0, probs.get(0) + probs.get(1), TOLERANCE, "probabilities sum to 1");
            probabilities[2 * i] = probs.get(0);
            probabilities[2 * i + 1] = probs.get(1);
            preds.add(p.getInt(5));
        }
        // Batches of 7 there, all 120 rows here: for another batch size the kernels may add in another order, and a
        // sum of N products moves by up to N·eps; the longest, the dense layer's, has 16·4·4 = 256 (observed: 1.5
        // eps of the largest probability with oneDNN's AVX2 kernels, 1 with SSE4.1).
        assertClose(values(local), probabilities, 256 * FLOAT_EPSILON, "same as model.output");
        assertEquals(Set.of(0, 1), preds, "the fitted model does not predict a constant");
    }

    @Test
    void theSameRowsGiveTheSameBitsHoweverSparkSplitsThem() {
        // The kernels give a row other floats in a batch of another size or other rows (about 1e-7): batches are
        // made from the rows' ids, so one partition, five, or the rows reversed in three give the same bits.
        Dataset<Row> examples = table.read(spark);
        List<Row> one = byId(Predictions.predict(spark, model, table, examples.repartition(1), 7));
        List<List<Row>> others = List.of(
                byId(Predictions.predict(spark, model, table, examples.repartition(5, col(ExamplesSchema.ID)), 7)),
                byId(Predictions.predict(spark, model, table,
                        examples.orderBy(col(ExamplesSchema.ID).desc()).coalesce(3), 7)));
        assertEquals(3 * EvalFixture.EXAMPLES_PER_SPLIT, one.size());
        for (List<Row> other : others) {
            assertEquals(one.size(), other.size());
            for (int i = 0; i < one.size(); i++) {
                assertEquals(one.get(i).getString(0), other.get(i).getString(0));
                assertEquals(one.get(i).getList(7), other.get(i).getList(7), one.get(i).getString(0));
            }
        }
    }

    @Test
    void theMeanCrossEntropyIsTheExactMeanOfTheExamplesLossesInAnyPartitioning() {
        Dataset<Row> predictions = Predictions.predict(spark, model, table, table.read(spark), 7).persist();
        try {
            BigDecimal sum = BigDecimal.ZERO;
            List<Row> rows = byId(predictions);
            for (Row r : rows) {
                sum = sum.add(new BigDecimal(CrossEntropy.of(Predictions.probs(r), r.getInt(2))));
            }
            double expected = sum.doubleValue() / rows.size();
            assertTrue(expected > 0 && Double.isFinite(expected), "some loss, none infinite: " + expected);
            assertEquals(expected, Predictions.meanCrossEntropy(spark, predictions, "test loss"), 0.0);
            assertEquals(expected, Predictions.meanCrossEntropy(spark, predictions.repartition(1), "test loss"), 0.0);
            assertEquals(expected, Predictions.meanCrossEntropy(spark,
                    predictions.orderBy(col(ExamplesSchema.ID).desc()).repartition(5), "test loss"), 0.0);
            assertEquals(Double.NaN, Predictions.meanCrossEntropy(spark, predictions.limit(0), "test loss"));
        } finally {
            predictions.unpersist();
        }
    }

    @Test
    void theModelIsRestoredOncePerBroadcastAndTheOutputIsDeterministic() {
        Dataset<Row> examples = table.read(spark).repartition(4, col(ExamplesSchema.ID));
        long before = Predictions.restoresInThisJvm();
        Dataset<Row> first = Predictions.predict(spark, model, table, examples, 5);
        assertEquals(120, first.count());
        List<Row> a = byId(first);
        assertEquals(1, Predictions.restoresInThisJvm() - before, "4 partitions, 2 passes, one restore");
        List<Row> b = byId(Predictions.predict(spark, model, table, examples, 5));
        assertEquals(2, Predictions.restoresInThisJvm() - before, "a new broadcast is restored anew");
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).getString(0), b.get(i).getString(0));
            assertEquals(a.get(i).getInt(5), b.get(i).getInt(5));
            assertEquals(a.get(i).getFloat(6), b.get(i).getFloat(6), 0.0);
            assertEquals(a.get(i).getList(7), b.get(i).getList(7));
        }
    }

    @Test
    void predictWritesAParquetTableAndRefusesToReplaceItSilently() throws Exception {
        Path run = EvalFixture.runWith(tmp.resolve("run"), model);
        Path out = tmp.resolve("preds");
        String[] args = {"predict", "--run", run.toString(), "--data", EvalFixture.data().toString(), "--split", "test",
            "--out", out.toString(), "--batch", "16"};
        CliRun ok = CliRun.of(args);
        assertEquals(0, ok.code(), ok.err());
        assertEquals("wrote 40 predictions to " + out, ok.out().strip());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        Dataset<Row> written = spark.read().parquet(out.toString());
        assertArrayEquals(Predictions.SCHEMA.fieldNames(), written.schema().fieldNames());
        assertEquals(40, written.count());
        assertEquals(List.of("test"), written.select("split").distinct().as(Encoders.STRING())
                .collectAsList());
        List<Row> expected = byId(Predictions.predict(spark, model, table,
                table.split(spark, Split.TEST), 16));
        List<Row> actual = byId(written);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).getString(0), actual.get(i).getString(0));
            assertEquals(expected.get(i).getInt(5), actual.get(i).getInt(5));
            assertTrue(Objects.equals(expected.get(i).getList(7), actual.get(i).getList(7)), "row " + i);
        }

        CliRun again = CliRun.of(args);
        assertEquals(2, again.code());
        assertEquals("readout predict: --out " + out + ": already holds a complete output; pass --overwrite to replace it",
                again.err().strip());
        CliRun replaced = CliRun.of("predict", "--run", run.toString(), "--data", EvalFixture.data().toString(),
                "--split", "all", "--out", out.toString(), "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(120, spark.read().parquet(out.toString()).count());
        try (var left = Files.list(tmp)) {
            assertEquals(Set.of("run", "preds"), left.map(p -> p.getFileName().toString())
                    .collect(Collectors.toSet()), "no temporary folder left behind");
        }
    }
}
