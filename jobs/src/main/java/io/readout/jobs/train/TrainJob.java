package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Durations;
import io.readout.common.Json;
import io.readout.common.Seeds;
import io.readout.common.metrics.SplitMetrics;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.evaluate.GroupEvaluation;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.run.EpochRecord;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.run.TrainingHistory;
import io.readout.jobs.spark.TaskThreads;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code readout train}: trains a teacher or student with dl4j-spark's parameter averaging. Stages,
 * per epoch: shuffle the training split with the seed and turn it into minibatches on the
 * executors → fit (workers fit local minibatches, the driver averages parameters and updater
 * state every {@code averagingFrequency} steps) → validation metrics through the predictions
 * pass (the Spark SQL evaluation and the validation loss) → one log line, {@code history.json}, a checkpoint, and
 * {@code best.zip} when the selected validation value improved. At the end: {@code model.zip},
 * {@code _SUCCESS}. Every random choice of an epoch derives from (seed, epoch), so a run resumed
 * from the checkpoint of epoch k ends with the same parameters as one that was never stopped.
 * Each {@code --method} is one class behind {@link TrainingMethod}, which this loop calls at its fixed
 * points; {@code jtt} trains its stage one and error set first ({@link Jtt}), and its epochs here are stage two.
 */
public final class TrainJob {
    private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
    static final String STATE = "state.json";
    static final String EXPORT = "_export";
    /** Complete checkpoints kept besides best.zip; older ones are removed. */
    static final int KEEP_CHECKPOINTS = 2;

    /**
     * What {@code readout train} asks for: a config, and what to do with a run folder that already holds a run
     * ({@code --resume} it, or {@code --overwrite} it; neither: refuse it).
     */
    public record Request(TrainConfig config, boolean resume, boolean overwrite) {
        /** Checks the config and that resume and overwrite exclude each other; returns this. */
        public Request validate() {
            if (resume && overwrite) {
                throw new BadInputException("--resume and --overwrite exclude each other");
            }
            config.validate();
            return this;
        }
    }

    /** A finished (or, in tests, deliberately stopped) run. */
    public record Result(RunDir run, List<EpochRecord> history, int bestEpoch, ComputationGraph model) {
    }

    /** Where a run starts: from scratch, or after the checkpoint of some epoch. */
    private record Start(int epoch, ComputationGraph model, List<EpochRecord> history, int bestEpoch,
                         double bestValue) {
    }

    /** A checkpoint's {@code state.json}: the epoch it was taken after, and best.zip's epoch and value then. */
    @JsonPropertyOrder({"epoch", "best_epoch", "best_value"})
    record CheckpointState(@JsonProperty("epoch") int epoch, @JsonProperty("best_epoch") int bestEpoch,
                           @JsonProperty("best_value") double bestValue) {
    }

    private TrainJob() {
    }

    public static Result run(SparkSession spark, Request request, PrintStream out) {
        request.validate();
        return run(spark, request.config(), request.resume(), request.overwrite(), out);
    }

    public static Result run(SparkSession spark, TrainConfig config, boolean resume, boolean overwrite, PrintStream out) {
        return run(spark, config, resume, overwrite, out, Integer.MAX_VALUE);
    }

    /** As {@link #run}, but stops after epoch {@code stopAfter} as if the process had died there (tests). */
    static Result run(SparkSession spark, TrainConfig config, boolean resume, boolean overwrite, PrintStream out,
                      int stopAfter) {
        config.validate();
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        ExamplesTable table = ExamplesTable.open(inputs, config.data(), "--data");
        table.requireTensors("--data");
        TrainingMethod method = method(spark, config, table, (c, o) -> run(spark, c, true, false, o));
        RunDir run = new RunDir(inputs.conf(), config.out());
        Start start = prepareRunDir(run, config, table, resume, overwrite, method);
        if (start == null) {
            out.println("run " + HadoopInputs.display(new Path(run.dir())) + " is already complete");
            return new Result(run, readHistory(run, RunDir.HISTORY), -1, run.loadModel(RunDir.MODEL));
        }
        LOG.info("train: {}", config.toJson());

        int workers = config.workers() > 0 ? config.workers() : spark.sparkContext().defaultParallelism();
        int threadsPerTask = TaskThreads.perTask(spark.sparkContext());
        if (spark.sparkContext().isLocal()) {
            // local[n]: all tasks share this JVM; their threads are limited per task (TrainingMasters.TaskKernels).
            NativeKernels.limitThreads(threadsPerTask);
        }
        // jtt: stage one and the error set first (each skipped when complete); the epochs below are stage two.
        EpochRows rows = method.rows(table.split(spark, Split.TRAIN), run, out).persist();
        Dataset<Row> train = rows.rows();
        Dataset<Row> val = table.split(spark, Split.VAL).persist(StorageLevel.MEMORY_AND_DISK());
        long trainCount = train.count();
        if (trainCount == 0) {
            throw new BadInputException("--data " + config.data() + ": the train split is empty");
        }
        ComputationGraph net = start.model();
        List<EpochRecord> history = new ArrayList<>(start.history());
        int bestEpoch = start.bestEpoch();
        double bestValue = start.bestValue();
        double runSeconds = 0;
        try {
            method.start(run, train);
            for (int epoch = start.epoch() + 1; epoch <= config.epochs(); epoch++) {
                long epochRows = rows.countIn(epoch, trainCount);
                long t0 = System.nanoTime();
                Map<String, Number> before;
                try {
                    before = method.beforeEpoch(epoch, net);
                } catch (TrainingDivergedException e) {
                    throw diverged(run, epoch, e.getMessage());
                }
                long tFit = System.nanoTime();
                double loss = fitEpoch(spark, config, method, train, rows.copiesIn(epoch), net, workers, epoch, run);
                double fitSeconds = (System.nanoTime() - tFit) / 1e9;
                if (!Double.isFinite(loss)) {
                    throw diverged(run, epoch, "the training loss is " + loss);
                }
                Validation v = validate(spark, net, table, val, config.evalBatch(), epoch);
                Map<String, Number> figures = new LinkedHashMap<>(method.validate(net, val));
                figures.putAll(before);
                double seconds = (System.nanoTime() - t0) / 1e9;
                EpochRecord entry = new EpochRecord(epoch, loss, v.loss(), v.metrics().accuracy(),
                        v.metrics().worstGroupAccuracy(), v.metrics().groupMeanAccuracy(), figures, seconds, fitSeconds, epochRows, epochRows / fitSeconds);
                history.add(entry);
                double value = entry.value(config.select());
                if (value > bestValue) {
                    bestValue = value;
                    bestEpoch = epoch;
                    run.saveModel(RunDir.BEST, net);
                }
                checkpoint(run, epoch, net, history, bestEpoch, bestValue);
                run.writeText(RunDir.HISTORY, Json.write(new TrainingHistory(config.select(), bestEpoch, history)));
                runSeconds += seconds;
                int doneHere = epoch - start.epoch();
                out.printf("epoch %d/%d  loss %.4f  val_loss %.4f  val_acc %.4f  val_wga %.4f  %.1f s  %.0f ex/s%s%n",
                        epoch, config.epochs(), loss, v.loss(), v.metrics().accuracy(), v.metrics().worstGroupAccuracy(),
                        seconds, epochRows / fitSeconds,
                        epoch < config.epochs() ? "  eta " + Durations.format(Durations.eta(runSeconds, doneHere,
                                config.epochs() - start.epoch())) : "");
                if (epoch >= stopAfter) {
                    return new Result(run, history, bestEpoch, net);
                }
            }
        } finally {
            method.close();
            train.unpersist();
            val.unpersist();
        }
        run.saveModel(RunDir.MODEL, net);
        run.writeText(RunDir.SUCCESS, "");
        out.println("best epoch " + bestEpoch + " by " + config.select() + " (" + String.format("%.4f", bestValue)
                + "); wrote " + HadoopInputs.display(new Path(run.dir())));
        return new Result(run, history, bestEpoch, net);
    }

    /**
     * The method of a config, its inputs checked before the run folder is touched; {@code trainer} trains
     * the run a method needs first (JTT's stage one).
     */
    private static TrainingMethod method(SparkSession spark, TrainConfig config, ExamplesTable table,
                                         RunTrainer trainer) {
        return switch (config.method()) {
            case TrainConfig.ERM -> new Erm(table, config);
            case TrainConfig.JTT -> new Jtt(spark, table, config, trainer);
            case TrainConfig.KD -> new Kd(spark, config, table);
            case TrainConfig.DEDIER -> new Dedier(spark, config, table);
            case TrainConfig.SIFER -> new Sifer(spark, config, table);
            default -> throw new BadInputException("--method " + config.method() + ": not available in this build yet");
        };
    }

    /** One epoch of parameter-averaged training; returns the averaged training loss. */
    private static double fitEpoch(SparkSession spark, TrainConfig config, TrainingMethod method, Dataset<Row> train,
                                   Column copies, ComputationGraph net, int workers, int epoch, RunDir run) {
        String export = run.path(EXPORT + "/epoch=" + epoch);
        ParameterAveragingTrainingMaster master = TrainingMasters.build(new AveragingConfig(workers, config.workerBatch(workers),
                config.averagingFrequency(), config.approach(), config.prefetch(),
                TaskThreads.perTask(spark.sparkContext()), Seeds.derive(config.seed(), "train/master/" + epoch),
                export, config.batchScope().adaptiveLrScale(config.batch(), workers)));
        try {
            SparkComputationGraph sparkNet = new SparkComputationGraph(spark.sparkContext(), net, master);
            method.fit(sparkNet, train, copies, workers, epoch, Seeds.derive(config.seed(), "train/shuffle/" + epoch));
            return sparkNet.getScore();
        } finally {
            TrainingMasters.deleteExports(JavaSparkContext.fromSparkContext(spark.sparkContext()), master);
            delete(run, EXPORT);
        }
    }

    /** An epoch's validation: the metrics of the val split and its mean cross-entropy. */
    private record Validation(SplitMetrics metrics, double loss) {
    }

    /**
     * One predictions pass over the val split (kept while both figures are read from it): the group metrics in
     * Spark SQL and the validation loss from the same probabilities.
     */
    private static Validation validate(SparkSession spark, ComputationGraph net, ExamplesTable table,
                                       Dataset<Row> val, int evalBatch, int epoch) {
        Dataset<Row> predictions = Predictions.predict(spark, net, table, val, evalBatch)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            SplitMetrics metrics = GroupEvaluation.evaluate(predictions).stream()
                    .filter(m -> m.split().equals(Split.VAL.column()))
                    .findFirst()
                    .orElseThrow(() -> new BadInputException("the val split is empty"));
            return new Validation(metrics, Predictions.meanCrossEntropy(spark, predictions,
                    "validation loss, epoch " + epoch));
        } finally {
            predictions.unpersist();
        }
    }

    /** Checks the run folder against the flags and finds where to start; null when the run is already complete. */
    private static Start prepareRunDir(RunDir run, TrainConfig config, ExamplesTable table, boolean resume,
                                       boolean overwrite, TrainingMethod method) {
        Path dir = new Path(run.dir());
        try {
            boolean exists = run.fs().exists(dir) && run.fs().listStatus(dir).length > 0;
            if (exists && overwrite) {
                run.fs().delete(dir, true);
                exists = false;
            }
            if (exists && !resume) {
                throw new BadInputException("--out " + config.out() + (run.isComplete()
                        ? ": already holds a complete run; choose another folder, or --overwrite"
                        : ": holds an interrupted run; pass --resume to continue it, or --overwrite"));
            }
            if (exists) {
                if (!run.exists(RunDir.CONFIG)) {
                    throw new BadInputException("--out " + config.out() + ": not a readout run (no config.json)");
                }
                TrainConfig stored = TrainConfig.fromJson(run.readText(RunDir.CONFIG), run.path(RunDir.CONFIG));
                requireSameConfig(stored, config);
                if (run.isComplete()) {
                    return null;
                }
                Integer last = lastCheckpoint(run);
                if (last != null) {
                    String cp = checkpointDir(last);
                    CheckpointState state = readState(run, cp + "/" + STATE);
                    LOG.info("resuming {} after epoch {}", config.out(), last);
                    return new Start(last, run.loadModel(cp + "/" + RunDir.MODEL),
                            readHistory(run, cp + "/" + RunDir.HISTORY), state.bestEpoch(), state.bestValue());
                }
            }
            run.writeText(RunDir.CONFIG, config.write());
            NetworkConfig nc = table.network(config.arch(), config.updater(), config.lr(), config.weightDecay(),
                    config.seed());
            ComputationGraph fresh = Networks.build(method.network(nc.withActivation(config.activation())));
            if (config.init() != null) {
                WarmStart.apply(fresh, config.init(), run.conf());
            }
            return new Start(0, fresh, List.of(), 0, Double.NEGATIVE_INFINITY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A resumed run trains as the first did: every flag must match config.json (the output folder aside). */
    private static void requireSameConfig(TrainConfig stored, TrainConfig given) {
        JsonNode a = Json.mapper().valueToTree(stored);
        JsonNode b = Json.mapper().valueToTree(given);
        for (Iterator<String> keys = a.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            String was = shown(a.get(key));
            String is = shown(b.get(key));
            if (!key.equals("out") && !was.equals(is)) {
                throw new BadInputException("--resume: --" + key.replace('_', '-') + " is " + is
                        + " but the run was started with " + was + " (see its config.json)");
            }
        }
    }

    /** A config value as the message shows it: as Java prints the number, string, null or map. */
    private static String shown(JsonNode value) {
        return String.valueOf(Json.mapper().convertValue(value, Object.class));
    }

    static void checkpoint(RunDir run, int epoch, ComputationGraph net, List<EpochRecord> history,
                                   int bestEpoch, double bestValue) {
        checkpoint(run, epoch, net, Json.write(history), bestEpoch, bestValue);
    }

    /** Writes the checkpoint of {@code epoch}, {@code history} the text of its history.json, and drops old ones. */
    static void checkpoint(RunDir run, int epoch, ComputationGraph net, String history, int bestEpoch,
                           double bestValue) {
        String cp = checkpointDir(epoch);
        run.saveModel(cp + "/" + RunDir.MODEL, net);
        run.writeText(cp + "/" + RunDir.HISTORY, history);
        run.writeText(cp + "/" + STATE, Json.write(new CheckpointState(epoch, bestEpoch, bestValue)));
        run.writeText(cp + "/" + RunDir.SUCCESS, "");
        for (int old = epoch - KEEP_CHECKPOINTS; old >= 1; old--) {
            if (!run.exists(checkpointDir(old))) {
                break;
            }
            delete(run, checkpointDir(old));
        }
    }

    /** The one-line report of a NaN or infinite loss, naming the checkpoint a --resume would start from. */
    private static TrainingDivergedException diverged(RunDir run, int epoch, String what) {
        Integer last;
        try {
            last = lastCheckpoint(run);
        } catch (IOException e) {
            last = null;
        }
        String kept = last == null
                ? "no epoch had finished, so there is no checkpoint to keep"
                : "the last good checkpoint (epoch " + last + ") is kept in " + run.path(checkpointDir(last));
        return new TrainingDivergedException("epoch " + epoch + ": " + what + "; " + kept
                + "; change the flags and train again (--overwrite)");
    }

    static String checkpointDir(int epoch) {
        return RunDir.CHECKPOINTS + "/epoch=" + String.format("%04d", epoch);
    }

    /** The newest checkpoint with its _SUCCESS marker, or null. */
    static Integer lastCheckpoint(RunDir run) throws IOException {
        Path cps = new Path(run.path(RunDir.CHECKPOINTS));
        if (!run.fs().exists(cps)) {
            return null;
        }
        Integer last = null;
        for (FileStatus s : run.fs().listStatus(cps)) {
            String n = s.getPath().getName();
            if (s.isDirectory() && n.matches("epoch=\\d{4}") && run.fs().exists(new Path(s.getPath(), RunDir.SUCCESS))) {
                int e = Integer.parseInt(n.substring(6));
                last = last == null ? e : Math.max(last, e);
            }
        }
        return last;
    }

    /** The epochs of a run's history.json ({@link TrainingHistory}) or of a checkpoint's (the list alone). */
    static List<EpochRecord> readHistory(RunDir run, String name) {
        if (!run.exists(name)) {
            return List.of();
        }
        try {
            JsonNode parsed = Json.mapper().readTree(run.readText(name));
            if (parsed != null && parsed.isObject()) {
                parsed = parsed.get(TrainingHistory.EPOCHS);
            }
            return Json.mapper().readerFor(new TypeReference<List<EpochRecord>>() {
            }).readValue(parsed);
        } catch (IOException e) {
            throw new BadInputException(run.path(name) + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static CheckpointState readState(RunDir run, String name) {
        try {
            return Json.mapper().readValue(run.readText(name), CheckpointState.class);
        } catch (IOException e) {
            throw new BadInputException(run.path(name) + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static void delete(RunDir run, String name) {
        try {
            run.fs().delete(new Path(run.path(name)), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
