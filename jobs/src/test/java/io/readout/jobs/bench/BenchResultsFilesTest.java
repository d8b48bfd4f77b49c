package io.readout.jobs.bench;

import io.readout.jobs.TestResources;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.SplitMetrics;
import io.readout.common.nets.Architecture;
import io.readout.jobs.train.AveragingConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The benchmarks' results files as the code before the typed records wrote them ({@code today/}, written by that
 * code from these figures): written byte for byte the same.
 */
class BenchResultsFilesTest {
    private static final MachineCpu CPU = new MachineCpu("AMD EPYC 7B13", 2, List.of("avx2"), "/proc/cpuinfo");
    private static final TrainingComparison COMPARISON = new TrainingComparison(List.of(
            new TrainingComparison.Run("single process, 1 thread(s)", 1, List.of(100.5, 101.0, 99.25)),
            new TrainingComparison.Run("single process, 2 thread(s)", 2, List.of(180.0, 181.5, 179.0))),
            new TrainingComparison.Run("spark local[2], 2 workers", 1, List.of(150.0, 151.0, 149.0)));

    static String fixture(String name) throws IOException {
        return TestResources.text(BenchResultsFilesTest.class, "today/" + name);
    }

    @Test
    void trainingResultsAreWrittenAsBefore() throws IOException {
        assertEquals(fixture("comparison.json"), Json.write(COMPARISON.toJson()));
        AveragingConfig averaging = new AveragingConfig(2, 32, 5, "direct", 2, 1, 7L, null, 1.0);
        TrainingBenchConfig config = new TrainingBenchConfig(null, Architecture.STUDENT, 1, averaging, List.of(1, 2), 1,
                3000, 3, "memory", "/o.json", 7);
        assertEquals(fixture("training-result.json"),
                Json.write(new TrainingBenchmark.Result(config, CPU, "dominoes", 3000, COMPARISON).toJson()));
    }

    @Test
    void throughputResultsAreWrittenAsBefore() throws IOException {
        ThroughputBenchConfig config = new ThroughputBenchConfig("/data/d", List.of(Architecture.TEACHER,
                Architecture.STUDENT), 1, 64, 0, 5, "direct", 2, List.of(2), 256, 0, 3, null, 7);
        List<ThroughputBenchmark.ArchTraining> training = List.of(
                new ThroughputBenchmark.ArchTraining(Architecture.TEACHER, 3000, COMPARISON),
                new ThroughputBenchmark.ArchTraining(Architecture.STUDENT, 3000, COMPARISON));
        List<ThroughputBenchmark.Pass> passes = new ArrayList<>();
        for (ThroughputBenchmark.PassKind k : ThroughputBenchmark.passKinds(List.of(Architecture.TEACHER,
                Architecture.STUDENT))) {
            passes.add(new ThroughputBenchmark.Pass(k, List.of(1.5, 1.25, 2.0), 20.0));
        }
        assertEquals(fixture("throughput-result.json"), Json.write(new ThroughputBenchmark.Result(config, CPU, "dominoes",
                3000, "oneDNN (avx2)", "local[2]", 2, training, passes).toJson()));
    }

    @Test
    void evalScaleResultsAreWrittenAsBefore() throws IOException {
        SplitMetrics val = new SplitMetrics("val", 1000, 0.75, 0.5, 3, 0.7, null, List.of(new GroupAccuracy(0, 250, 0.9),
                new GroupAccuracy(3, 250, 0.5)));
        EvalScaleBenchmark.Size small = new EvalScaleBenchmark.Size(1000, 2, 12345, 0.5, List.of(0.2, 0.25),
                List.of(val), true, 1.5, List.of());
        EvalScaleBenchmark.Size large = new EvalScaleBenchmark.Size(10000, 4, 123456, 1.5, List.of(1.2, 1.25),
                List.of(val), false, 4.5, List.of("val group 3: 0.4 not 0.5"));
        EvalScaleBenchConfig config = new EvalScaleBenchConfig(List.of(1000L, 10000L), 4, 2, null, null, 7);
        assertEquals(fixture("evalscale-result.json"), Json.write(new EvalScaleBenchmark.Result(config, CPU, "local[2]", 2,
                List.of(small, large), List.of(EvalScaleBenchmark.Step.between(small, large))).toJson()));
        EvalScaleBenchConfig one = new EvalScaleBenchConfig(List.of(1000L), 4, 2, "/scratch", null, 7);
        assertEquals(fixture("evalscale-one.json"), Json.write(new EvalScaleBenchmark.Result(one, CPU, "local[2]", 2,
                List.of(small), List.of()).toJson()));
    }
}
