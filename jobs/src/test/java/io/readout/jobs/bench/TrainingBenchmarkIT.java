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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout bench training} on a tiny generated synthetic set: its printed table and its JSON. */
class TrainingBenchmarkIT extends SharedSparkSession {
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path tmp;

    @Test
    void timesBothModesAndWritesTheFigures() throws Exception {
        Path out = tmp.resolve("bench/training.json");
        CliRun run = CliRun.of("bench", "training", "--arch", "student", "--max-examples", "128", "--batch", "32",
                "--repeats", "1", "--single-threads", "1", "--workers", "2", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("cpu " + MachineCpu.current().describe(), lines.get(0));
        lines = lines.subList(1, lines.size());
        assertTrue(lines.get(0).startsWith("dataset synthetic, 128 training examples, student, batch 32, 1 epoch(s), 1 repeat(s)"),
                run.out());
        assertTrue(lines.get(2).startsWith("single process, 1 thread(s)"), run.out());
        assertTrue(lines.get(3).startsWith("spark local[2], 2 workers of batch 32, K=10, direct, prefetch 0"), run.out());
        assertTrue(lines.get(4).startsWith("ratio spark / single process 1 thread(s): "), run.out());
        assertEquals("wrote " + out, lines.get(5));

        Map<String, Object> json = Json.readObject(Files.readString(out), "training.json");
        assertEquals(List.of("config", "cpu", "dataset", "examples", "runs", "spark_over_single"), List.copyOf(json.keySet()));
        assertEquals(128, json.get("examples"));
        assertEquals(MachineCpu.current(), MachineCpu.fromJson(json.get("cpu"), "training.json"));
        List<?> runs = (List<?>) json.get("runs");
        assertEquals(2, runs.size());
        double single = median(runs.get(0));
        double spark = median(runs.get(1));
        assertTrue(single > 0 && spark > 0, runs.toString());
        Map<?, ?> ratios = (Map<?, ?>) json.get("spark_over_single");
        assertEquals(spark / single, ((Number) ratios.get("single_1_threads")).doubleValue(), TOLERANCE);
    }

    private static double median(Object run) {
        return ((Number) ((Map<?, ?>) run).get("examples_per_second_median")).doubleValue();
    }
}
