package io.readout.jobs.bench;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.passes.Predictions;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout bench eval-scale} on 1,000 and 10,000 generated rows: the JSON has every size with its
 * timings and checked metrics, the scaling figures follow from the timings, the scratch tables are gone;
 * the generator is the same whatever the partitioning; bad input is one line with exit code 2.
 */
class EvalScaleBenchmarkIT extends SharedSparkSession {
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path tmp;

    @Test
    void timesEverySizeAndChecksTheFiguresAgainstTheGenerator() throws Exception {
        Path out = tmp.resolve("bench/eval-scale.json");
        Path scratch = tmp.resolve("scratch");
        CliRun run = CliRun.of("bench", "eval-scale", "--sizes", "1000,1e4", "--groups", "4", "--repeats", "2",
                "--scratch", scratch.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("cpu " + MachineCpu.current().describe() + System.lineSeparator()
                + "spark master local[2], default parallelism 2; 4 groups"), run.out());
        assertTrue(run.out().contains("lie within 5 standard errors of its accuracies: yes"), run.out());
        assertTrue(run.out().endsWith("wrote " + out + System.lineSeparator()), run.out());
        try (var files = Files.list(scratch)) {
            assertEquals(List.of(), files.toList(), "the generated tables are deleted");
        }

        Map<String, Object> json = Json.readObject(Files.readString(out), "eval-scale.json");
        assertEquals(Boolean.TRUE, json.get("checked"));
        assertEquals(MachineCpu.current(), MachineCpu.fromJson(json.get("cpu"), "eval-scale.json"));
        List<?> sizes = (List<?>) json.get("sizes");
        assertEquals(2, sizes.size());
        long[] rows = {1000, 10_000};
        double[] medians = new double[2];
        for (int i = 0; i < 2; i++) {
            Map<?, ?> s = (Map<?, ?>) sizes.get(i);
            assertEquals(rows[i], number(s.get("rows")), 0);
            assertEquals(2, number(s.get("partitions")), 0);
            assertTrue(number(s.get("parquet_bytes")) > 0, s.toString());
            List<?> seconds = (List<?>) s.get("seconds");
            assertEquals(2, seconds.size());
            medians[i] = (number(seconds.get(0)) + number(seconds.get(1))) / 2;
            assertEquals(medians[i], number(s.get("seconds_median")), TOLERANCE);
            assertEquals(rows[i] / medians[i], number(s.get("rows_per_second")), TOLERANCE * rows[i] / medians[i]);
            Map<?, ?> check = (Map<?, ?>) s.get("check");
            assertEquals(Boolean.TRUE, check.get("exact"), check.toString());
            assertTrue(number(check.get("max_abs_z")) <= EvalScaleBenchmark.MAX_Z, check.toString());

            List<?> metrics = (List<?>) s.get("metrics");
            assertArrayEquals(new Object[] {"train", "val", "test"},
                    metrics.stream().map(m -> ((Map<?, ?>) m).get("split")).toArray());
            long total = 0;
            for (Object m : metrics) {
                Map<?, ?> split = (Map<?, ?>) m;
                List<?> groups = (List<?>) split.get("groups");
                assertEquals(4, groups.size(), split.toString());
                assertEquals(List.of(0.9, 23 / 30.0, 19 / 30.0, 0.5), split.get("designed_group_accuracy"));
                total += (long) number(split.get("n"));
            }
            assertEquals(rows[i], total);
        }
        Map<?, ?> step = (Map<?, ?>) ((List<?>) json.get("steps")).get(0);
        assertEquals(1000, number(step.get("from_rows")), 0);
        assertEquals(10_000, number(step.get("to_rows")), 0);
        double exponent = Math.log(medians[1] / medians[0]) / Math.log(10);
        assertEquals(exponent, number(step.get("exponent")), TOLERANCE);
        assertEquals(medians[1] / medians[0] / 10, number(step.get("time_per_row_ratio")), TOLERANCE);
        assertEquals(exponent, number(json.get("overall_exponent")), TOLERANCE);
        assertEquals(exponent <= 1 + EvalScaleBenchmark.LINEAR_TOLERANCE, json.get("at_most_linear"));
    }

    @Test
    void theGeneratedRowsDoNotDependOnThePartitioning() {
        List<Row> two = SyntheticPredictions.generate(spark, 500, 4, 2, 7).orderBy(ExamplesSchema.ID).collectAsList();
        List<Row> five = SyntheticPredictions.generate(spark, 500, 4, 5, 7).orderBy(ExamplesSchema.ID).collectAsList();
        assertEquals(two, five);
        List<Row> otherSeed = SyntheticPredictions.generate(spark, 500, 4, 2, 8).orderBy(ExamplesSchema.ID)
                .collectAsList();
        assertTrue(!two.equals(otherSeed), "the seed changes the rows");
        for (Row r : two) {
            int group = r.getInt(r.fieldIndex(ExamplesSchema.GROUP));
            assertEquals(group / 2, r.getInt(r.fieldIndex(ExamplesSchema.LABEL)));
            assertEquals(group % 2, r.getInt(r.fieldIndex(ExamplesSchema.ATTRIBUTE)));
            float confidence = r.getFloat(r.fieldIndex(Predictions.CONFIDENCE));
            assertTrue(confidence >= 0.5f && confidence <= 1f, r.toString());
        }
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        CliRun order = CliRun.of("bench", "eval-scale", "--sizes", "100,10");
        assertEquals(2, order.code(), order.err());
        assertArrayEquals(new String[] {"readout bench eval-scale: --sizes [100, 10] must be strictly increasing"},
                order.errLines());
        CliRun word = CliRun.of("bench", "eval-scale", "--sizes", "many");
        assertEquals(2, word.code(), word.err());
        assertArrayEquals(new String[] {"readout bench eval-scale: --sizes 'many' is not a whole number of rows"},
                word.errLines());
        CliRun groups = CliRun.of("bench", "eval-scale", "--groups", "0");
        assertEquals(2, groups.code(), groups.err());
        assertArrayEquals(new String[] {"readout bench eval-scale: --groups 0 must be between 1 and 10000"},
                groups.errLines());
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }
}
