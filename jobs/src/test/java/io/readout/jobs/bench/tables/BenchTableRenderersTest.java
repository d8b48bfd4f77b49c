package io.readout.jobs.bench.tables;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every table renderer on small results files written by hand, against tables worked out by hand. */
class BenchTableRenderersTest {
    private static final String CPU = """
            {"model": "Test CPU", "cores": 4, "isa": ["avx2"], "source": "/proc/cpuinfo"}""";

    @TempDir
    Path results;

    @BeforeEach
    void writeFixtures() throws IOException {
        write("training.json", """
                {"cpu": %s, "config": {"arch": "student", "averaging_frequency": 10}, "dataset": "synthetic",
                 "examples": 128,
                 "runs": [
                   {"mode": "single process, 1 thread(s)", "threads": 1, "examples_per_second_median": 1000.4,
                    "examples_per_second": [1000.4]},
                   {"mode": "single process, 2 thread(s)", "threads": 2, "examples_per_second_median": 1500,
                    "examples_per_second": [1500]},
                   {"mode": "spark local[2], 2 workers, K=10, direct, prefetch 0", "threads": 1,
                    "examples_per_second_median": 2000, "examples_per_second": [1900, 2000, 2100.6]}],
                 "spark_over_single": {"single_1_threads": 1.9992, "single_2_threads": 1.3333}}
                """.formatted(CPU));
        write("throughput.json", """
                {"cpu": %s, "config": {"averaging_frequency": 5}, "spark_master": "local[*]", "examples": 64,
                 "training": {"teacher": {
                   "runs": [
                     {"mode": "single process, 1 thread(s)", "threads": 1, "examples_per_second_median": 100,
                      "examples_per_second": [100]},
                     {"mode": "spark local[*], 2 workers, K=5, direct, prefetch 0", "threads": 1,
                      "examples_per_second_median": 150, "examples_per_second": [150]}],
                   "spark_over_single": {"single_1_threads": 1.5}, "spark_epoch_seconds": 0.4267}},
                 "passes": [
                   {"pass": "predict", "arch": "teacher", "seconds_median": 0.123, "fraction_of_epoch": 0.2883,
                    "meets_target": true},
                   {"pass": "teacher probs", "arch": "teacher", "seconds_median": 0.2, "fraction_of_epoch": 0.4687,
                    "meets_target": false}]}
                """.formatted(CPU));
        write("eval.json", """
                {"cpu": %s,
                 "sizes": [
                   {"rows": 1000, "partitions": 2, "parquet_bytes": 12345, "write_seconds": 1.26, "seconds_median": 0.5,
                    "seconds": [0.5, 0.61], "rows_per_second": 2000,
                    "check": {"exact": true, "max_abs_z": 1.234, "passed": true}},
                   {"rows": 10000, "partitions": 2, "parquet_bytes": 123456, "write_seconds": 2.0, "seconds_median": 1.0,
                    "seconds": [1.0], "rows_per_second": 10000,
                    "check": {"exact": false, "max_abs_z": 6.0, "passed": false}}],
                 "steps": [{"from_rows": 1000, "to_rows": 10000, "time_per_row_ratio": 0.2, "exponent": 0.30103}]}
                """.formatted(CPU));
        write("backends.json", """
                {"cpu": %s, "variants": {
                  "linux-x86_64": {"build": "linux-x86_64", "helpers": "as built", "default": false, "jar_mb": 150.04,
                    "kernels": "cpu",
                    "rounds": [{"round": 1, "teacher_single_1t": 10, "student_single_1t": 40},
                               {"round": 2, "failed": true}],
                    "median_examples_per_second": {"teacher_single_1t": 10, "student_single_1t": 40,
                                                   "teacher_spark": 12, "student_spark": 44},
                    "median_ratio_to_default": {"teacher_single_1t": 0.1, "student_single_1t": 0.2}},
                  "linux-x86_64-onednn-avx2": {"build": "linux-x86_64-onednn-avx2", "helpers": "as built",
                    "default": true, "jar_mb": 160, "kernels": "cpu-onednn",
                    "rounds": [{"round": 1, "teacher_single_1t": 90, "student_single_1t": 300},
                               {"round": 2, "teacher_single_1t": 110, "student_single_1t": 250}],
                    "median_examples_per_second": {"teacher_single_1t": 100, "student_single_1t": 275,
                                                   "teacher_spark": 1200, "student_spark": 4400},
                    "median_ratio_to_default": {"teacher_single_1t": 1.0, "student_single_1t": 1.0}},
                  "linux-x86_64-onednn-avx2+helpers-off": {"build": "linux-x86_64-onednn-avx2", "helpers": "off",
                    "default": false, "jar_mb": 160, "kernels": "cpu-onednn (helpers off by -Dreadout.onednn=false)",
                    "rounds": [{"round": 1, "teacher_single_1t": 20, "student_single_1t": 60}],
                    "median_examples_per_second": {"teacher_single_1t": 20, "student_single_1t": 60,
                                                   "teacher_spark": 30, "student_spark": 70},
                    "median_ratio_to_default": {"teacher_single_1t": 0.222, "student_single_1t": 0.2}}}}
                """.formatted(CPU));
        write("probes.txt", """
                cpu: %1$s
                == 10:00:00 load 1.00 1.00 1.00 pytorch 1
                torch 1.13
                PYTORCH student threads=1 median=1000 ex/s runs=[990, 1000, 1010] process CPU/wall=[1.0, 1.0, 1.0]
                PYTORCH student threads=2 median=1800 ex/s runs=[1800] process CPU/wall=[2.0]
                == 10:01:00 load 1.00 1.00 1.00 plain build
                PROBE cpu: %1$s
                PROBE kernels: cpu
                PROBE student threads=1 median=200 ex/s runs=[200]
                PROBE student threads=2 median=210 ex/s runs=[210]
                == 10:02:00 load 1.00 1.00 1.00 default onednn+helpers
                PROBE student threads=1 median=1100 ex/s runs=[1100]
                PROBE student threads=2 median=1500 ex/s runs=[1500]
                == 10:03:00 load 1.00 1.00 1.00 layout
                PROBE STUDENT NCHW float ws: median 2927 ex/s runs [2115, 2927, 3451] engaged=true score 0.0090
                PROBE student threads=1 median=5 ex/s runs=[5]
                == 10:04:00 load 1.00 1.00 1.00 pytorch 2
                PYTORCH student threads=1 median=900 ex/s runs=[900]
                PYTORCH student threads=2 median=1700 ex/s runs=[1700]
                == 10:05:00 load 1.00 1.00 1.00 default onednn+helpers run 2
                PROBE student threads=1 median=1200 ex/s runs=[1200]
                PROBE student threads=2 median=1400 ex/s runs=[1400]
                """.formatted(CPU));
        write("sweep.json", """
                {"config": "sweep.json", "cpu": %s, "select": "val_wga", "trials": 4, "finished": 3,
                 "winner": {"trial": 2, "val_wga": 0.8125, "values": {"forget-every": 20, "aux-at": "block2"},
                            "selected_epoch": 4, "test": {"accuracy": 0.90315, "worst_group_accuracy": 0.79}}}
                """.formatted(CPU));
        write("accuracy-a.json", """
                {"dataset": "dominoes", "rho": 0.95, "epochs": 8, "seeds": [0, 1, 2], "cpu": %s,
                 "command": "readout pipeline --seeds 0,1,2",
                 "methods": [
                   %s, %s, %s, %s, %s, %s, %s, %s],
                 "paired": [
                   {"run": "student kd", "baseline": "student erm", "model": "final", "split": "test", "metric": "wga",
                    "mean": 0.0013, "std": 0.01, "min": -0.01, "max": 0.012, "n": 3},
                   {"run": "student kd", "baseline": "student erm", "model": "final", "split": "test",
                    "metric": "accuracy", "mean": -0.001, "std": 0.002, "min": -0.003, "max": 0.001, "n": 3},
                   {"run": "student kd", "baseline": "student erm", "model": "best", "split": "test", "metric": "wga",
                    "mean": 0.5, "std": 0.1, "min": 0.4, "max": 0.6, "n": 3}]}
                """.formatted(CPU,
                stat("teacher erm", "final", "accuracy", 0.9083, 0.0019, 3),
                stat("teacher erm", "final", "wga", 0.85, 0.022, 3),
                stat("teacher erm", "best", "accuracy", 0.9105, 0.0035, 3),
                stat("teacher erm", "best", "wga", 0.8007, 0.0248, 3),
                stat("student kd", "final", "accuracy", 0.86, 0.01, 3),
                stat("student kd", "final", "wga", 0.776, 0.0193, 3),
                stat("student kd", "best", "accuracy", 0.8993, 0.0034, 3),
                stat("student kd", "best", "wga", 0.772, 0.0125, 3)));
        write("accuracy-b.json", """
                {"dataset": "dominoes", "rho": 0.5, "epochs": 8, "seeds": [0], "cpu": %s,
                 "command": "readout pipeline --seeds 0", "methods": [%s, %s, %s, %s]}
                """.formatted(CPU,
                stat("teacher erm", "final", "accuracy", 0.9615, null, 1),
                stat("teacher erm", "final", "wga", 0.9, null, 1),
                stat("teacher erm", "best", "accuracy", 0.962, null, 1),
                stat("teacher erm", "best", "wga", 0.91, null, 1)));
        write("bands.json", """
                {"source": "a reference", "dataset": "dominoes", "split": "test", "model": "final",
                 "bands": [
                   {"run": "teacher erm", "rho": 0.95, "accuracy": {"reference": 0.905, "band": 0.03},
                    "wga": {"reference": 0.749, "band": 0.07}},
                   {"run": "student kd", "rho": 0.95, "accuracy": {"reference": 0.903, "band": 0.03}},
                   {"run": "teacher erm", "rho": 0.5, "accuracy": {"at_least": 0.94}, "wga": {"at_least": 0.92}}]}
                """);
    }

    @Test
    void sparkAgainstSingleProcessRowsFromBenchTrainingAndBenchThroughput() {
        assertEquals("""
                | file | net | examples | K | single, 1 thread | single, 2 threads | Spark master | Spark (runs) | Spark / single 1 t | Spark / single 2 t |
                |---|---|---|---|---|---|---|---|---|---|
                | `training.json` | student | 128 | 10 | 1,000 | 1,500 | local[2] | 2,000 (1,900, 2,000, 2,101) | 2.00 | 1.33 |
                | `throughput.json` | teacher | 64 | 5 | 100 | | local[*] | 150 (150) | 1.50 | |
                """, table(new SparkVsSingleTable(), "spark-vs-single files=training.json,throughput.json"));
    }

    @Test
    void passesAsSecondsAndFractionsOfAnEpochMarkedAboveTheTarget() {
        assertEquals("""
                | file | master | Spark / single 1 t, teacher | Spark epoch, teacher | predict | teacher probs |
                |---|---|---|---|---|---|
                | `throughput.json` | local[*] | 1.50 | 0.43 s | 0.12 s = 0.29 | 0.20 s = 0.47 ✗ |
                """, table(new PassesTable(), "passes files=throughput.json"));
    }

    @Test
    void evalScaleRowsPerSizeWithTheStepsAndTheCheck() {
        assertEquals("""
                | file | rows | partitions | Parquet | write s | evaluate s, median (runs) | rows/s | time per row vs previous size | exponent | check |
                |---|---|---|---|---|---|---|---|---|---|
                | `eval.json` | 1,000 | 2 | 0.0 MB | 1.3 | 0.50 (0.50, 0.61) | 2,000 | | | exact, max \\|z\\| 1.23 |
                | | 10,000 | 2 | 0.1 MB | 2.0 | 1.00 (1.00) | 10,000 | 0.200 | 0.30 | MISMATCH, max \\|z\\| 6.00, failed |
                """, table(new EvalScaleTable(), "eval-scale files=eval.json"));
    }

    @Test
    void backendsWithTheirMedianBestRoundAndFailedRounds() {
        assertEquals("""
                | build | kernels | teacher, 1 thread: median (best) | student, 1 thread: median (best) | teacher / student vs default, median of per-round ratios | Spark teacher / student, median | jar | rounds |
                |---|---|---|---|---|---|---|---|
                | `linux-x86_64` | libnd4j | 10 (10) | 40 (40) | 0.10 / 0.20 | 12 / 44 | 150.0 MB | 2 (1 failed) |
                | `linux-x86_64-onednn-avx2` (default) | oneDNN helpers | 100 (110) | 275 (300) | 1.00 / 1.00 | 1,200 / 4,400 | 160.0 MB | 2 |
                | `linux-x86_64-onednn-avx2`, helpers off | libnd4j (oneDNN build, helpers off) | 20 (20) | 60 (60) | 0.22 / 0.20 | 30 / 70 | 160.0 MB | 1 |
                """, table(new BackendsTable(), "backends files=backends.json"));
    }

    @Test
    void kernelProbesPairTheRunsOfEachGroupInSectionOrder() {
        assertEquals("""
                | net | PyTorch, 1 thread | DL4J before (plain build), 1 thread | DL4J now (default onednn+helpers), 1 thread | now / PyTorch, 1 thread | PyTorch, 2 threads | DL4J before (plain build), 2 threads | DL4J now (default onednn+helpers), 2 threads | now / PyTorch, 2 threads |
                |---|---|---|---|---|---|---|---|---|
                | student | 1,000 / 900 | 200 | 1,100 / 1,200 | 1.10 / 1.33 | 1,800 / 1,700 | 210 | 1,500 / 1,400 | 0.83 / 0.82 |
                """, table(new KernelProbesTable(), "pytorch-vs-dl4j files=probes.txt"));
        // Another choice of sections: the layout section as "now", one run against PyTorch's first.
        assertEquals(results.resolve("probes.txt") + ": has 1 'layout' runs of student at 1 thread(s) but 2 PyTorch "
                + "runs: the ratio pairs them run by run", bad(new KernelProbesTable(),
                "pytorch-vs-dl4j files=probes.txt now=layout"));
    }

    @Test
    void aLogNamesOneCpu() throws IOException {
        write("two-cpus.txt", "cpu: " + CPU + "\nPROBE cpu: " + CPU.replace("Test CPU", "Other CPU") + "\n");
        assertEquals(results.resolve("two-cpus.txt") + ": its cpu lines name different CPUs (Test CPU, 4 cores, avx2; "
                + "Other CPU, 4 cores, avx2)", bad(new KernelProbesTable(), "pytorch-vs-dl4j files=two-cpus.txt"));
        write("no-cpu.txt", "== 10:00:00 load 1 1 1 pytorch\nPYTORCH student threads=1 median=1 ex/s\n");
        assertEquals(results.resolve("no-cpu.txt") + ": no 'cpu: {...}' line naming the CPU it was measured on",
                bad(new KernelProbesTable(), "pytorch-vs-dl4j files=no-cpu.txt"));
    }

    /** A bench compare file: the teacher, DL4J's single process and Spark against PyTorch on 1 and 2 threads. */
    private static final String COMPARE = """
            {"cpu": %s, "config": {"batch": 64, "epochs": 1, "repeats": 3},
             "peak": {"flop_per_cycle": 32, "flop_basis": "avx2: 8 FP32 lanes x 2 FLOP per FMA x 2 FMA units, assumed",
                      "clock_mhz": 2500.0, "clock_source": "lscpu CPU max MHz", "gflops_per_core": 80.0},
             "kernels": "cpu-onednn", "onednn": {"isa": "Intel AVX2", "source": "DNNL_VERBOSE log of a probe JVM"},
             "pytorch": {"torch": "1.13.0a0", "cpu_capability": "AVX2", "blas_loaded": ["/usr/lib/libopenblas.so.0"],
                         "mkldnn": "v2.6.3"},
             "pytorch_absent": null, "dataset": "dominoes", "examples": 10000, "input": [1, 56, 28],
             "target_ratio": 1.0,
             "nets": {"teacher": {
               "flops": {"forward_per_example": 16960000, "training_per_example": 49976832},
               "modes": {
                 "dl4j_single_1_thread": {"mode": "single process, 1 thread(s)", "cores": 1,
                   "examples_per_second_median": 300, "examples_per_second": [290, 300, 310.4], "gflops": 14.99,
                   "fraction_of_peak": 0.18738},
                 "pytorch_1_thread": {"mode": "pytorch, 1 thread(s)", "cores": 1, "examples_per_second_median": 250,
                   "examples_per_second": [250, 240, 260], "gflops": 12.494, "fraction_of_peak": 0.15618},
                 "dl4j_spark": {"mode": "spark local[2], 2 workers of batch 32", "cores": 2,
                   "examples_per_second_median": 450, "examples_per_second": [450], "gflops": 22.49,
                   "fraction_of_peak": 0.14056},
                 "pytorch_2_threads": {"mode": "pytorch, 2 thread(s)", "cores": 2, "examples_per_second_median": 500,
                   "examples_per_second": [500], "gflops": 24.99, "fraction_of_peak": 0.15618}},
               "ratios": [
                 {"dl4j": "dl4j_single_1_thread", "pytorch": "pytorch_1_thread", "cores": 1, "ratio": 1.2},
                 {"dl4j": "dl4j_spark", "pytorch": "pytorch_2_threads", "cores": 2, "ratio": 0.9}]}}}
            """;

    @Test
    void comparePairsDl4jWithPytorchOnTheSameCoresAgainstThePeak() throws IOException {
        write("compare.json", COMPARE.formatted(CPU));
        assertEquals("""
                | net | cores | DL4J | DL4J ex/s (runs) | PyTorch ex/s (runs) | DL4J / PyTorch | training MFLOP / example | GFLOP/s, DL4J / PyTorch | of peak, DL4J / PyTorch |
                |---|---|---|---|---|---|---|---|---|
                | teacher | 1 | single process, 1 thread(s) | 300 (290, 300, 310) | 250 (250, 240, 260) | 1.20 | 49.98 | 14.99 / 12.49 | 18.7 % / 15.6 % |
                | teacher | 2 | spark local[2], 2 workers of batch 32 | 450 (450) | 500 (500) | 0.90 ✗ | 49.98 | 22.49 / 24.99 | 14.1 % / 15.6 % |

                `compare.json`: peak 80.0 GFLOP/s per core = 32 FLOP/cycle × 2,500 MHz (avx2: 8 FP32 lanes x 2 FLOP per FMA x 2 FMA units, assumed; clock: lscpu CPU max MHz); oneDNN dispatched Intel AVX2 (DNNL_VERBOSE log of a probe JVM); PyTorch 1.13.0a0, CPU capability AVX2, BLAS /usr/lib/libopenblas.so.0, oneDNN v2.6.3; dominoes, 10,000 examples of 1×56×28, batch 64, 1 epoch(s) a run, medians of 3 rounds.
                """, table(new CompareTable(), "compare files=compare.json"));
    }

    @Test
    void compareWithoutAPytorchSideListsTheDl4jModesAndSaysWhy() throws IOException {
        write("compare.json", COMPARE.formatted(CPU));
        write("dl4j-only.json", """
                {"cpu": %s, "config": {"batch": 64, "epochs": 2, "repeats": 1},
                 "peak": {"flop_per_cycle": null, "flop_basis": "no AVX2 or AVX-512: not estimated", "clock_mhz": 2500.0,
                          "clock_source": "lscpu CPU max MHz", "gflops_per_core": null},
                 "onednn": {"isa": "avx2", "source": "inferred from cpu.isa: the probe failed"},
                 "pytorch": null, "pytorch_absent": "no Python with torch", "dataset": "synthetic", "examples": 256,
                 "input": [1, 16, 16], "target_ratio": 1.0,
                 "nets": {"student": {
                   "flops": {"training_per_example": 565632},
                   "modes": {
                     "dl4j_single_1_thread": {"mode": "single process, 1 thread(s)", "cores": 1,
                       "examples_per_second_median": 1000, "examples_per_second": [1000], "gflops": 0.566,
                       "fraction_of_peak": null},
                     "dl4j_spark": {"mode": "spark local[2], 2 workers of batch 32", "cores": 2,
                       "examples_per_second_median": 1500, "examples_per_second": [1500], "gflops": 0.848,
                       "fraction_of_peak": null}},
                   "ratios": []}}}
                """.formatted(CPU));
        String table = table(new CompareTable(), "compare files=compare.json,dl4j-only.json");
        assertTrue(table.startsWith("| file | net | cores | DL4J |"), table);
        assertTrue(table.contains("""
                | `dl4j-only.json` | student | 1 | single process, 1 thread(s) | 1,000 (1,000) | | | 0.57 | 0.57 | ? |
                | `dl4j-only.json` | student | 2 | spark local[2], 2 workers of batch 32 | 1,500 (1,500) | | | 0.57 | 0.85 | ? |
                """), table);
        assertTrue(table.contains("\n\n`dl4j-only.json`: peak not known (no AVX2 or AVX-512: not estimated; clock: lscpu "
                + "CPU max MHz); oneDNN dispatched avx2 (inferred from cpu.isa: the probe failed); PyTorch not measured: "
                + "no Python with torch; synthetic, 256 examples of 1×16×16, batch 64, 2 epoch(s) a run, medians of 1 "
                + "rounds.\n"), table);
        write("bad-ratio.json", COMPARE.formatted(CPU).replace("\"pytorch\": \"pytorch_2_threads\"",
                "\"pytorch\": \"pytorch_4_threads\""));
        assertEquals(results.resolve("bad-ratio.json") + ": nets.teacher.modes.pytorch_4_threads is missing",
                bad(new CompareTable(), "compare files=bad-ratio.json"));
    }

    @Test
    void theSweepsWinnerWithItsValues() {
        assertEquals("""
                | file | trials finished | winner | forget-every | aux-at | selected epoch | val_wga | test avg | test WGA |
                |---|---|---|---|---|---|---|---|---|
                | `sweep.json` | 3 of 4 | 0002 | 20 | block2 | 4 | 0.813 | 0.9032 | 0.790 |
                """, table(new SweepWinnerTable(), "sweep-winner files=sweep.json"));
    }

    @Test
    void sweepsOverSeedsOneRowPerGroupAcrossFiles() throws IOException {
        write("before.json", seeds("{\"workers\": 2, \"batch-scope\": \"worker\"}", 3, 0.1, 0.02));
        write("after.json", seeds("{\"workers\": 2}", 1, 0.8, null));
        assertEquals("""
                | file | workers | batch-scope | seeds | val avg | val WGA | test avg | test WGA | test WGA (selected epoch) |
                |---|---|---|---|---|---|---|---|---|
                | `before.json` | 2 | worker | 3 | 0.900 ± 0.010 | 0.100 ± 0.020 | 0.900 ± 0.010 | 0.100 ± 0.020 | 0.500 ± 0.010 |
                | `after.json` | 2 | | 1 | 0.900 | 0.800 | 0.900 | 0.800 | 0.500 |
                """, table(new SweepSeedsTable(), "sweep-seeds files=before.json,after.json"));
        assertTrue(table(new SweepSeedsTable(), "sweep-seeds files=after.json").startsWith("| workers | seeds |"),
                "one file: no file column");
        write("no-seeds.json", "{\"cpu\": " + CPU + ", \"by_seed\": []}");
        assertTrue(bad(new SweepSeedsTable(), "sweep-seeds files=no-seeds.json").contains("by_seed"));
    }

    /** A sweep.json whose one group has the given final WGA (mean, std) and fixed other figures. */
    private static String seeds(String values, int n, double wga, Double wgaStd) {
        String fixedStd = n > 1 ? "0.01" : "null";
        String stat = "{\"mean\": %s, \"std\": %s, \"min\": 0, \"max\": 1}";
        String other = stat.formatted("0.9", fixedStd);
        String w = stat.formatted(String.valueOf(wga), wgaStd == null ? "null" : String.valueOf(wgaStd));
        String split = "{\"accuracy\": %s, \"worst_group_accuracy\": %s, \"group_mean_accuracy\": %s}";
        String last = split.formatted(other, w, other);
        String best = split.formatted(other, stat.formatted("0.5", fixedStd), other);
        return """
                {"cpu": %s, "by_seed": [{"values": %s, "n": %d, "seeds": [0], "trials": [0],
                 "best": {"val": %s, "test": %s}, "final": {"val": %s, "test": %s}}]}""".formatted(CPU, values, n, best,
                best, last, last);
    }

    @Test
    void accuracyMeansWithTheirBandsOverTwoFilesLabelledByRho() {
        assertEquals("""
                | run | seeds | test avg (final) | band | test WGA (final) | band | test avg (best) | test WGA (best) |
                |---|---|---|---|---|---|---|---|
                | teacher erm (dominoes, rho 0.95) | 3 | 0.9083 ± 0.0019 | 0.905 ± 0.03 ✓ | 0.8500 ± 0.0220 | 0.749 ± 0.07 ✗ above | 0.9105 ± 0.0035 | 0.8007 ± 0.0248 |
                | student kd (dominoes, rho 0.95) | 3 | 0.8600 ± 0.0100 | 0.903 ± 0.03 ✗ below | 0.7760 ± 0.0193 | | 0.8993 ± 0.0034 | 0.7720 ± 0.0125 |
                | teacher erm (dominoes, rho 0.5) | 1 | 0.9615 | ≥ 0.94 ✓ | 0.9000 | ≥ 0.92 ✗ | 0.9620 | 0.9100 |
                """, table(new AccuracyTable(),
                "accuracy files=accuracy-a.json,accuracy-b.json bands=bands.json models=final,best"));
        TableRenderer.Rendered r = new AccuracyTable().render(marker(
                "accuracy files=accuracy-a.json,accuracy-b.json bands=bands.json"), results);
        assertEquals(List.of("accuracy-a.json", "accuracy-b.json"), r.measured().stream().map(ResultsFile::name).toList());
        assertEquals(List.of("bands.json"), r.references().stream().map(ResultsFile::name).toList());
    }

    @Test
    void accuracyRunsInTheChosenOrderWithoutBands() {
        assertEquals("""
                | run | seeds | test WGA (best) |
                |---|---|---|
                | student kd | 3 | 0.772 ± 0.013 |
                | teacher erm | 3 | 0.801 ± 0.025 |
                """, table(new AccuracyTable(),
                "accuracy files=accuracy-a.json runs=\"student kd,teacher erm\" models=best metrics=wga decimals=3"));
    }

    @Test
    void accuracyFilesAndOptionsThatDoNotFitAreOneLineNamingThem() throws IOException {
        assertEquals("d.md:7 (table accuracy): runs names 'student jtt', which no file has (runs: teacher erm, "
                + "student kd)", bad(new AccuracyTable(), "accuracy files=accuracy-a.json runs=\"student jtt\""));
        assertEquals(results.resolve("accuracy-a.json") + ": methods has no entry for run 'teacher erm', model final, "
                + "split test, metric group_mean", bad(new AccuracyTable(),
                "accuracy files=accuracy-a.json metrics=group_mean"));
        assertEquals("d.md:7 (table accuracy): models 'last' is not one of [best, final]",
                bad(new AccuracyTable(), "accuracy files=accuracy-a.json models=last"));
        assertEquals("d.md:7 (table accuracy): decimals 'x' is not a whole number from 0 to 8",
                bad(new AccuracyTable(), "accuracy files=accuracy-a.json decimals=x"));

        write("bad-std.json", wrapper(stat("student kd", "final", "wga", 0.7, null, 3)));
        assertEquals(results.resolve("bad-std.json") + ": methods[0].std is missing for n = 3",
                bad(new AccuracyTable(), "accuracy files=bad-std.json"));
        write("bad-std1.json", wrapper(stat("student kd", "final", "wga", 0.7, 0.1, 1)));
        assertEquals(results.resolve("bad-std1.json") + ": methods[0].std must be null for one seed (n = 1)",
                bad(new AccuracyTable(), "accuracy files=bad-std1.json"));
        write("bad-model.json", wrapper(stat("student kd", "last", "wga", 0.7, 0.1, 3)));
        assertEquals(results.resolve("bad-model.json") + ": methods[0].model must be final or best, got last",
                bad(new AccuracyTable(), "accuracy files=bad-model.json"));
        write("bad-mean.json", wrapper(stat("student kd", "final", "wga", 0.95, 0.1, 0.65, 0.9, 3)));
        assertEquals(results.resolve("bad-mean.json") + ": methods[0] has mean 0.95 outside [min 0.65, max 0.9]",
                bad(new AccuracyTable(), "accuracy files=bad-mean.json"));
        write("no-header.json", "{\"cpu\": " + CPU + ", \"methods\": [" + stat("student kd", "final", "wga", 0.7, 0.1, 3)
                + "]}");
        assertEquals(results.resolve("no-header.json") + ": seeds is missing",
                bad(new AccuracyTable(), "accuracy files=no-header.json"));
        write("bad-band.json", "{\"source\": \"s\", \"dataset\": \"dominoes\", \"split\": \"test\", \"model\": \"final\", "
                + "\"bands\": [{\"run\": \"teacher erm\", \"rho\": 0.95, \"wga\": {\"reference\": 0.7}}]}");
        assertEquals(results.resolve("bad-band.json") + ": bands[0].wga must be {\"reference\": R, \"band\": B} or "
                + "{\"at_least\": L}", bad(new AccuracyTable(), "accuracy files=accuracy-a.json bands=bad-band.json"));
    }

    @Test
    void pairedDifferencesOfOneModelAndSplit() {
        assertEquals("""
                | run | baseline | metric | test difference (final), mean ± std | min … max | seeds |
                |---|---|---|---|---|---|
                | student kd | student erm | WGA | +0.0013 ± 0.0100 | -0.0100 … +0.0120 | 3 |
                | student kd | student erm | avg | -0.0010 ± 0.0020 | -0.0030 … +0.0010 | 3 |
                """, table(new PairedTable(), "paired files=accuracy-a.json"));
        assertEquals("d.md:7 (table paired): no paired entry for model final, split val, metrics [wga, accuracy] in "
                + "[accuracy-a.json]", bad(new PairedTable(), "paired files=accuracy-a.json split=val"));
    }

    @Test
    void aFileOfTheWrongShapeNamesTheField() throws IOException {
        write("no-spark.json", """
                {"cpu": %s, "config": {"arch": "student", "averaging_frequency": 10}, "examples": 1,
                 "runs": [{"mode": "single process, 1 thread(s)", "threads": 1, "examples_per_second_median": 1}],
                 "spark_over_single": {}}
                """.formatted(CPU));
        assertEquals(results.resolve("no-spark.json") + ": runs has no Spark run",
                bad(new SparkVsSingleTable(), "spark-vs-single files=no-spark.json"));
        write("text-rate.json", """
                {"cpu": %s, "config": {"arch": "student", "averaging_frequency": 10}, "examples": 1,
                 "runs": [{"mode": "single process, 1 thread(s)", "threads": 1, "examples_per_second_median": "fast"}]}
                """.formatted(CPU));
        assertEquals(results.resolve("text-rate.json") + ": runs[0].examples_per_second_median must be a number, got "
                + "\"fast\"", bad(new SparkVsSingleTable(), "spark-vs-single files=text-rate.json"));
        write("bad-steps.json", Files.readString(results.resolve("eval.json")).replace("\"to_rows\": 10000",
                "\"to_rows\": 99"));
        assertEquals(results.resolve("bad-steps.json") + ": steps[0].to_rows is not sizes[1].rows (10000)",
                bad(new EvalScaleTable(), "eval-scale files=bad-steps.json"));
        assertEquals(results.resolve("probes.txt") + ": expected a JSON results file",
                bad(new PassesTable(), "passes files=probes.txt"));
    }

    private static String stat(String run, String model, String metric, double mean, Double std, int n) {
        return stat(run, model, metric, mean, std, mean - 0.05, Math.min(1, mean + 0.05), n);
    }

    private static String stat(String run, String model, String metric, double mean, Double std, double min,
                               double max, int n) {
        return ("{\"run\": \"%s\", \"model\": \"%s\", \"split\": \"test\", \"metric\": \"%s\", \"mean\": %s, "
                + "\"std\": %s, \"min\": %s, \"max\": %s, \"n\": %d}").formatted(run, model, metric, mean, std, min, max, n);
    }

    @Test
    void sparkRoundsWithTheirOverheadOutsideFitting() throws IOException {
        write("rounds.json", """
                {"label": "teacher, K=10", "cpu": %s, "rounds": 16,
                 "round_medians_ms": {"job": 525.5, "gap_before": 34.5, "task_wall": 513.5, "task_run": 456.0,
                  "result_serialization": 5.0, "result_bytes": 9916920.0, "task_rest": 52.5}}
                """.formatted(CPU));
        // Overhead: 525.5 - 456.0 + 34.5 = 104.0 ms.
        assertEquals("""
                | file | fit | rounds | round job | tasks fitting | result serialization | result to the driver | driver between rounds | overhead outside fitting | result size |
                |---|---|---|---|---|---|---|---|---|---|
                | `rounds.json` | teacher, K=10 | 16 | 525.5 ms | 456.0 ms | 5.0 ms | 52.5 ms | 34.5 ms | 104.0 ms | 9.92 MB |
                """, table(new SparkRoundsTable(), "spark-rounds files=rounds.json"));
        write("no-medians.json", "{\"label\": \"x\", \"cpu\": %s, \"rounds\": 1}".formatted(CPU));
        assertTrue(bad(new SparkRoundsTable(), "spark-rounds files=no-medians.json").contains("round_medians_ms"));
    }

    private static String wrapper(String method) {
        return """
                {"dataset": "dominoes", "rho": 0.95, "epochs": 8, "seeds": [0, 1, 2], "cpu": %s, "command": "c",
                 "methods": [%s]}""".formatted(CPU, method);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(results.resolve(name), text);
    }

    private static TableMarker marker(String body) {
        return TableMarker.parse(Path.of("d.md"), 7, "<!-- table: " + body + " -->");
    }

    private String table(TableRenderer renderer, String marker) {
        return renderer.render(marker(marker), results).table();
    }

    private String bad(TableRenderer renderer, String marker) {
        return assertThrows(BadInputException.class, () -> renderer.render(marker(marker), results)).getMessage();
    }
}
