package io.readout.jobs.bench;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout bench throughput} on 256 rows of a generated synthetic set, both architectures: the
 * figures in its JSON agree with each other, and bad input is one line with exit code 2.
 */
class ThroughputBenchmarkIT extends SharedSparkSession {
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path tmp;

    @Test
    void timesTrainingAndEveryPassOfBothArchitectures() throws Exception {
        Path out = tmp.resolve("bench/throughput.json");
        CliRun run = CliRun.of("bench", "throughput", "--max-examples", "256", "--repeats", "1", "--epochs", "1",
                "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("cpu " + MachineCpu.current().describe() + System.lineSeparator() + "kernels "),
                run.out());
        assertTrue(run.out().contains("spark master local[2], default parallelism 2"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.matches(
                Pattern.quote(ThroughputBenchmark.WEIGHTS) + " +student +[0-9.]+ .*")), run.out());
        assertTrue(run.out().endsWith("wrote " + out + System.lineSeparator()), run.out());
        try (var files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary file left beside the JSON");
        }

        Map<String, Object> json = Json.readObject(Files.readString(out), "throughput.json");
        assertEquals(256, json.get("examples"));
        assertEquals(MachineCpu.current(), MachineCpu.fromJson(json.get("cpu"), "throughput.json"));
        assertEquals("local[2]", json.get("spark_master"));
        Map<?, ?> training = (Map<?, ?>) json.get("training");
        assertEquals(List.of("teacher", "student"), List.copyOf(training.keySet()));
        for (Object t : training.values()) {
            Map<?, ?> arch = (Map<?, ?>) t;
            List<?> runs = (List<?>) arch.get("runs");
            assertEquals(2, runs.size(), "single process on 1 thread, then spark");
            for (Object r : runs) {
                List<?> rates = (List<?>) ((Map<?, ?>) r).get("examples_per_second");
                assertEquals(1, rates.size());
                assertTrue(number(rates.get(0)) > 0, r.toString());
                assertEquals(number(rates.get(0)), number(((Map<?, ?>) r).get("examples_per_second_median")), TOLERANCE);
            }
            double single = number(((Map<?, ?>) runs.get(0)).get("examples_per_second_median"));
            double spark = number(((Map<?, ?>) runs.get(1)).get("examples_per_second_median"));
            assertEquals(spark / single, number(((Map<?, ?>) arch.get("spark_over_single")).get("single_1_threads")),
                    TOLERANCE);
            assertEquals(256 / spark, number(arch.get("spark_epoch_seconds")), TOLERANCE);
        }

        List<?> passes = (List<?>) json.get("passes");
        assertArrayEquals(new String[] {"predict teacher", "predict student", "teacher probs teacher",
            ThroughputBenchmark.WEIGHTS + " student"},
                passes.stream().map(p -> ((Map<?, ?>) p).get("pass") + " " + ((Map<?, ?>) p).get("arch")).toArray());
        for (Object o : passes) {
            Map<?, ?> p = (Map<?, ?>) o;
            double seconds = number(p.get("seconds_median"));
            assertTrue(seconds > 0, p.toString());
            Map<?, ?> arch = (Map<?, ?>) training.get(p.get("arch"));
            double epoch = number(arch.get("spark_epoch_seconds"));
            assertEquals(epoch, number(p.get("epoch_seconds")), TOLERANCE);
            assertEquals(seconds / epoch, number(p.get("fraction_of_epoch")), TOLERANCE);
            assertEquals(seconds / epoch <= ThroughputBenchmark.TARGET_FRACTION, p.get("meets_target"));
        }
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() {
        CliRun missing = CliRun.of("bench", "throughput", "--data", tmp.resolve("nothing").toString());
        assertEquals(2, missing.code(), missing.err());
        assertArrayEquals(new String[] {"readout bench throughput: --data " + tmp.resolve("nothing")
            + ": no such file or directory"}, missing.errLines());

        CliRun repeats = CliRun.of("bench", "throughput", "--repeats", "0");
        assertEquals(2, repeats.code(), repeats.err());
        assertArrayEquals(new String[] {"readout bench throughput: --repeats 0 must be at least 1"}, repeats.errLines());

        CliRun arch = CliRun.of("bench", "throughput", "--archs", "teacher,huge");
        assertEquals(2, arch.code(), arch.err());
        assertArrayEquals(new String[] {"readout bench throughput: --archs 'huge' is not one of teacher, student"},
                arch.errLines());
        assertFalse(repeats.out().contains("examples/s") || arch.out().contains("examples/s"));
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }
}
