package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.jobs.bench.TrainingComparison.Run;
import io.readout.jobs.io.AtomicFile;
import io.readout.jobs.io.JsonFiles;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * Trains the same network (same seed, same data, same minibatch size) in one run with plain
 * single-process fit (once per ND4J thread count in {@code singleThreads}) and through Spark
 * parameter averaging on the session's master, alternating, {@code repeats} times
 * ({@link TrainingComparison}). Reports examples per second of each (median over repeats) and the
 * ratio Spark / single process.
 */
public final class TrainingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingBenchmark.class);

    public record Result(TrainingBenchConfig config, MachineCpu cpu, String dataset, long examples, TrainingComparison comparison) {
        public String format() {
            StringBuilder b = new StringBuilder();
            b.append("cpu ").append(cpu.describe()).append(System.lineSeparator());
            b.append(String.format(Locale.ROOT, "dataset %s, %d training examples, %s, batch %d, %d epoch(s), %d repeat(s)%n",
                    dataset, examples, config.arch().id(), config.averaging().batchSizePerWorker(), config.epochs(),
                    config.repeats()));
            b.append(String.format(Locale.ROOT, "%-52s %12s  %s%n", "mode", "examples/s", "runs"));
            for (Run r : comparison.runs()) {
                b.append(String.format(Locale.ROOT, "%-52s %12.0f  %s%n", r.mode(), r.median(),
                        SideBySide.formatValues(r.values(), 0)));
            }
            for (Run r : comparison.singleProcess()) {
                b.append(String.format(Locale.ROOT, "ratio spark / single process %d thread(s): %.2f%n", r.threads(),
                        comparison.ratio(r)));
            }
            return b.toString();
        }

        public ResultsFile toJson() {
            return new ResultsFile(config.describe(), JsonFiles.tree(cpu.toJson()), dataset, examples, comparison.toJson());
        }
    }

    /** The results file ({@code --out}): the config, the CPU, the data, then {@link TrainingComparison.Figures}. */
    @JsonPropertyOrder({"config", "cpu", "dataset", "examples", "figures"})
    public record ResultsFile(TrainingBenchConfig.Described config, ObjectNode cpu, String dataset, long examples,
                              @JsonUnwrapped TrainingComparison.Figures figures) {
    }

    private TrainingBenchmark() {
    }

    public static Result run(SparkSession spark, TrainingBenchConfig config) {
        config.validate();
        LOG.info("bench training: {}", JsonFiles.compact(config.describe()));
        StorageLevel storage = "memory".equals(config.storage()) ? StorageLevel.MEMORY_ONLY()
                : StorageLevel.MEMORY_ONLY_SER();
        try (BenchmarkRows rows = BenchmarkRows.open(spark, config.data(), config.maxExamples(), config.seed())) {
            TrainingComparison comparison = TrainingComparison.measure(spark, rows, config.arch(), config.averaging(),
                    config.averaging().batchSizePerWorker(), storage, config.singleThreads(), config.epochs(), config.repeats());
            Result result = new Result(config, MachineCpu.current(), rows.table().name(), rows.examples(), comparison);
            if (config.out() != null) {
                AtomicFile.write(config.out(), Json.write(result.toJson()), "--out");
            }
            return result;
        }
    }
}
