package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.Seeds;
import io.readout.common.jtt.ErrorSetUpsampling;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.evaluate.GroupEvaluation;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

/**
 * {@code train --method jtt}: Just Train Twice (Liu et al. 2021), ERM trained twice; its options are
 * {@link JttOptions} (config.json's {@code "jtt"}). {@link TrainJob}'s epochs are JTT's stage two, on the
 * rows this method gives them ({@link #rows}); before them, each kept when a resumed run finds it complete:
 * <ol>
 * <li>stage one: ERM with the run's flags for {@code jtt.epochs} epochs, a complete run directory
 *     {@code RUN/stage1/} (trained by the {@link RunTrainer} TrainJob hands over, resumable like any ERM
 *     run);</li>
 * <li>the error set: the training examples stage one's final model gets wrong (the predictions pass,
 *     on the executors), the table {@code RUN/jtt_errors/} {@code (id, label, group, pred, confidence)}
 *     committed with {@code _SUCCESS}, and its counts overall and per group in
 *     {@code RUN/jtt_errors.json} (beside the table, so that the folder stays a plain Parquet table);</li>
 * <li>stage two's rows: the training split with each error-set example taken λ_up times per epoch
 *     ({@link ErrorSetUpsampling}), for a fresh network seeded as in ERM.</li>
 * </ol>
 * The paper up-weights the error set by upsampling it; so does this job, rather than weighting the
 * loss: the network and its loss stay ERM's, and λ_up copies of an example are λ_up chances per epoch
 * to be in a minibatch, shuffled with the rest, as in the paper.
 */
public final class Jtt extends Erm {
    public static final String STAGE_ONE = "stage1";
    public static final String ERRORS = "jtt_errors";
    public static final String ERRORS_JSON = "jtt_errors.json";
    public static final String ERRORS_COUNT = "errors";
    /** The column of stage two's rows that says whether a row is in the error set. */
    static final String IN_ERROR_SET = "_in_error_set";
    private static final String ERROR_ID = "_error_id";

    private final SparkSession spark;
    private final RunTrainer stageOneTrainer;

    /** {@code stageOneTrainer} trains stage one's ERM run to its end, continuing one that stopped. */
    Jtt(SparkSession spark, ExamplesTable table, TrainConfig config, RunTrainer stageOneTrainer) {
        super(table, config);
        this.spark = spark;
        this.stageOneTrainer = stageOneTrainer;
    }

    /** Stage one and the error set, where not complete yet, then the rows of stage two. */
    @Override
    public EpochRows rows(Dataset<Row> train, RunDir run, PrintStream out) {
        RunDir stageOne = stageOne(config, run, out);
        errorSet(spark, config, table, train, run, stageOne, out);
        out.println("jtt stage two: a fresh network for " + config.epochs() + " epochs, each error "
                + config.jtt().upweight() + " times per epoch");
        return upsampled(spark, config, train, run);
    }

    /** Stage one's config: the run's flags, ERM, {@code jtt.epochs} epochs, into {@code out}. */
    static TrainConfig stageOneConfig(TrainConfig c, String out) {
        return new TrainConfig(TrainConfig.ERM, c.arch(), c.data(), out, c.jtt().epochs(), c.batch(), c.updater(),
                c.lr(), c.weightDecay(), c.activation(), c.workers(), c.averagingFrequency(), c.approach(),
                c.prefetch(), c.seed(), c.select(), c.evalBatch(), null, null, null, null, c.batchScope()).validate();
    }

    private RunDir stageOne(TrainConfig config, RunDir run, PrintStream out) {
        TrainConfig erm = stageOneConfig(config, run.path(STAGE_ONE));
        RunDir dir = new RunDir(run.conf(), erm.out());
        String shown = HadoopInputs.display(new Path(dir.dir()));
        if (dir.isComplete()) {
            out.println("jtt stage one: kept the complete run " + shown);
            return dir;
        }
        out.println("jtt stage one: erm for " + erm.epochs() + " epochs into " + shown);
        // The run's own folder was checked against --resume/--overwrite; stage one continues where it stopped.
        stageOneTrainer.train(erm, out);
        return dir;
    }

    private static void errorSet(SparkSession spark, TrainConfig config, ExamplesTable table, Dataset<Row> train,
                                 RunDir run, RunDir stageOne, PrintStream out) {
        String dir = run.path(ERRORS);
        if (AtomicOutput.isComplete(run.conf(), dir)) {
            out.println(ErrorSet.read(run.readText(ERRORS_JSON), run.path(ERRORS_JSON)).describe() + " (kept)");
            return;
        }
        Dataset<Row> predictions = Predictions.predict(spark, stageOne.loadModel(RunDir.MODEL), table, train,
                config.evalBatch()).persist(StorageLevel.MEMORY_AND_DISK());
        try (AtomicOutput output = AtomicOutput.begin(run.conf(), dir, false, "--out")) {
            predictions.where(col(Predictions.PRED).notEqual(col(ExamplesSchema.LABEL)))
                    .select(ExamplesSchema.ID, ExamplesSchema.LABEL, ExamplesSchema.GROUP, Predictions.PRED,
                            Predictions.CONFIDENCE)
                    .write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(output.tmp());
            ErrorSet counts = ErrorSet.of(GroupEvaluation.groupTable(predictions).collectAsList());
            // Before the commit: a complete table always has its counts beside it.
            run.writeText(ERRORS_JSON, Json.write(counts));
            output.commit();
            out.println(counts.describe());
        } finally {
            predictions.unpersist();
        }
    }

    /**
     * {@value #ERRORS_JSON}: stage one's errors on the training split, in all and per group.
     *
     * @param model  the model that made them, relative to the run ({@code stage1/model.zip})
     * @param split  {@code train}
     * @param n      examples predicted
     * @param errors of them, mispredicted: the error set
     */
    @JsonPropertyOrder({"model", ExamplesSchema.SPLIT, GroupEvaluation.N, ERRORS_COUNT, "groups"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ErrorSet(@JsonProperty("model") String model, @JsonProperty(ExamplesSchema.SPLIT) String split,
                    @JsonProperty(GroupEvaluation.N) long n, @JsonProperty(ERRORS_COUNT) long errors,
                    @JsonProperty("groups") List<GroupErrors> groups) {

        /** One group's examples and errors. */
        @JsonPropertyOrder({ExamplesSchema.GROUP, GroupEvaluation.N, ERRORS_COUNT})
        @JsonIgnoreProperties(ignoreUnknown = true)
        record GroupErrors(@JsonProperty(ExamplesSchema.GROUP) int group, @JsonProperty(GroupEvaluation.N) long n,
                           @JsonProperty(ERRORS_COUNT) long errors) {
        }

        /** From the per-group table (Spark SQL) of stage one's predictions on the training split. */
        static ErrorSet of(List<Row> groupTable) {
            List<GroupErrors> groups = new ArrayList<>();
            long n = 0;
            long errors = 0;
            for (Row r : groupTable) {
                long groupN = r.getLong(r.fieldIndex(GroupEvaluation.N));
                long groupErrors = groupN - r.getLong(r.fieldIndex(GroupEvaluation.CORRECT));
                groups.add(new GroupErrors(r.getInt(r.fieldIndex(ExamplesSchema.GROUP)), groupN, groupErrors));
                n += groupN;
                errors += groupErrors;
            }
            return new ErrorSet(STAGE_ONE + "/" + RunDir.MODEL, Split.TRAIN.column(), n, errors, groups);
        }

        /** Reads {@value #ERRORS_JSON} back; {@code where} names it in the one-line error. */
        static ErrorSet read(String json, String where) {
            try {
                return Json.mapper().readValue(json, ErrorSet.class);
            } catch (JsonProcessingException e) {
                throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
            }
        }

        /** One line: how many errors, and in which groups. */
        String describe() {
            StringBuilder b = new StringBuilder("jtt error set: ").append(errors).append(" of ").append(n)
                    .append(" training examples; by group:");
            for (GroupErrors g : groups) {
                b.append(' ').append(g.group()).append(": ").append(g.errors()).append('/').append(g.n());
            }
            return b.toString();
        }
    }

    /** The training split marked with the error set, each error taken λ_up times per epoch. */
    private static EpochRows upsampled(SparkSession spark, TrainConfig config, Dataset<Row> train, RunDir run) {
        Dataset<Row> errorIds = spark.read().parquet(run.path(ERRORS)).select(col(ExamplesSchema.ID).as(ERROR_ID));
        // Broadcast: the join then keeps the training split's partitions and order, which the shuffle's draws follow.
        Dataset<Row> rows = train
                .join(broadcast(errorIds), col(ExamplesSchema.ID).equalTo(col(ERROR_ID)), "left_outer")
                .withColumn(IN_ERROR_SET, col(ERROR_ID).isNotNull())
                .drop(ERROR_ID);
        double upweight = config.jtt().upweight();
        long seed = config.seed();
        return new EpochRows(rows, epoch -> copies(new ErrorSetUpsampling(upweight,
                Seeds.derive(seed, "jtt/upsample/" + epoch))));
    }

    private static Column copies(ErrorSetUpsampling upsampling) {
        return udf((UDF2<String, Boolean, Integer>) upsampling::copies, DataTypes.IntegerType)
                .apply(col(ExamplesSchema.ID), col(IN_ERROR_SET));
    }
}
