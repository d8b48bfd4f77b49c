package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingMasters;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Examples per second of one network trained on the same rows (same seed, same minibatch size) (a) with
 * plain {@link ComputationGraph#fit} in this process over the minibatches of
 * {@link TrainingMasters#minibatchRdd}, once per ND4J thread count, and (b) through Spark parameter
 * averaging ({@link TrainingMasters}) on the session's master, {@link SideBySide side by side}.
 *
 * <p>What is timed: (a) the fits only (the minibatches are already in memory, the best case for a
 * single process); (b) each epoch's {@code minibatchRdd} (shuffle and minibatch assembly on the
 * executors) plus dl4j-spark's fit, as a training job runs it, counting the examples the workers
 * actually fitted.
 *
 * @param singleProcess one run per ND4J thread count, in the order given
 * @param spark         the Spark parameter-averaging run
 */
public record TrainingComparison(List<Run> singleProcess, Run spark) {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingComparison.class);

    /** A mode's examples/s over the rounds, in round order. */
    public record Run(String mode, int threads, List<Double> values) {
        public double median() {
            return SideBySide.median(values);
        }
    }

    /** Checks the flags {@link #measure} takes from the command line. */
    public static void validate(int epochs, int repeats, List<Integer> singleThreads) {
        if (epochs < 1) {
            throw new BadInputException("--epochs " + epochs + " must be at least 1");
        }
        if (repeats < 1) {
            throw new BadInputException("--repeats " + repeats + " must be at least 1");
        }
        if (singleThreads.isEmpty() || singleThreads.stream().anyMatch(t -> t < 1)) {
            throw new BadInputException("--single-threads " + singleThreads + " must all be at least 1");
        }
    }

    /** Every run: the single-process ones, then Spark's. */
    public List<Run> runs() {
        List<Run> all = new ArrayList<>(singleProcess);
        all.add(spark);
        return all;
    }

    /** Spark's median over a single-process run's median. */
    public double ratio(Run single) {
        return spark.median() / single.median();
    }

    /**
     * Measures an architecture on {@code rows}. Leaves ND4J's thread limits of this JVM as it found them.
     *
     * @param singleBatch   the single process's minibatch (Spark's workers fit {@code averaging}'s)
     * @param singleThreads ND4J thread counts of the single-process runs
     * @param epochs        epochs of each timed run (warm-up: one)
     * @param repeats       timed runs of each mode, alternating
     */
    public static TrainingComparison measure(SparkSession spark, BenchmarkRows rows, Architecture arch,
                                             AveragingConfig averaging, int singleBatch, StorageLevel storage,
                                             List<Integer> singleThreads, int epochs, int repeats) {
        return keepingThreadLimits(() -> {
            List<DataSet> batches = singleProcessBatches(rows, singleBatch);
            List<Trial> trials = new ArrayList<>();
            for (int threads : singleThreads) {
                trials.add(singleProcessTrial(rows, arch, batches, threads, epochs));
            }
            trials.add(sparkTrial(spark, rows, arch, averaging, storage, epochs));
            List<List<Double>> rates = SideBySide.alternate(trials, repeats);
            List<Run> single = new ArrayList<>();
            for (int i = 0; i < singleThreads.size(); i++) {
                single.add(new Run(singleProcessMode(singleThreads.get(i)), singleThreads.get(i), rates.get(i)));
            }
            return new TrainingComparison(single, new Run(sparkMode(spark, averaging), averaging.threadsPerTask(),
                    rates.get(singleThreads.size())));
        });
    }

    /** Runs a measurement made of this class's trials and restores ND4J's thread limits of this JVM afterwards. */
    public static <T> T keepingThreadLimits(Supplier<T> measurement) {
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        int savedMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
        try {
            return measurement.get();
        } finally {
            Nd4j.getEnvironment().setMaxThreads(savedThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(savedMasterThreads);
        }
    }

    /** The single process's minibatches, in memory: the rows as {@link TrainingMasters#minibatchRdd} cuts them for one worker. */
    public static List<DataSet> singleProcessBatches(BenchmarkRows rows, int batch) {
        return TrainingMasters.minibatchRdd(rows.train(), rows.table(), 1, batch, rows.seed()).collect();
    }

    /**
     * A plain fit of a new network over {@code batches} on {@code threads} native threads, in examples/s: one epoch to
     * warm up, {@code epochs} timed. Changes this JVM's thread limits (see {@link #keepingThreadLimits}).
     */
    public static Trial singleProcessTrial(BenchmarkRows rows, Architecture arch, List<DataSet> batches, int threads,
                                           int epochs) {
        NetworkConfig net = rows.network(arch);
        return new Trial(arch.id() + ", " + singleProcessMode(threads),
                () -> singleProcessFit(net, batches, threads, 1, rows.examples()),
                () -> singleProcessFit(net, batches, threads, epochs, rows.examples()));
    }

    /**
     * Spark parameter averaging of a new network on the session's master, in examples/s the workers fitted: one epoch
     * to warm up, {@code epochs} timed. Changes this JVM's thread limits (see {@link #keepingThreadLimits}).
     */
    public static Trial sparkTrial(SparkSession spark, BenchmarkRows rows, Architecture arch, AveragingConfig averaging,
                                   StorageLevel storage, int epochs) {
        NetworkConfig net = rows.network(arch);
        return new Trial(arch.id() + ", " + sparkMode(spark, averaging),
                () -> sparkAveragingFit(spark, rows, net, averaging, storage, 1),
                () -> sparkAveragingFit(spark, rows, net, averaging, storage, epochs));
    }

    /** How a single-process run is named in the tables: {@code single process, 1 thread(s)}. */
    public static String singleProcessMode(int threads) {
        return "single process, " + threads + " thread(s)";
    }

    /** How a Spark run is named in the tables: {@code spark local[2], 2 workers of batch 32, K=10, direct, prefetch 0}. */
    public static String sparkMode(SparkSession spark, AveragingConfig averaging) {
        return String.format(Locale.ROOT, "spark %s, %d workers of batch %d, K=%d, %s, prefetch %d",
                spark.sparkContext().master(), averaging.workers(), averaging.batchSizePerWorker(),
                averaging.averagingFrequency(), averaging.approach(), averaging.prefetchBatches());
    }

    /** Examples/s of a plain fit of a new network on {@code threads} native threads. */
    private static double singleProcessFit(NetworkConfig config, List<DataSet> batches, int threads, int epochs,
                                           long examples) {
        NativeKernels.limitThreads(threads);
        ComputationGraph net = Networks.build(config);
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (DataSet b : batches) {
                net.fit(b);
            }
        }
        return examples * epochs / ((System.nanoTime() - start) / 1e9);
    }

    /** Examples/s the workers fitted, training a new network with parameter averaging; epoch e shuffled by seed + e. */
    private static double sparkAveragingFit(SparkSession spark, BenchmarkRows rows, NetworkConfig config,
                                            AveragingConfig averaging, StorageLevel storage, int epochs) {
        NativeKernels.limitThreads(averaging.threadsPerTask());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        ParameterAveragingTrainingMaster master = TrainingMasters.build(averaging, storage);
        LongAccumulator fitted = sc.sc().longAccumulator("fitted examples");
        master.addHook(new CountFitted(fitted));
        SparkComputationGraph net = new SparkComputationGraph(sc, Networks.build(config), master);
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            JavaRDD<DataSet> rdd = TrainingMasters.minibatchRdd(rows.train(), rows.table(), averaging.workers(),
                    averaging.batchSizePerWorker(), rows.seed() + e);
            net.fit(rdd);
            TrainingMasters.deleteExports(sc, master);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (fitted.value() != rows.examples() * epochs) {
            LOG.warn("spark fitted {} of {} examples", fitted.value(), rows.examples() * epochs);
        }
        // Examples the workers actually fitted, so a configuration that skips data gains nothing.
        return fitted.value() / seconds;
    }

    /**
     * The figures of a results file: {@code runs}, every mode with its median and runs; {@code spark_over_single},
     * the ratio per thread count ({@code single_<threads>_threads}).
     */
    @JsonPropertyOrder({"runs", "spark_over_single"})
    public record Figures(List<RunFigures> runs, @JsonProperty("spark_over_single") Map<String, Double> sparkOverSingle) {
    }

    /** One mode's line of {@link Figures}. */
    @JsonPropertyOrder({"mode", "threads", "examples_per_second_median", "examples_per_second"})
    public record RunFigures(String mode, int threads,
                             @JsonProperty("examples_per_second_median") double examplesPerSecondMedian,
                             @JsonProperty("examples_per_second") List<Double> examplesPerSecond) {
    }

    public Figures toJson() {
        Map<String, Double> ratios = new LinkedHashMap<>();
        for (Run r : singleProcess) {
            ratios.put("single_" + r.threads() + "_threads", ratio(r));
        }
        return new Figures(runs().stream().map(r -> new RunFigures(r.mode(), r.threads(), r.median(), r.values()))
                .toList(), ratios);
    }

    /** Counts the examples the workers fit. */
    private static final class CountFitted implements TrainingHook {
        private final LongAccumulator fitted;

        CountFitted(LongAccumulator fitted) {
            this.fitted = fitted;
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, Model model) {
            fitted.add(minibatch.numExamples());
        }

        @Override
        public void preUpdate(MultiDataSet minibatch, Model model) {
        }

        @Override
        public void postUpdate(MultiDataSet minibatch, Model model) {
            fitted.add(minibatch.getFeatures(0).size(0));
        }
    }
}
