package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.CorePeak;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NativeMemoryLimits;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.TrainingFlops;
import io.readout.jobs.bench.PytorchBaseline.TorchInfo;
import io.readout.jobs.bench.PytorchBaseline.TorchRun;
import io.readout.jobs.bench.SideBySide.JvmActivity;
import io.readout.jobs.bench.SideBySide.JvmClock;
import io.readout.jobs.bench.SideBySide.Measured;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.bench.SideBySide.WarmUpRound;
import io.readout.jobs.io.AtomicFile;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.spark.TaskThreads;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingMasters;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.readout.jobs.bench.SideBySide.fixed;
import static io.readout.jobs.bench.SideBySide.line;

/**
 * DL4J against PyTorch on the same CPU in one run, and both against the hardware: per architecture, four modes
 * {@link SideBySide side by side} (untimed rounds, then {@code repeats} rounds in this order): DL4J in a
 * single process on 1 thread, PyTorch on 1 thread, DL4J through Spark parameter averaging on the session's
 * master (W workers), PyTorch on W × task-CPUs threads; each over the same number of training examples
 * (the rows × epochs), batch 64 and Adam as {@code bench throughput} ({@link TrainingComparison} times the DL4J
 * modes, {@link PytorchBaseline} the PyTorch ones, in a child process each; the DL4J modes warm up
 * {@link SideBySide.WarmUp#untilQuiet until the JIT is quiet}). Reported per mode: the median
 * examples/s, GFLOP/s ({@link TrainingFlops}) and the fraction of the peak of the cores it used
 * ({@link CorePeak}); per pair of modes on the same cores, DL4J / PyTorch against the target of
 * {@value #TARGET_RATIO}. Also recorded: the CPU, the ISA oneDNN dispatched to ({@link OneDnnDispatch}) and
 * what runs PyTorch's kernels. Stages: probe the machine → read the rows → time each architecture → report.
 */
public final class CompareBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(CompareBenchmark.class);

    /** The target: DL4J at least as fast as PyTorch on the same cores. */
    public static final double TARGET_RATIO = 1.0;
    public static final String DL4J = "dl4j";
    public static final String PYTORCH = "pytorch";
    public static final String SINGLE = "dl4j_single_1_thread";
    public static final String SPARK = "dl4j_spark";

    /**
     * One mode's timed rounds.
     *
     * @param id                its key in the results file ({@value #SINGLE}, {@code pytorch_1_thread}, …)
     * @param cores             the cores it runs on: threads of a process, or Spark's workers × task CPUs
     * @param processCpuPerWall PyTorch's process CPU time over wall time per round (cores busy); empty for DL4J
     * @param jvm               what this JVM compiled and collected during each timed round (for a PyTorch mode:
     *                          the JIT work that competed with the child process for the cores)
     */
    public record ModeRun(String id, String side, String mode, int cores, List<Double> values,
                          List<Double> processCpuPerWall, List<JvmActivity> jvm) {
        public double median() {
            return SideBySide.median(values);
        }
    }

    /** A DL4J mode and the PyTorch mode on the same number of cores. */
    public record Pair(String dl4j, String pytorch, int cores) {
    }

    /**
     * One architecture's figures.
     *
     * @param pairs  the DL4J / PyTorch comparisons; empty without a PyTorch side
     * @param warmUp the untimed rounds before the timed ones
     */
    public record NetFigures(Architecture arch, TrainingFlops flops, List<ModeRun> modes, List<Pair> pairs,
                             List<WarmUpRound> warmUp) {
        public ModeRun mode(String id) {
            return modes.stream().filter(m -> m.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no mode " + id));
        }

        public double ratio(Pair p) {
            return mode(p.dl4j()).median() / mode(p.pytorch()).median();
        }

        public double gflops(ModeRun m) {
            return flops.gflops(m.median());
        }
    }

    /**
     * Everything measured.
     *
     * @param torch         what runs PyTorch's kernels; null without a PyTorch side
     * @param pytorchAbsent why there is no PyTorch side; null with one
     * @param input         channels, height, width of the examples
     */
    public record Result(CompareBenchConfig config, MachineCpu cpu, CorePeak peak, String kernels,
                         NativeMemoryLimits nativeMemory, OneDnnDispatch onednn, TorchInfo torch,
                         String pytorchAbsent, String master, String dataset, long examples, List<Integer> input,
                         int classes, List<NetFigures> nets) {
        /** The figures as the command prints them: the machine, then a row per mode and a line per pair. */
        public String format() {
            StringBuilder b = new StringBuilder();
            line(b, "cpu %s", cpu.describe());
            line(b, "peak %s", peak.describe());
            line(b, "kernels %s; oneDNN isa %s (%s%s)", kernels, onednn.isa(), onednn.source(),
                    onednn.version() == null ? "" : "; " + onednn.version());
            line(b, "native memory %s", nativeMemory.describe());
            line(b, "pytorch %s", torch != null ? torch.describe() : "not measured: " + pytorchAbsent);
            line(b, "dataset %s, %d training examples of %s, %d classes, batch %d, %d epoch(s), %d repeat(s); "
                    + "spark master %s", dataset, examples, shape(input), classes, config.batch(), config.epochs(),
                    config.repeats(), master);
            line(b, "");
            String row = "%-8s %-64s %5s %10s  %-22s %8s %8s";
            line(b, row, "arch", "mode", "cores", "examples/s", "runs", "GFLOP/s", "of peak");
            for (NetFigures n : nets) {
                for (ModeRun m : n.modes()) {
                    Double fraction = peak.fraction(n.gflops(m), m.cores());
                    line(b, row, n.arch().id(), m.mode(), m.cores(), fixed(m.median(), 0),
                            SideBySide.formatValues(m.values(), 0), fixed(n.gflops(m), 2),
                            fraction == null ? "" : fixed(fraction, 3));
                }
            }
            line(b, "");
            for (NetFigures n : nets) {
                line(b, "%s: %s MFLOP per training example (forward %s)", n.arch().id(),
                        fixed(n.flops().training() / 1e6, 3), fixed(n.flops().forward() / 1e6, 3));
                if (!n.warmUp().isEmpty()) {
                    WarmUpRound last = n.warmUp().get(n.warmUp().size() - 1);
                    line(b, "%s: %d warm-up round(s), the JIT compiling for %s of the last one's wall time; during the "
                            + "timed rounds %s ms of JIT", n.arch().id(), n.warmUp().size(),
                            fixed(last.jitFraction(), 3), fixed(n.modes().stream().flatMap(m -> m.jvm().stream())
                                    .mapToDouble(JvmActivity::jitMillis).sum(), 0));
                }
                for (Pair p : n.pairs()) {
                    double ratio = n.ratio(p);
                    line(b, "%s, %d core(s): %s / %s = %s (target >= %s: %s)", n.arch().id(), p.cores(),
                            n.mode(p.dl4j()).mode(), n.mode(p.pytorch()).mode(), fixed(ratio, 2), TARGET_RATIO,
                            ratio >= TARGET_RATIO ? "met" : "missed");
                }
            }
            return b.toString();
        }

        public ResultsFile toJson() {
            Map<String, NetJson> netJson = new LinkedHashMap<>();
            for (NetFigures n : nets) {
                Map<String, ModeJson> modes = new LinkedHashMap<>();
                for (ModeRun m : n.modes()) {
                    modes.put(m.id(), new ModeJson(m.side(), m.mode(), m.cores(), m.median(), m.values(),
                            n.gflops(m), peak.fraction(n.gflops(m), m.cores()),
                            m.processCpuPerWall().isEmpty() ? null : m.processCpuPerWall(),
                            m.jvm().stream().map(JvmActivity::jitMillis).toList(),
                            m.jvm().stream().map(JvmActivity::gcMillis).toList()));
                }
                List<RatioJson> ratios = n.pairs().stream().map(p -> new RatioJson(p.dl4j(), p.pytorch(), p.cores(),
                        n.ratio(p), n.ratio(p) >= TARGET_RATIO)).toList();
                netJson.put(n.arch().id(), new NetJson(JsonFiles.tree(n.flops().toJson()), modes, ratios,
                        n.warmUp().stream().map(w -> new WarmUpJson(w.wallMillis(), w.activity().jitMillis(),
                                w.activity().gcMillis())).toList()));
            }
            return new ResultsFile(config.describe(), JsonFiles.tree(cpu.toJson()), JsonFiles.tree(peak.toJson()),
                    kernels, nativeMemory.toJson(), onednn, torch, pytorchAbsent, master, dataset, examples, input,
                    classes, TARGET_RATIO, netJson);
        }
    }

    /** The results file ({@code --out}). */
    @JsonPropertyOrder({"config", "cpu", "peak", "kernels", "native_memory", "onednn", "pytorch", "pytorch_absent",
            "spark_master", "dataset", "examples", "input", "classes", "target_ratio", "nets"})
    public record ResultsFile(CompareBenchConfig.Described config, ObjectNode cpu, ObjectNode peak, String kernels,
                              @JsonProperty("native_memory") Map<String, Object> nativeMemory,
                              OneDnnDispatch onednn, TorchInfo pytorch,
                              @JsonProperty("pytorch_absent") String pytorchAbsent,
                              @JsonProperty("spark_master") String sparkMaster, String dataset, long examples,
                              List<Integer> input, int classes, @JsonProperty("target_ratio") double targetRatio,
                              Map<String, NetJson> nets) {
    }

    /**
     * One architecture ({@code nets.<arch>}): its FLOPs, its modes by id, the DL4J / PyTorch ratios, and the
     * untimed rounds before them.
     */
    @JsonPropertyOrder({"flops", "modes", "ratios", "warm_up"})
    public record NetJson(ObjectNode flops, Map<String, ModeJson> modes, List<RatioJson> ratios,
                          @JsonProperty("warm_up") List<WarmUpJson> warmUp) {
    }

    /** One untimed round ({@code nets.<arch>.warm_up[]}): its wall time, and this JVM's JIT and GC meanwhile. */
    @JsonPropertyOrder({"wall_ms", "jit_ms", "gc_ms"})
    public record WarmUpJson(@JsonProperty("wall_ms") double wallMs, @JsonProperty("jit_ms") double jitMs,
                             @JsonProperty("gc_ms") double gcMs) {
    }

    /** One mode ({@code nets.<arch>.modes.<id>}). */
    @JsonPropertyOrder({"side", "mode", "cores", "examples_per_second_median", "examples_per_second", "gflops",
            "fraction_of_peak", "process_cpu_per_wall", "jit_ms", "gc_ms"})
    public record ModeJson(String side, String mode, int cores,
                           @JsonProperty("examples_per_second_median") double examplesPerSecondMedian,
                           @JsonProperty("examples_per_second") List<Double> examplesPerSecond, double gflops,
                           @JsonProperty("fraction_of_peak") Double fractionOfPeak,
                           @JsonInclude(JsonInclude.Include.NON_NULL)
                           @JsonProperty("process_cpu_per_wall") List<Double> processCpuPerWall,
                           @JsonProperty("jit_ms") List<Double> jitMs, @JsonProperty("gc_ms") List<Double> gcMs) {
    }

    /** One pair ({@code nets.<arch>.ratios[]}): DL4J's median over PyTorch's. */
    @JsonPropertyOrder({"dl4j", "pytorch", "cores", "ratio", "meets_target"})
    public record RatioJson(String dl4j, String pytorch, int cores, double ratio,
                            @JsonProperty("meets_target") boolean meetsTarget) {
    }

    private CompareBenchmark() {
    }

    /**
     * @param pytorch the PyTorch side ({@link PytorchBaseline#find}), or empty to measure DL4J alone
     * @param absent  why there is none (recorded in the file); ignored with a PyTorch side
     */
    public static Result run(SparkSession spark, CompareBenchConfig config, Optional<PytorchBaseline> pytorch,
                             String absent) {
        config.validate();
        LOG.info("bench compare: {}", JsonFiles.compact(config.describe()));
        MachineCpu cpu = MachineCpu.current();
        CorePeak peak = CorePeak.current(config.flopPerCycle(), config.clockMhz());
        AveragingConfig averaging = config.averaging(TaskThreads.perTask(spark.sparkContext()));
        try (BenchmarkRows rows = BenchmarkRows.open(spark, config.data(), config.maxExamples(), config.seed())) {
            if (!rows.table().isImage()) {
                throw new BadInputException("--data " + config.data() + " holds feature vectors: bench compare times "
                        + "the CNNs, which need images");
            }
            List<Integer> input = List.of(rows.table().shape().channels(), rows.table().shape().height(),
                    rows.table().shape().width());
            OneDnnDispatch onednn = OneDnnDispatch.probe(config.archs().stream().map(rows::network).toList(),
                    config.batch(), cpu);
            List<NetFigures> nets = new ArrayList<>();
            for (Architecture arch : config.archs()) {
                nets.add(measure(spark, rows, arch, averaging, pytorch, config, input));
            }
            Result result = new Result(config, cpu, peak, NativeKernels.describe(), NativeMemoryLimits.current(),
                    onednn, pytorch.map(PytorchBaseline::info).orElse(null), pytorch.isPresent() ? null : absent,
                    spark.sparkContext().master(), rows.table().name(), rows.examples(), input,
                    rows.table().numClasses(), nets);
            if (config.out() != null) {
                AtomicFile.write(config.out(), Json.write(result.toJson()), "--out");
            }
            return result;
        }
    }

    /** What one round runs, in order, and how its figures are reported. */
    private record Slot(Trial trial, String id, String side, String mode, int cores, List<TorchRun> torchRuns) {
    }

    /** The four modes of one architecture side by side; ND4J's thread limits restored afterwards. */
    private static NetFigures measure(SparkSession spark, BenchmarkRows rows, Architecture arch,
                                      AveragingConfig averaging, Optional<PytorchBaseline> pytorch,
                                      CompareBenchConfig config, List<Integer> input) {
        NetworkConfig net = rows.network(arch);
        int sparkCores = averaging.workers() * averaging.threadsPerTask();
        int[] chw = input.stream().mapToInt(Integer::intValue).toArray();
        long examples = rows.examples() * config.epochs();
        return TrainingComparison.keepingThreadLimits(() -> {
            List<DataSet> batches = TrainingComparison.singleProcessBatches(rows, config.batch());
            List<Slot> slots = new ArrayList<>();
            slots.add(new Slot(TrainingComparison.singleProcessTrial(rows, arch, batches, 1, config.epochs()), SINGLE,
                    DL4J, TrainingComparison.singleProcessMode(1), 1, List.of()));
            pytorch.ifPresent(p -> slots.add(torchSlot(p, arch, 1, examples, config, chw, net.numClasses())));
            slots.add(new Slot(TrainingComparison.sparkTrial(spark, rows, arch, averaging,
                    TrainingMasters.DIRECT_STORAGE_LEVEL, config.epochs()), SPARK, DL4J,
                    TrainingComparison.sparkMode(spark, averaging), sparkCores, List.of()));
            if (sparkCores != 1) {
                pytorch.ifPresent(p -> slots.add(torchSlot(p, arch, sparkCores, examples, config, chw,
                        net.numClasses())));
            }
            Measured measured = SideBySide.measure(slots.stream().map(Slot::trial).toList(), config.warmUp(),
                    config.repeats(), JvmClock.MANAGEMENT);
            List<ModeRun> modes = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                Slot s = slots.get(i);
                modes.add(new ModeRun(s.id(), s.side(), s.mode(), s.cores(), measured.figures().get(i),
                        s.torchRuns().stream().map(TorchRun::processCpuPerWall).toList(), measured.activity().get(i)));
            }
            List<Pair> pairs = pytorch.isEmpty() ? List.of()
                    : List.of(new Pair(SINGLE, torchId(1), 1), new Pair(SPARK, torchId(sparkCores), sparkCores));
            return new NetFigures(arch, TrainingFlops.of(net), modes, pairs, measured.warmUp());
        });
    }

    private static Slot torchSlot(PytorchBaseline pytorch, Architecture arch, int threads, long examples,
                                  CompareBenchConfig config, int[] chw, int classes) {
        List<TorchRun> runs = new ArrayList<>();
        return new Slot(pytorch.trial(arch, threads, examples, config.batch(), chw, classes, config.seed(), runs),
                torchId(threads), PYTORCH, PytorchBaseline.mode(threads), threads, runs);
    }

    /** The results file's key of PyTorch on {@code threads} threads: {@code pytorch_2_threads}. */
    public static String torchId(int threads) {
        return PYTORCH + "_" + threads + (threads == 1 ? "_thread" : "_threads");
    }

    private static String shape(List<Integer> input) {
        return input.get(0) + "x" + input.get(1) + "x" + input.get(2);
    }
}
