package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.prepare.PrepareJob;
import io.readout.jobs.prepare.SourceOptions;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;

/**
 * Trains the same network (same seed, same data, same minibatch size) in one run (a) with plain
 * {@link ComputationGraph#fit} in this process over the minibatches of {@link TrainingMasters#minibatchRdd}
 * (once per ND4J thread count in {@code singleThreads}) and (b) through Spark parameter averaging
 * ({@link TrainingMasters}) on the session's master, alternating, {@code repeats} times. Reports
 * examples per second of each (median over repeats) and the ratio Spark / single process.
 *
 * <p>Every mode first runs one untimed epoch (warm-up). What is timed: (a) the fits only (the minibatches are already in memory, the best case for a
 * single process); (b) each epoch's {@code minibatchRdd} (shuffle and minibatch assembly on the
 * executors) plus dl4j-spark's fit, as a training job runs it, counting the examples the workers
 * actually fitted.
 */
public final class TrainingBenchmark {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingBenchmark.class);

    public record Run(String mode, int threads, List<Double> examplesPerSecond) {
        public double median() {
            List<Double> s = new ArrayList<>(examplesPerSecond);
            s.sort(Comparator.naturalOrder());
            int n = s.size();
            return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
        }
    }

    public record Result(TrainingBenchConfig config, String dataset, long examples, List<Run> singleProcess,
                         Run spark) {
        /** Spark's median over the best single-process median. */
        public double ratioToBest() {
            return spark.median() / singleProcess.stream().mapToDouble(Run::median).max().orElse(Double.NaN);
        }

        public String format() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "dataset %s, %d training examples, %s, batch %d, %d epoch(s), %d repeat(s)%n",
                    dataset, examples, config.arch().id(), config.averaging().batchSizePerWorker(), config.epochs(),
                    config.repeats()));
            b.append(String.format(Locale.ROOT, "%-52s %12s  %s%n", "mode", "examples/s", "runs"));
            for (Run r : singleProcess) {
                b.append(line(r));
            }
            b.append(line(spark));
            for (Run r : singleProcess) {
                b.append(String.format(Locale.ROOT, "ratio spark / single process %d thread(s): %.2f%n", r.threads(),
                        spark.median() / r.median()));
            }
            return b.toString();
        }

        private static String line(Run r) {
            List<String> runs = r.examplesPerSecond().stream().map(x -> String.format(Locale.ROOT, "%.0f", x)).toList();
            return String.format(Locale.ROOT, "%-52s %12.0f  %s%n", r.mode(), r.median(), String.join(" ", runs));
        }

        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", config.describe());
            m.put("dataset", dataset);
            m.put("examples", examples);
            List<Object> rows = new ArrayList<>();
            for (Run r : singleProcess) {
                rows.add(runJson(r));
            }
            rows.add(runJson(spark));
            m.put("runs", rows);
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Run r : singleProcess) {
                ratios.put("single_" + r.threads() + "_threads", spark.median() / r.median());
            }
            m.put("spark_over_single", ratios);
            return m;
        }

        private static Map<String, Object> runJson(Run r) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", r.mode());
            m.put("threads", r.threads());
            m.put("examples_per_second_median", r.median());
            m.put("examples_per_second", r.examplesPerSecond());
            return m;
        }
    }

    private TrainingBenchmark() {
    }

    public static Result run(SparkSession spark, TrainingBenchConfig config) {
        config.validate();
        LOG.info("bench training: {}", config.describe());
        Path generated = null;
        int savedThreads = Nd4j.getEnvironment().maxThreads();
        int savedMasterThreads = Nd4j.getEnvironment().maxMasterThreads();
        try {
            String dir = config.data();
            if (dir == null) {
                generated = Files.createTempDirectory("readout-bench-");
                dir = generated.resolve("synthetic").toString();
                PrepareJob.run(spark, new PrepareConfig("synthetic", dir, PrepareConfig.DEFAULT_SHARDS, config.seed(),
                        false, SourceOptions.none()));
            }
            ExamplesTable table = ExamplesTable.open(new HadoopInputs(spark.sparkContext().hadoopConfiguration()), dir,
                    "--data");
            Dataset<Row> train = table.split(spark, Split.TRAIN);
            if (config.maxExamples() > 0) {
                train = train.orderBy(col(ExamplesSchema.ID)).limit(config.maxExamples());
            }
            train = train.cache();
            long examples = train.count();
            NetworkConfig net = table.isImage()
                    ? NetworkConfig.image(config.arch(), table.shape().channels(), table.shape().height(),
                            table.shape().width(), table.numClasses(), "adam", 1e-3, 0, config.seed())
                    : NetworkConfig.vector(config.arch(), table.numFeatures(), table.numClasses(), "adam", 1e-3, 0,
                            config.seed());
            AveragingConfig averaging = config.averaging();
            List<DataSet> batches = TrainingMasters.minibatchRdd(train, table, 1, averaging.batchSizePerWorker(),
                    config.seed()).collect();
            // One untimed pass of every mode first: JIT, native thread pools and Spark's code paths warm up.
            for (int threads : config.singleThreads()) {
                TrainingMasters.limitNativeThreads(threads);
                singleProcess(net, batches, 1, examples);
            }
            TrainingMasters.limitNativeThreads(config.threadsPerWorker());
            sparkAveraging(spark, table, train, net, withEpochs(config, 1), examples);

            List<List<Double>> single = new ArrayList<>();
            config.singleThreads().forEach(t -> single.add(new ArrayList<>()));
            List<Double> sparkRuns = new ArrayList<>();
            for (int r = 0; r < config.repeats(); r++) {
                for (int i = 0; i < config.singleThreads().size(); i++) {
                    int threads = config.singleThreads().get(i);
                    TrainingMasters.limitNativeThreads(threads);
                    double eps = singleProcess(net, batches, config.epochs(), examples);
                    single.get(i).add(eps);
                    LOG.info("single process, {} thread(s): {} examples/s", threads, String.format("%.0f", eps));
                }
                TrainingMasters.limitNativeThreads(config.threadsPerWorker());
                double eps = sparkAveraging(spark, table, train, net, config, examples);
                sparkRuns.add(eps);
                LOG.info("spark: {} examples/s", String.format("%.0f", eps));
            }
            List<Run> singleRuns = new ArrayList<>();
            for (int i = 0; i < config.singleThreads().size(); i++) {
                int t = config.singleThreads().get(i);
                singleRuns.add(new Run("single process, " + t + " thread(s)", t, single.get(i)));
            }
            String sparkMode = String.format(Locale.ROOT, "spark %s, %d workers, K=%d, %s, prefetch %d",
                    spark.sparkContext().master(), averaging.workers(), averaging.averagingFrequency(),
                    averaging.approach(), averaging.prefetchBatches());
            Result result = new Result(config, table.name(), examples, singleRuns,
                    new Run(sparkMode, config.threadsPerWorker(), sparkRuns));
            train.unpersist();
            if (config.out() != null) {
                writeJson(config.out(), result);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Nd4j.getEnvironment().setMaxThreads(savedThreads);
            Nd4j.getEnvironment().setMaxMasterThreads(savedMasterThreads);
            if (generated != null) {
                deleteRecursively(generated);
            }
        }
    }

    private static TrainingBenchConfig withEpochs(TrainingBenchConfig c, int epochs) {
        return new TrainingBenchConfig(c.data(), c.arch(), epochs, c.averaging(), c.singleThreads(), c.threadsPerWorker(),
                c.maxExamples(), c.repeats(), c.storage(), c.out(), c.seed());
    }

    private static double singleProcess(NetworkConfig config, List<DataSet> batches, int epochs, long examples) {
        ComputationGraph net = Networks.build(config);
        long start = System.nanoTime();
        for (int e = 0; e < epochs; e++) {
            for (DataSet b : batches) {
                net.fit(b);
            }
        }
        return examples * epochs / ((System.nanoTime() - start) / 1e9);
    }

    private static double sparkAveraging(SparkSession spark, ExamplesTable table, Dataset<Row> train,
                                         NetworkConfig config, TrainingBenchConfig bench, long examples) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        AveragingConfig averaging = bench.averaging();
        StorageLevel storage = "memory".equals(bench.storage()) ? StorageLevel.MEMORY_ONLY() : StorageLevel.MEMORY_ONLY_SER();
        ParameterAveragingTrainingMaster master = TrainingMasters.build(averaging, storage);
        LongAccumulator fitted = sc.sc().longAccumulator("fitted examples");
        master.addHook(new CountFitted(fitted));
        SparkComputationGraph net = new SparkComputationGraph(sc, Networks.build(config), master);
        long start = System.nanoTime();
        for (int e = 0; e < bench.epochs(); e++) {
            JavaRDD<DataSet> rdd = TrainingMasters.minibatchRdd(train, table, averaging.workers(),
                    averaging.batchSizePerWorker(), bench.seed() + e);
            net.fit(rdd);
            TrainingMasters.deleteExports(sc, master);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (fitted.value() != examples * bench.epochs()) {
            LOG.warn("spark fitted {} of {} examples", fitted.value(), examples * bench.epochs());
        }
        // Examples the workers actually fitted, so a configuration that skips data gains nothing.
        return fitted.value() / seconds;
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

    private static void writeJson(String out, Result result) throws IOException {
        Path p = Path.of(out);
        if (p.getParent() != null) {
            Files.createDirectories(p.getParent());
        }
        Files.writeString(p, Json.write(result.toJson()), StandardCharsets.UTF_8);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}", dir, e);
        }
    }
}
