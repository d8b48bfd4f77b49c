package io.readout.jobs.evaluate;

import io.readout.common.Json;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.GroupCount;
import io.readout.common.metrics.GroupMetrics;
import io.readout.common.metrics.SplitMetrics;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.Split;
import io.readout.jobs.CliRun;
import io.readout.jobs.passes.EvalFixture;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GroupEvaluation} in Spark SQL against the plain Java maths on the same collected
 * predictions, against a hand-computed table, and {@code readout evaluate} writing the contract's
 * two files per split and printing its table.
 */
class EvaluationIT extends SharedSparkSession {
    private static ComputationGraph model;
    private static ExamplesTable table;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixture() {
        table = EvalFixture.table();
        model = EvalFixture.fittedStudent(spark);
    }

    /** The metrics computed on the driver from collected rows: a loop and {@link GroupMetrics}. */
    private static List<SplitMetrics> plainJava(List<Row> predictions) {
        Map<String, Map<Integer, long[]>> counts = new TreeMap<>();
        for (Row r : predictions) {
            int label = r.getInt(2);
            int group = r.isNullAt(3) ? label : r.getInt(3);
            boolean correct = r.getInt(5) == label;
            boolean conflicting = !r.isNullAt(4) && r.getInt(4) != label;
            long[] c = counts.computeIfAbsent(r.getString(1), s -> new TreeMap<>()).computeIfAbsent(group, g -> new long[4]);
            c[0]++;
            c[1] += correct ? 1 : 0;
            c[2] += conflicting ? 1 : 0;
            c[3] += conflicting && correct ? 1 : 0;
        }
        List<SplitMetrics> out = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            if (counts.containsKey(split)) {
                List<GroupCount> groups = new ArrayList<>();
                counts.get(split).forEach((g, c) -> groups.add(new GroupCount(g, c[0], c[1], c[2], c[3])));
                out.add(GroupMetrics.of(split, groups));
            }
        }
        return out;
    }

    private static void assertSameMetrics(SplitMetrics expected, SplitMetrics actual) {
        assertEquals(expected.split(), actual.split());
        assertEquals(expected.n(), actual.n(), expected.split() + " n");
        assertEquals(expected.accuracy(), actual.accuracy(), 0.0, expected.split() + " accuracy");
        assertEquals(expected.worstGroupAccuracy(), actual.worstGroupAccuracy(), 0.0, expected.split() + " WGA");
        assertEquals(expected.worstGroup(), actual.worstGroup(), expected.split() + " worst group");
        assertEquals(expected.groupMeanAccuracy(), actual.groupMeanAccuracy(), 0.0, expected.split() + " group mean");
        assertEquals(expected.biasConflictingAccuracy(), actual.biasConflictingAccuracy(), expected.split() + " BC");
        assertEquals(expected.groups(), actual.groups(), expected.split() + " groups");
        assertEquals(expected, actual);
    }

    @Test
    void sparkSqlEqualsThePlainJavaComputationOnTheSamePredictions() {
        Dataset<Row> predictions = Predictions.predict(spark, model, table, table.read(spark), 16).cache();
        List<SplitMetrics> sql = GroupEvaluation.evaluate(predictions);
        List<SplitMetrics> plain = plainJava(predictions.collectAsList());
        assertEquals(List.of("train", "val", "test"), sql.stream().map(SplitMetrics::split).toList());
        assertEquals(plain.size(), sql.size());
        for (int i = 0; i < plain.size(); i++) {
            assertSameMetrics(plain.get(i), sql.get(i));
            assertEquals(4, sql.get(i).groups().size(), "synthetic has four groups in every split");
            assertTrue(sql.get(i).biasConflictingAccuracy() != null);
        }
        assertTrue(sql.stream().flatMap(m -> m.groups().stream()).anyMatch(g -> g.accuracy() > 0 && g.accuracy() < 1),
                "some group is neither all right nor all wrong, so correct counts are tested: " + sql);

        List<Row> groupTable = GroupEvaluation.groupTable(predictions).collectAsList();
        assertEquals(List.of("split", "group", "n", "correct", "accuracy"),
                List.of(GroupEvaluation.groupTable(predictions).schema().fieldNames()));
        assertEquals(12, groupTable.size());
        for (Row r : groupTable) {
            SplitMetrics m = sql.stream().filter(s -> s.split().equals(r.getString(0))).findFirst().orElseThrow();
            GroupAccuracy g = m.groups().stream().filter(a -> a.group() == r.getInt(1)).findFirst().orElseThrow();
            assertEquals(g.n(), r.getLong(2));
            assertEquals(g.accuracy(), r.getDouble(4), 0.0);
            assertEquals((double) r.getLong(3) / r.getLong(2), r.getDouble(4), 0.0);
        }
        assertSameMetrics(sql.get(1), GroupEvaluation.evaluate(predictions, Split.VAL));
        predictions.unpersist();
    }

    @Test
    void aHandComputedTableWithNullGroupsAndATie() {
        List<Row> rows = List.of(
                // val: group 0 half right, group 1 = {e (conflicting), g (null group: its label 1)},
                // group 2 all wrong (conflicting), group 3 all right.
                prediction("a", "val", 0, 0, 0, 0), prediction("b", "val", 0, 0, 0, 1),
                prediction("c", "val", 1, 3, 1, 1), prediction("d", "val", 1, 3, 1, 1),
                prediction("e", "val", 0, 1, 1, 0), prediction("f", "val", 1, 2, 0, 0),
                prediction("g", "val", 1, null, null, 1),
                // test: no attribute, no group; 1 of 2 right for label 0, 2 of 4 for label 1: a tie.
                prediction("h", "test", 0, null, null, 0), prediction("i", "test", 0, null, null, 1),
                prediction("j", "test", 1, null, null, 1), prediction("k", "test", 1, null, null, 0),
                prediction("l", "test", 1, null, null, 1), prediction("m", "test", 1, null, null, 0));
        List<SplitMetrics> m = GroupEvaluation.evaluate(spark.createDataFrame(rows, Predictions.SCHEMA));
        assertEquals(2, m.size());
        SplitMetrics val = m.get(0);
        assertEquals("val", val.split());
        assertEquals(7, val.n());
        assertEquals(5.0 / 7, val.accuracy(), 0.0);
        assertEquals(0.0, val.worstGroupAccuracy(), 0.0);
        assertEquals(2, val.worstGroup());
        assertEquals(0.625, val.groupMeanAccuracy(), 0.0);
        assertEquals(0.5, val.biasConflictingAccuracy(), 0.0);
        assertEquals(List.of(new GroupAccuracy(0, 2, 0.5), new GroupAccuracy(1, 2, 1.0), new GroupAccuracy(2, 1, 0.0),
                new GroupAccuracy(3, 2, 1.0)), val.groups());
        SplitMetrics test = m.get(1);
        assertEquals("test", test.split());
        assertEquals(6, test.n());
        assertEquals(0.5, test.accuracy(), 0.0);
        assertEquals(0.5, test.worstGroupAccuracy(), 0.0);
        assertEquals(0, test.worstGroup(), "a tie goes to the smallest group id");
        assertEquals(0.5, test.groupMeanAccuracy(), 0.0);
        assertNull(test.biasConflictingAccuracy());
        assertEquals(List.of(new GroupAccuracy(0, 2, 0.5), new GroupAccuracy(1, 4, 0.5)), test.groups());
    }

    private static Row prediction(String id, String split, int label, Integer group, Integer attribute, int pred) {
        float[] probs = pred == 0 ? new float[] {0.75f, 0.25f} : new float[] {0.25f, 0.75f};
        return RowFactory.create(id, split, label, group, attribute, pred, 0.75f, probs);
    }

    @Test
    void evaluateWritesTheContractsFilesAndPrintsTheTable() throws Exception {
        Path run = EvalFixture.runWith(tmp.resolve("run"), model);
        CliRun cli = CliRun.of("evaluate", "--run", run.toString(), "--data", EvalFixture.data().toString(),
                "--split", "all");
        assertEquals(0, cli.code(), cli.err());
        assertEquals("", cli.err());

        List<SplitMetrics> expected = GroupEvaluation.evaluate(Predictions.predict(spark, model, table,
                table.read(spark).where("split in ('val', 'test')"), Predictions.DEFAULT_BATCH));
        assertEquals(List.of("val", "test"), expected.stream().map(SplitMetrics::split).toList());
        try (Stream<Path> files = Files.list(run.resolve("metrics"))) {
            assertEquals(Set.of("val.json", "val_groups.parquet", "test.json", "test_groups.parquet"),
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc"))
                            .collect(Collectors.toSet()), "nothing else, no temporaries (.crc: Hadoop's checksums)");
        }
        for (SplitMetrics m : expected) {
            Map<String, Object> json = Json.readObject(Files.readString(run.resolve("metrics/" + m.split() + ".json")),
                    m.split() + ".json");
            assertEquals(List.of("split", "n", "accuracy", "worst_group_accuracy", "worst_group",
                    "group_mean_accuracy", "bias_conflicting_accuracy", "groups"), List.copyOf(json.keySet()));
            assertEquals(List.of("group", "n", "accuracy"),
                    List.copyOf(((Map<?, ?>) ((List<?>) json.get("groups")).get(0)).keySet()));
            assertSameMetrics(m, SplitMetrics.fromJson(json));

            Path groups = run.resolve("metrics/" + m.split() + "_groups.parquet");
            assertTrue(Files.exists(groups.resolve("_SUCCESS")));
            List<Row> table = spark.read().parquet(groups.toString()).orderBy("group").collectAsList();
            assertEquals(m.groups().size(), table.size());
            for (int i = 0; i < table.size(); i++) {
                Row r = table.get(i);
                GroupAccuracy g = m.groups().get(i);
                assertEquals(m.split(), r.getString(0));
                assertEquals(g.group(), r.getInt(1));
                assertEquals(g.n(), r.getLong(2));
                assertEquals(g.accuracy(), r.getDouble(4), 0.0);
            }
            assertTrue(cli.out().contains(String.format(Locale.ROOT, "%-6s %-20s %8d %9.4f",
                    m.split(), "average", m.n(), m.accuracy())), cli.out());
            assertTrue(cli.out().contains(String.format(Locale.ROOT, "%-6s %-20s %8s %9.4f",
                    m.split(), "worst-group (" + m.worstGroup() + ")", "", m.worstGroupAccuracy())), cli.out());
            for (GroupAccuracy g : m.groups()) {
                assertTrue(cli.out().contains(String.format(Locale.ROOT, "%-6s %-20s %8d %9.4f",
                        m.split(), g.group(), g.n(), g.accuracy())), cli.out());
            }
        }
        assertTrue(cli.out().startsWith(String.format("%-6s %-20s %8s %9s", "split", "group", "n", "accuracy")),
                cli.out());
        assertTrue(cli.out().contains("group-mean") && cli.out().contains("bias-conflicting"), cli.out());
        assertTrue(cli.out().strip().endsWith("wrote " + run.resolve("metrics/test.json")), cli.out());
        System.out.print(cli.out());

        // Again: the earlier metrics are replaced, nothing piles up.
        assertEquals(0, CliRun.of("evaluate", "--run", run.toString(), "--data", EvalFixture.data().toString(),
                "--split", "val").code());
        try (Stream<Path> files = Files.list(run.resolve("metrics"))) {
            assertEquals(4, files.filter(p -> !p.getFileName().toString().endsWith(".crc")).count());
        }
    }

    @Test
    void theSelectedModelsFiguresGoUnderBestAndLeaveTheFinalOnesAlone() throws Exception {
        Path run = EvalFixture.runWith(tmp.resolve("run-best"), model);
        ComputationGraph untrained = Networks.build(NetworkConfig.image(
                Architecture.STUDENT, 1, 16, 16, 2, "adam", 1e-3, 0, 99));
        new RunDir(new Configuration(), run.toString())
                .saveModel(RunDir.BEST, untrained);
        assertEquals(0, CliRun.of("evaluate", "--run", run.toString(), "--data", EvalFixture.data().toString(),
                "--split", "test").code());
        String finalJson = Files.readString(run.resolve("metrics/test.json"));
        CliRun best = CliRun.of("evaluate", "--run", run.toString(), "--data", EvalFixture.data().toString(),
                "--split", "test", "--model", "best");
        assertEquals(0, best.code(), best.err());
        assertEquals(finalJson, Files.readString(run.resolve("metrics/test.json")), "final model's figures untouched");
        assertTrue(Files.exists(run.resolve("metrics/best/test.json")));
        assertTrue(Files.exists(run.resolve("metrics/best/test_groups.parquet/_SUCCESS")));
        SplitMetrics expected = GroupEvaluation.evaluate(Predictions.predict(spark, untrained, table,
                table.read(spark).where("split = 'test'"), Predictions.DEFAULT_BATCH)).get(0);
        assertSameMetrics(expected, SplitMetrics.fromJson(Json.readObject(
                Files.readString(run.resolve("metrics/best/test.json")), "best/test.json")));
    }
}
