package io.readout.jobs.distill;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.evaluate.PassInputs;
import io.readout.jobs.evaluate.Predictions;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.train.DistillOptions;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainingMasters;
import io.readout.jobs.train.TrainingDivergedException;
import io.readout.jobs.train.TrainingMethod;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


/**
 * {@code train --method kd|dedier}: a student learns from a frozen teacher through
 * {@link io.readout.common.distill.DistillationLoss} on its output, (1-λ)·CE + λ·w·T²·KL.
 *
 * <ul>
 *   <li>Teacher probabilities: the table of {@code --teacher-probs}, checked against the data, the
 *       temperature and the training split's ids before anything is written; or, without it, the
 *       teacher pass ({@link TeacherProbsJob}) into {@code RUN/teacher_probs/} at the start, skipped
 *       when that folder is complete (a resumed run).</li>
 *   <li>KD: w = 1. Minibatches are built on the executors from examples ⋈ teacher probs by id
 *       ({@link DistillationBatches#kd}).</li>
 *   <li>DEDIER: the student has an early readout ({@link DistillOptions#readoutHead}) trained by
 *       cross-entropy alongside it, behind a stop-gradient. At the start of every {@code refresh}-th
 *       epoch the weights pass ({@link ReadoutWeightsPass}) over the whole training split writes
 *       {@code RUN/weights/epoch=NNNN/} from the student as it stands (the first from the untrained
 *       readout); a resumed run reuses a complete table. Minibatches: examples ⋈ teacher probs ⋈
 *       weights ({@link DistillationBatches#dedier}). History adds the readout's validation accuracy
 *       and the table's flagged fraction and mean readout confidence on errors.</li>
 * </ul>
 */
public final class DistillationTraining implements TrainingMethod {
    private static final Logger LOG = LoggerFactory.getLogger(DistillationTraining.class);
    /** The teacher pass's table inside a run, when {@code --teacher-probs} is not given. */
    public static final String TEACHER_PROBS = "teacher_probs";
    /** The weights tables inside a DEDIER run, one folder per refresh: {@code weights/epoch=NNNN}. */
    public static final String WEIGHTS = "weights";
    public static final String VAL_READOUT_ACCURACY = "val_readout_accuracy";

    private final SparkSession spark;
    private final TrainConfig config;
    private final DistillOptions options;
    private final ExamplesTable table;
    private final HadoopInputs inputs;
    /** The checked table of {@code --teacher-probs}; null when the run computes its own. */
    private final TeacherProbs.Table given;
    private RunDir run;
    private Dataset<Row> train;
    private Dataset<Row> teacherProbs;
    private Dataset<Row> weights;
    private int weightsEpoch;
    private Map<String, Object> weightsSummary;

    private DistillationTraining(SparkSession spark, TrainConfig config, ExamplesTable table, HadoopInputs inputs,
                                 TeacherProbs.Table given) {
        this.spark = spark;
        this.config = config;
        this.options = config.distill();
        this.table = table;
        this.inputs = inputs;
        this.given = given;
    }

    /**
     * The method of a kd or dedier config, its teacher inputs checked (bad input, before the run
     * folder is touched): the teacher-probs table against the data, the temperature and the training
     * split; or the teacher's model against the data.
     */
    public static DistillationTraining open(SparkSession spark, TrainConfig config, ExamplesTable table) {
        DistillOptions o = config.distill();
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        TeacherProbs.Table given = null;
        if (o.teacherProbs() != null && !o.teacherProbs().isBlank()) {
            given = TeacherProbs.open(inputs, o.teacherProbs(), "--teacher-probs");
            TeacherProbs.requireFits(given, inputs, table, "--data", o.temperature(), "--teacher-probs");
            TeacherProbs.requireCovers(spark, given, table.split(spark, Split.TRAIN), "--teacher-probs");
        } else {
            PassInputs.open(spark, "--teacher", o.teacher(), "model", config.data(),
                    List.of(Split.TRAIN));
        }
        return new DistillationTraining(spark, config, table, inputs, given);
    }

    private boolean dedier() {
        return TrainConfig.DEDIER.equals(config.method());
    }

    @Override
    public NetworkConfig network(NetworkConfig erm) {
        NetworkConfig student = erm.withOutputLoss(options.loss());
        return dedier() ? student.withReadout(options.readoutHead()) : student;
    }

    @Override
    public void start(RunDir run, Dataset<Row> train) {
        this.run = run;
        this.train = train;
        TeacherProbs.Table t = given;
        if (t == null) {
            String dir = run.path(TEACHER_PROBS);
            if (!AtomicOutput.isComplete(inputs.conf(), dir)) {
                TeacherProbsJob.Result r = TeacherProbsJob.run(spark, new TeacherProbsConfig(options.teacher(),
                        config.data(), dir, options.temperature(), "model", config.evalBatch(), false));
                LOG.info("teacher pass: {} rows in {} s", r.rows(), r.seconds());
            }
            t = TeacherProbs.open(inputs, dir, "--out");
            TeacherProbs.requireFits(t, inputs, table, "--data", options.temperature(), "--out");
        }
        teacherProbs = t.read(spark).select(ExamplesSchema.ID, TeacherProbs.PROBS)
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    /** DEDIER: the weights of the refresh period {@code epoch} is in, computed at its first epoch. */
    @Override
    public Map<String, Object> beforeEpoch(int epoch, ComputationGraph net) {
        if (!dedier()) {
            return Map.of();
        }
        int period = epoch - (epoch - 1) % options.refresh();
        Map<String, Object> figures = new LinkedHashMap<>();
        if (weights == null || weightsEpoch != period) {
            String name = weightsDir(period);
            boolean reused = AtomicOutput.isComplete(inputs.conf(), run.path(name));
            if (!reused) {
                // Normally at the period's first epoch; after a resume whose table was lost, from the student as it is.
                ReadoutWeightsPass.Result r = ReadoutWeightsPass.write(spark, net, table, train, options.weights(),
                        period, config.evalBatch(), run.path(name), false, "--out");
                figures.put("weights_seconds", r.seconds());
            }
            if (weights != null) {
                weights.unpersist();
            }
            weights = ReadoutWeightsPass.read(spark, run.path(name))
                    .select(ExamplesSchema.ID, ReadoutWeightsPass.WEIGHT)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            if (reused) {
                // A table a resumed run finds must weigh exactly these examples: the join below would
                // silently drop the ones it lacks (a table copied from a run on other data).
                requireWeighsEveryExample(run.path(name), weights, train);
            }
            weightsEpoch = period;
            String summary = name + "/" + ReadoutWeightsPass.SUMMARY;
            weightsSummary = Json.readObject(run.readText(summary), run.path(summary));
            // The summary's JSON writes a non-finite number as a string ("Infinity", "NaN").
            Object w = weightsSummary.get("max_weight");
            if (w != null && !Double.isFinite(Double.parseDouble(String.valueOf(w)))) {
                // exp(β·margin^α) overflowed: the weighted loss would be infinite, as after a divergence.
                throw new TrainingDivergedException("the early-readout weights of "
                        + HadoopInputs.display(new org.apache.hadoop.fs.Path(run.path(name))) + " reach " + w
                        + " (exp(beta * margin^alpha) overflows: lower --beta or --alpha)");
            }
        }
        figures.put("weights_epoch", period);
        figures.put("readout_flagged_fraction", weightsSummary.get("flagged_fraction"));
        figures.put("readout_error_confidence", weightsSummary.get("mean_error_confidence"));
        return figures;
    }

    /** Bad input unless {@code weights} has one row for every training example and none for others. */
    static void requireWeighsEveryExample(String dir, Dataset<Row> weights, Dataset<Row> train) {
        IdCoverage c = IdCoverage.of(train, weights);
        long missing = c.missing();
        long duplicates = c.duplicates();
        long foreign = weights.select(ExamplesSchema.ID).join(train.select(ExamplesSchema.ID), ExamplesSchema.ID,
                "left_anti").count();
        if (missing > 0 || foreign > 0 || duplicates > 0) {
            throw new BadInputException(HadoopInputs.display(new org.apache.hadoop.fs.Path(dir)) + ": "
                    + (missing > 0 ? "no weight for " + missing + " of the " + c.examples()
                            + " training examples (e.g. id '" + c.firstMissing() + "'), " : "")
                    + foreign + " rows for ids not in --data, " + duplicates + " duplicate ids; this weights table"
                    + " was computed on other data: delete it to have it recomputed, or train again with --overwrite");
        }
    }

    /** {@code weights/epoch=NNNN}: the table of the refresh period starting at {@code epoch}. */
    public static String weightsDir(int epoch) {
        return WEIGHTS + "/epoch=" + String.format("%04d", epoch);
    }

    @Override
    public void fit(SparkComputationGraph sparkNet, Dataset<Row> train, Column copies, int workers, int epoch,
                    long shuffleSeed) {
        if (copies != null) {
            throw new IllegalStateException("distillation takes every training example once per epoch");
        }
        Dataset<Row> rows = train.select(ExamplesSchema.ID, ExamplesSchema.LABEL, ExamplesSchema.FEATURES)
                .join(teacherProbs, ExamplesSchema.ID);
        ExamplesTable t = table;
        if (dedier()) {
            rows = rows.join(weights, ExamplesSchema.ID);
            sparkNet.fitMultiDataSet(TrainingMasters.minibatchRdd(rows, workers, config.workerBatch(workers), shuffleSeed,
                    batch -> DistillationBatches.dedier(batch, t)));
        } else {
            sparkNet.fit(TrainingMasters.minibatchRdd(rows, workers, config.workerBatch(workers), shuffleSeed,
                    batch -> DistillationBatches.kd(batch, t)));
        }
    }

    /** DEDIER: the early readout's accuracy on the validation split. */
    @Override
    public Map<String, Object> validate(ComputationGraph net, Dataset<Row> val) {
        if (!dedier()) {
            return Map.of();
        }
        return Map.of(VAL_READOUT_ACCURACY,
                Predictions.accuracy(spark, net, table, val, config.evalBatch(), Networks.READOUT));
    }

    @Override
    public void close() {
        if (teacherProbs != null) {
            teacherProbs.unpersist();
        }
        if (weights != null) {
            weights.unpersist();
        }
    }
}
