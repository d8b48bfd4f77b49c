package io.readout.jobs.train;

import io.readout.common.nets.NetworkConfig;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.passes.PassInputs;
import io.readout.jobs.passes.TeacherProbs;
import io.readout.jobs.passes.TeacherProbsConfig;
import io.readout.jobs.passes.TeacherProbsJob;
import io.readout.jobs.run.RunDir;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code train --method kd}: knowledge distillation (Hinton et al. 2015). A student learns from a frozen
 * teacher through {@link io.readout.common.distill.DistillationLoss} on its output, (1-λ)·CE + λ·w·T²·KL with
 * w = 1; its options are {@link DistillOptions} (config.json's {@code "distill"}).
 *
 * <ul>
 *   <li>Teacher probabilities: the table of {@code --teacher-probs}, checked against the data, the
 *       temperature and the training split's ids before anything is written; or, without it, the
 *       teacher pass ({@link TeacherProbsJob}) into {@code RUN/teacher_probs/} at the start, skipped
 *       when that folder is complete (a resumed run).</li>
 *   <li>Minibatches are built on the executors from examples ⋈ teacher probs by id
 *       ({@link DistillationBatches#kd}).</li>
 * </ul>
 * {@link Dedier} is this method with an early readout that weighs the teacher term.
 */
public class Kd implements TrainingMethod {
    private static final Logger LOG = LoggerFactory.getLogger(Kd.class);
    /** The teacher pass's table inside a run, when {@code --teacher-probs} is not given. */
    public static final String TEACHER_PROBS = "teacher_probs";

    final SparkSession spark;
    final TrainConfig config;
    final DistillOptions options;
    final ExamplesTable table;
    final HadoopInputs inputs;
    /** The checked table of {@code --teacher-probs}; null when the run computes its own. */
    private final TeacherProbs.Table given;
    private Dataset<Row> teacherProbs;

    /**
     * The method of a kd (or dedier) config, its teacher inputs checked (bad input, before the run folder is
     * touched): the teacher-probs table against the data, the temperature and the training split; or the
     * teacher's model against the data.
     */
    Kd(SparkSession spark, TrainConfig config, ExamplesTable table) {
        this.spark = spark;
        this.config = config;
        this.options = config.distill();
        this.table = table;
        this.inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        if (options.teacherProbs() != null && !options.teacherProbs().isBlank()) {
            given = TeacherProbs.open(inputs, options.teacherProbs(), "--teacher-probs");
            TeacherProbs.requireFits(given, inputs, table, "--data", options.temperature(), "--teacher-probs");
            TeacherProbs.requireCovers(spark, given, table.split(spark, Split.TRAIN), "--teacher-probs");
        } else {
            given = null;
            PassInputs.open(spark, "--teacher", options.teacher(), PassInputs.FINAL, config.data(),
                    List.of(Split.TRAIN));
        }
    }

    @Override
    public NetworkConfig network(NetworkConfig erm) {
        return erm.withOutputLoss(options.loss());
    }

    @Override
    public void start(RunDir run, Dataset<Row> train) {
        TeacherProbs.Table t = given;
        if (t == null) {
            String dir = run.path(TEACHER_PROBS);
            if (!AtomicOutput.isComplete(inputs.conf(), dir)) {
                TeacherProbsJob.Result r = TeacherProbsJob.run(spark, new TeacherProbsConfig(options.teacher(),
                        config.data(), dir, options.temperature(), PassInputs.FINAL, config.evalBatch(), false));
                LOG.info("teacher pass: {} rows in {} s", r.rows(), r.seconds());
            }
            t = TeacherProbs.open(inputs, dir, "--out");
            TeacherProbs.requireFits(t, inputs, table, "--data", options.temperature(), "--out");
        }
        teacherProbs = t.read(spark).select(ExamplesSchema.ID, TeacherProbs.PROBS)
                .persist(StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public void fit(SparkComputationGraph sparkNet, Dataset<Row> train, Column copies, int workers, int epoch,
                    long shuffleSeed) {
        ExamplesTable t = table;
        sparkNet.fit(TrainingMasters.minibatchRdd(withTeacherProbs(train, copies), workers, config.workerBatch(workers),
                shuffleSeed, batch -> DistillationBatches.kd(batch, t)));
    }

    /** The training rows joined with their teacher probabilities by id. */
    Dataset<Row> withTeacherProbs(Dataset<Row> train, Column copies) {
        if (copies != null) {
            throw new IllegalStateException("distillation takes every training example once per epoch");
        }
        return train.select(ExamplesSchema.ID, ExamplesSchema.LABEL, ExamplesSchema.FEATURES)
                .join(teacherProbs, ExamplesSchema.ID);
    }

    @Override
    public void close() {
        if (teacherProbs != null) {
            teacherProbs.unpersist();
        }
    }
}
