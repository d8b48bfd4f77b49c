package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.distill.ReadoutWeights;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.bench.TrainingComparison.Run;
import io.readout.jobs.io.AtomicFile;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.passes.TeacherProbsJob;
import io.readout.jobs.spark.TaskThreads;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.DistillOptions;
import io.readout.jobs.train.TrainingMasters;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

import static io.readout.jobs.bench.SideBySide.fixed;
import static io.readout.jobs.bench.SideBySide.line;

/**
 * What a DEDIER run costs on this machine, per architecture, on the same training rows: training
 * throughput of a single process against Spark parameter averaging ({@link TrainingComparison}), and
 * the separate passes over the training rows as Spark jobs, each set against one Spark training epoch
 * of its architecture. Stages: read the rows → time training per architecture → time the passes →
 * report.
 *
 * <p>The passes: {@value #PREDICT} (each architecture: {@link Predictions#predict}, counted),
 * {@value #TEACHER_PROBS} (the teacher-probs job's pass: forward pass, softening, Parquet write,
 * {@link TeacherProbsJob#writeProbs}) and {@value #WEIGHTS} (DEDIER's weights pass on a student with
 * its early readout: readout forward pass, weights, Parquet write and summary,
 * {@link ReadoutWeightsPass#write}); what they write goes to a scratch folder. The target:
 * each pass at most {@value #TARGET_FRACTION} of an epoch.
 */
public final class ThroughputBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputBenchmark.class);

    public static final String PREDICT = "predict";
    public static final String TEACHER_PROBS = "teacher probs";
    public static final String WEIGHTS = "weights";
    /** The target: a pass costs at most this fraction of one Spark training epoch. */
    public static final double TARGET_FRACTION = 0.35;

    /** A pass to time: its name and the architecture whose forward pass it runs. */
    public record PassKind(String name, Architecture arch) {
    }

    /** One architecture's training figures over {@code examples} rows. */
    public record ArchTraining(Architecture arch, long examples, TrainingComparison comparison) {
        /** Seconds of one Spark parameter-averaging epoch, at Spark's median rate. */
        public double sparkEpochSeconds() {
            return epochSeconds(examples, comparison.spark().median());
        }
    }

    /**
     * A timed pass.
     *
     * @param seconds      each timed run
     * @param epochSeconds one Spark training epoch of {@code kind.arch()}
     */
    public record Pass(PassKind kind, List<Double> seconds, double epochSeconds) {
        public double median() {
            return SideBySide.median(seconds);
        }

        /** The median pass over one Spark training epoch. */
        public double fractionOfEpoch() {
            return median() / epochSeconds;
        }

        public boolean meetsTarget() {
            return fractionOfEpoch() <= TARGET_FRACTION;
        }
    }

    public record Result(ThroughputBenchConfig config, MachineCpu cpu, String dataset, long examples, String kernels, String master,
                         int defaultParallelism, List<ArchTraining> training, List<Pass> passes) {
        /** The figures as the command prints them: a header, the training table, the passes table. */
        public String format() {
            StringBuilder b = new StringBuilder();
            line(b, "cpu %s", cpu.describe());
            line(b, "kernels %s; spark master %s, default parallelism %d", kernels, master, defaultParallelism);
            line(b, "dataset %s, %d training examples, batch %d, %d epoch(s), %d repeat(s), pass batch %d", dataset,
                    examples, config.batch(), config.epochs(), config.repeats(), config.passBatch());
            line(b, "");
            String row = "%-8s %-56s %10s  %-20s %12s";
            line(b, row, "arch", "mode", "examples/s", "runs", "spark/single");
            for (ArchTraining t : training) {
                for (Run r : t.comparison().runs()) {
                    String ratio = r == t.comparison().spark() ? "" : fixed(t.comparison().ratio(r), 2);
                    line(b, row, t.arch().id(), r.mode(), fixed(r.median(), 0), SideBySide.formatValues(r.values(), 0),
                            ratio);
                }
            }
            for (ArchTraining t : training) {
                line(b, "one spark epoch, %s: %.3f s", t.arch().id(), t.sparkEpochSeconds());
            }
            line(b, "");
            String passRow = "%-66s %-8s %8s  %-20s %9s  %s";
            line(b, passRow, "pass", "arch", "seconds", "runs", "of epoch", "meets <= " + TARGET_FRACTION);
            for (Pass p : passes) {
                line(b, passRow, p.kind().name(), p.kind().arch().id(), fixed(p.median(), 3),
                        SideBySide.formatValues(p.seconds(), 3), fixed(p.fractionOfEpoch(), 2),
                        p.meetsTarget() ? "yes" : "no");
            }
            return b.toString();
        }

        public ResultsFile toJson() {
            Map<String, ArchFigures> archs = new LinkedHashMap<>();
            for (ArchTraining t : training) {
                archs.put(t.arch().id(), new ArchFigures(t.comparison().toJson(), t.sparkEpochSeconds()));
            }
            List<PassFigures> passList = new ArrayList<>();
            for (Pass p : passes) {
                passList.add(new PassFigures(p.kind().name(), p.kind().arch().id(), p.median(), p.seconds(),
                        p.epochSeconds(), p.fractionOfEpoch(), TARGET_FRACTION, p.meetsTarget()));
            }
            return new ResultsFile(config.describe(), JsonFiles.tree(cpu.toJson()), kernels, master, defaultParallelism,
                    dataset, examples, archs, passList);
        }
    }

    /** The results file ({@code --out}): the config and the machine, then the training figures and the passes. */
    @JsonPropertyOrder({"config", "cpu", "kernels", "spark_master", "default_parallelism", "dataset", "examples",
            "training", "passes"})
    public record ResultsFile(ThroughputBenchConfig.Described config, ObjectNode cpu, String kernels,
                              @JsonProperty("spark_master") String sparkMaster,
                              @JsonProperty("default_parallelism") int defaultParallelism, String dataset, long examples,
                              Map<String, ArchFigures> training, List<PassFigures> passes) {
    }

    /** One architecture's training figures ({@code training.<arch>}). */
    @JsonPropertyOrder({"figures", "spark_epoch_seconds"})
    public record ArchFigures(@JsonUnwrapped TrainingComparison.Figures figures,
                              @JsonProperty("spark_epoch_seconds") double sparkEpochSeconds) {
    }

    /** One timed pass ({@code passes[]}). */
    @JsonPropertyOrder({"pass", "arch", "seconds_median", "seconds", "epoch_seconds", "fraction_of_epoch",
            "target_fraction", "meets_target"})
    public record PassFigures(String pass, String arch, @JsonProperty("seconds_median") double secondsMedian,
                              List<Double> seconds, @JsonProperty("epoch_seconds") double epochSeconds,
                              @JsonProperty("fraction_of_epoch") double fractionOfEpoch,
                              @JsonProperty("target_fraction") double targetFraction,
                              @JsonProperty("meets_target") boolean meetsTarget) {
    }

    private ThroughputBenchmark() {
    }

    public static Result run(SparkSession spark, ThroughputBenchConfig config) {
        config.validate();
        LOG.info("bench throughput: {}", JsonFiles.compact(config.describe()));
        int workers = config.workers() > 0 ? config.workers() : spark.sparkContext().defaultParallelism();
        AveragingConfig averaging = config.averaging(workers, TaskThreads.perTask(spark.sparkContext()));
        try (BenchmarkRows rows = BenchmarkRows.open(spark, config.data(), config.maxExamples(), config.seed())) {
            List<ArchTraining> training = new ArrayList<>();
            for (Architecture arch : config.archs()) {
                training.add(new ArchTraining(arch, rows.examples(), TrainingComparison.measure(spark, rows, arch,
                        averaging, config.batch(), TrainingMasters.DIRECT_STORAGE_LEVEL, config.singleThreads(),
                        config.epochs(),
                        config.repeats())));
            }
            List<Pass> passes = timePasses(spark, rows, training, config.passBatch(), config.repeats());
            Result result = new Result(config, MachineCpu.current(), rows.table().name(), rows.examples(), NativeKernels.describe(),
                    spark.sparkContext().master(), spark.sparkContext().defaultParallelism(), training, passes);
            if (config.out() != null) {
                AtomicFile.write(config.out(), Json.write(result.toJson()), "--out");
            }
            return result;
        }
    }

    /** The passes of a DEDIER run for these architectures: predict for each, then teacher probs, then weights. */
    public static List<PassKind> passKinds(List<Architecture> archs) {
        List<PassKind> kinds = new ArrayList<>();
        archs.forEach(a -> kinds.add(new PassKind(PREDICT, a)));
        if (archs.contains(Architecture.TEACHER)) {
            kinds.add(new PassKind(TEACHER_PROBS, Architecture.TEACHER));
        }
        if (archs.contains(Architecture.STUDENT)) {
            kinds.add(new PassKind(WEIGHTS, Architecture.STUDENT));
        }
        return kinds;
    }

    /** Seconds of one epoch over {@code examples} at {@code examplesPerSecond}. */
    public static double epochSeconds(long examples, double examplesPerSecond) {
        return examples / examplesPerSecond;
    }

    /** Every pass once untimed, then {@code repeats} rounds of all of them, each a counted Spark job. */
    private static List<Pass> timePasses(SparkSession spark, BenchmarkRows rows, List<ArchTraining> training,
                                         int batch, int repeats) {
        Map<Architecture, ComputationGraph> models = new EnumMap<>(Architecture.class);
        Map<Architecture, Double> epochSeconds = new EnumMap<>(Architecture.class);
        for (ArchTraining t : training) {
            // Untrained: a pass costs the same whatever the weights.
            models.put(t.arch(), Networks.build(rows.network(t.arch())));
            epochSeconds.put(t.arch(), t.sparkEpochSeconds());
        }
        // DEDIER's student: the same network with its early readout, as the weights pass needs it.
        ComputationGraph readoutStudent = Networks.build(rows.network(Architecture.STUDENT)
                .withReadout(ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3)));
        List<PassKind> kinds = passKinds(training.stream().map(ArchTraining::arch).toList());
        List<Trial> trials = new ArrayList<>();
        for (PassKind k : kinds) {
            ComputationGraph model = models.get(k.arch());
            DoubleSupplier pass = switch (k.name()) {
                case TEACHER_PROBS -> () -> teacherProbsSeconds(spark, model, rows, batch);
                case WEIGHTS -> () -> weightsSeconds(spark, readoutStudent, rows, batch);
                default -> () -> passSeconds(spark, model, rows, batch);
            };
            trials.add(new Trial(k.name() + ", " + k.arch().id() + ", seconds", pass, pass));
        }
        List<List<Double>> seconds = SideBySide.alternate(trials, repeats);
        List<Pass> passes = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            passes.add(new Pass(kinds.get(i), seconds.get(i), epochSeconds.get(kinds.get(i).arch())));
        }
        return passes;
    }

    /** Seconds of the teacher-probs job's pass (forward pass, softening, Parquet write) into a scratch folder. */
    private static double teacherProbsSeconds(SparkSession spark, ComputationGraph teacher, BenchmarkRows rows,
                                              int batch) {
        String dir = rows.scratch("teacher-probs");
        long start = System.nanoTime();
        TeacherProbsJob.writeProbs(spark, teacher, rows.table(), rows.train(), DistillOptions.DEFAULT_TEMPERATURE,
                batch, dir, "bench teacher");
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds of DEDIER's weights pass (readout forward pass, weights, Parquet write, summary) into a scratch folder. */
    private static double weightsSeconds(SparkSession spark, ComputationGraph student, BenchmarkRows rows, int batch) {
        String dir = rows.scratch("weights");
        long start = System.nanoTime();
        ReadoutWeightsPass.write(spark, student, rows.table(), rows.train(),
                ReadoutWeights.defaults(ReadoutWeights.Normalisation.MEAN), 1, batch, dir, true, "bench weights");
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds of one forward pass over the rows, as a Spark job: the model's broadcast, minibatches, outputs. */
    private static double passSeconds(SparkSession spark, ComputationGraph model, BenchmarkRows rows, int batch) {
        long start = System.nanoTime();
        Predictions.predict(spark, model, rows.table(), rows.train(), batch).count();
        return (System.nanoTime() - start) / 1e9;
    }
}
