package io.readout.jobs.bench;

import io.readout.common.BadInputException;
import io.readout.common.CorePeak;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeMemoryLimits;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.TrainingFlops;
import io.readout.jobs.bench.CompareBenchmark.ModeRun;
import io.readout.jobs.bench.CompareBenchmark.NetFigures;
import io.readout.jobs.bench.CompareBenchmark.Pair;
import io.readout.jobs.bench.PytorchBaseline.TorchInfo;
import io.readout.jobs.bench.SideBySide.JvmActivity;
import io.readout.jobs.bench.SideBySide.WarmUpRound;
import io.readout.jobs.bench.tables.BenchTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.readout.common.nets.Architecture.STUDENT;
import static io.readout.common.nets.Architecture.TEACHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CompareBenchmark}'s figures without Spark or PyTorch: a result put together by hand (the teacher on
 * dominoes' shape), its ratios, GFLOP/s and fractions of peak, its printed table, and its JSON as the
 * {@code compare} table renders it; and the flags.
 */
class CompareBenchmarkTest {
    private static final double TOLERANCE = 1e-9;
    private static final MachineCpu CPU = new MachineCpu("Test CPU", 2, List.of("avx2"), MachineCpu.PROC_CPUINFO);
    private static final CorePeak PEAK = new CorePeak(32, "avx2: 8 FP32 lanes x 2 FLOP per FMA x 2 FMA units, assumed",
            2500.0, CorePeak.LSCPU_MAX);

    private static final List<JvmActivity> JVM1 = List.of(new JvmActivity(12, 3));
    private static final List<JvmActivity> JVM3 = List.of(new JvmActivity(20, 1), new JvmActivity(8, 0),
            new JvmActivity(4, 2));

    @TempDir
    Path tmp;

    private static NetFigures teacher() {
        TrainingFlops flops = TrainingFlops.of(NetworkConfig.image(TEACHER, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
        return new NetFigures(TEACHER, flops, List.of(
                new ModeRun(CompareBenchmark.SINGLE, CompareBenchmark.DL4J, "single process, 1 thread(s)", 1,
                        List.of(290.0, 300.0, 310.4), List.of(), JVM3),
                new ModeRun(CompareBenchmark.torchId(1), CompareBenchmark.PYTORCH, "pytorch, 1 thread(s)", 1,
                        List.of(250.0, 240.0, 260.0), List.of(1.0, 1.0, 1.01), JVM3),
                new ModeRun(CompareBenchmark.SPARK, CompareBenchmark.DL4J, "spark local[2], 2 workers of batch 32", 2,
                        List.of(450.0), List.of(), JVM1),
                new ModeRun(CompareBenchmark.torchId(2), CompareBenchmark.PYTORCH, "pytorch, 2 thread(s)", 2,
                        List.of(500.0), List.of(1.9), JVM1)),
                List.of(new Pair(CompareBenchmark.SINGLE, "pytorch_1_thread", 1),
                        new Pair(CompareBenchmark.SPARK, "pytorch_2_threads", 2)),
                List.of(new WarmUpRound(4000, new JvmActivity(2600, 40)), new WarmUpRound(2000, new JvmActivity(60, 10))));
    }

    private static CompareBenchmark.Result result() {
        TorchInfo torch = new TorchInfo("/usr/bin/python3", "1.13.0a0", "AVX2", "generic",
                List.of("/usr/lib/libopenblas.so.0"), "v2.6.3", "OpenMP", CPU);
        return new CompareBenchmark.Result(config(List.of(TEACHER), 2, null), CPU, PEAK, "cpu-onednn",
                new NativeMemoryLimits(4L << 30, 0),
                new OneDnnDispatch("Intel AVX2", OneDnnDispatch.PROBED, "oneDNN v2.3.0", "OpenMP", List.of()), torch,
                null, "local[2]", "dominoes", 10000, List.of(1, 56, 28), 2, List.of(teacher()));
    }

    @Test
    void ratiosGflopsAndFractionsOfThePeakOfTheCoresUsed() {
        NetFigures t = teacher();
        assertEquals(1.2, t.ratio(t.pairs().get(0)), TOLERANCE);
        assertEquals(0.9, t.ratio(t.pairs().get(1)), TOLERANCE);
        ModeRun single = t.mode(CompareBenchmark.SINGLE);
        assertEquals(300.0 * 49_976_832 / 1e9, t.gflops(single), TOLERANCE);
        assertEquals(300.0 * 49_976_832 / 1e9 / 80, PEAK.fraction(t.gflops(single), single.cores()), TOLERANCE);
        ModeRun spark = t.mode(CompareBenchmark.SPARK);
        assertEquals(450.0 * 49_976_832 / 1e9 / 160, PEAK.fraction(t.gflops(spark), spark.cores()), TOLERANCE,
                "two cores: twice the peak");
        assertEquals("pytorch_1_thread", CompareBenchmark.torchId(1));
        assertEquals("pytorch_2_threads", CompareBenchmark.torchId(2));
    }

    @Test
    void thePrintedTableHasAModeARowAndAPairALine() {
        String printed = result().format();
        assertTrue(printed.startsWith("cpu Test CPU, 2 cores, avx2" + System.lineSeparator()
                + "peak 80.0 GFLOP/s per core = 32 FLOP/cycle x 2500 MHz"), printed);
        assertTrue(printed.contains("kernels cpu-onednn; oneDNN isa Intel AVX2 (" + OneDnnDispatch.PROBED
                + "; oneDNN v2.3.0)"), printed);
        assertTrue(printed.contains("native memory JavaCPP maxbytes 4.0 GiB; maxphysicalbytes 0 (no resident-size "
                + "check per allocation)"), printed);
        assertTrue(printed.lines().anyMatch(l -> l.matches(
                "teacher +single process, 1 thread\\(s\\) +1 +300 +290 300 310 +14\\.99 +0\\.187")), printed);
        assertTrue(printed.contains("teacher: 49.977 MFLOP per training example (forward 16.960)"), printed);
        assertTrue(printed.contains("teacher: 2 warm-up round(s), the JIT compiling for 0.030 of the last one's wall "
                + "time; during the timed rounds 88 ms of JIT"), printed);
        assertTrue(printed.contains("teacher, 2 core(s): spark local[2], 2 workers of batch 32 / pytorch, 2 thread(s) "
                + "= 0.90 (target >= 1.0: missed)"), printed);
    }

    @Test
    void theResultsFileRendersAsTheCompareTable() throws IOException {
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(results.resolve("compare.json"), Json.write(result().toJson()));
        Map<String, Object> json = Json.readObject(Files.readString(results.resolve("compare.json")), "compare.json");
        assertEquals(List.of("config", "cpu", "peak", "kernels", "native_memory", "onednn", "pytorch", "pytorch_absent",
                "spark_master", "dataset", "examples", "input", "classes", "target_ratio", "nets"),
                List.copyOf(json.keySet()));
        assertEquals(Map.of("max_bytes", 4L << 30, "max_physical_bytes", 0, "checks_resident_size", false),
                json.get("native_memory"));
        Path doc = Files.writeString(tmp.resolve("doc.md"), "<!-- table: compare files=compare.json -->\n<!-- /table -->\n");
        BenchTables.run(new BenchTables.Config(results, doc, false));
        String table = Files.readString(doc);
        assertTrue(table.contains("""
                | teacher | 1 | single process, 1 thread(s) | 300 (290, 300, 310) | 250 (250, 240, 260) | 1.20 | 49.98 | 14.99 / 12.49 | 18.7 % / 15.6 % |
                | teacher | 2 | spark local[2], 2 workers of batch 32 | 450 (450) | 500 (500) | 0.90 ✗ | 49.98 | 22.49 / 24.99 | 14.1 % / 15.6 % |
                """), table);
        assertTrue(table.contains("; PyTorch 1.13.0a0, CPU capability AVX2, BLAS /usr/lib/libopenblas.so.0, oneDNN v2.6.3; "
                + "dominoes, 10,000 examples of 1×56×28, batch 64, 1 epoch(s) a run, medians of 3 rounds after untimed rounds "
                + "until the JIT was quiet: teacher 2 (JIT 3.0 % of the last); JavaCPP's resident-size check per "
                + "allocation off (maxphysicalbytes 0)."), table);
        @SuppressWarnings("unchecked")
        Map<String, Object> teacher = (Map<String, Object>) ((Map<String, Object>) json.get("nets")).get("teacher");
        assertEquals(List.of(Map.of("wall_ms", 4000.0, "jit_ms", 2600.0, "gc_ms", 40.0),
                Map.of("wall_ms", 2000.0, "jit_ms", 60.0, "gc_ms", 10.0)), teacher.get("warm_up"));
        @SuppressWarnings("unchecked")
        Map<String, Object> single = (Map<String, Object>) ((Map<String, Object>) teacher.get("modes"))
                .get(CompareBenchmark.SINGLE);
        assertEquals(List.of(20.0, 8.0, 4.0), single.get("jit_ms"));
        assertEquals(List.of(1.0, 0.0, 2.0), single.get("gc_ms"));
    }

    @Test
    void badFlagsNameTheFlag() {
        assertEquals("--workers 0 must be at least 1", assertThrows(BadInputException.class,
                () -> config(List.of(STUDENT), 0, null).validate()).getMessage());
        assertEquals("--archs [student, student] names an architecture twice", assertThrows(BadInputException.class,
                () -> config(List.of(STUDENT, STUDENT), 2, null).validate()).getMessage());
        assertEquals("--flop-per-cycle 0 must be at least 1", assertThrows(BadInputException.class,
                () -> config(List.of(STUDENT), 2, 0).validate()).getMessage());
        CompareBenchConfig auto = config(List.of(TEACHER, STUDENT), 2, null).validate();
        assertEquals(PytorchBaseline.DEFAULT_PYTHONS, auto.pythons());
        assertEquals(Path.of(PytorchBaseline.DEFAULT_SCRIPT), auto.scriptPath());
        assertFalse(auto.pytorchRequired(), "found automatically: a missing torch is a note, not an error");
        CompareBenchConfig asked = new CompareBenchConfig(null, List.of(STUDENT), 1, 64, 2, 10, "direct", 0, 0, 3, 1,
                "/opt/py/bin/python", null, null, null, null, 0);
        assertTrue(asked.pytorchRequired());
        assertEquals("--python /opt/py/bin/python", asked.pytorchFlag());
        assertEquals(List.of("/opt/py/bin/python"), asked.pythons());
    }

    private static CompareBenchConfig config(List<Architecture> archs, int workers, Integer flopPerCycle) {
        return new CompareBenchConfig(null, archs, 1, 64, workers, 10, "direct", 0, 0, 3, 1, null, null, flopPerCycle, null,
                null, 0);
    }
}
