package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.passes.IdCoverage;
import io.readout.jobs.passes.Predictions;
import io.readout.jobs.passes.ReadoutWeightsPass;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code train --method dedier}: early-readout debiased distillation (Tiwari et al., WACV 2024), {@link Kd}
 * with the teacher term of each example weighed by how confidently an early readout gets it wrong. Options:
 * {@link DistillOptions} ({@code alpha}, {@code beta}, {@code normalise}, {@code refresh},
 * {@code weight-target}, {@code aux-at}, {@code aux-lr}).
 *
 * <p>The student has an early readout ({@link DistillOptions#readoutHead}) trained by cross-entropy alongside
 * it, behind a stop-gradient. At the start of every {@code refresh}-th epoch the weights pass
 * ({@link ReadoutWeightsPass}) over the whole training split writes {@code RUN/weights/epoch=NNNN/} from the
 * student as it stands (the first from the untrained readout); a resumed run reuses a complete table.
 * Minibatches: examples ⋈ teacher probs ⋈ weights ({@link DistillationBatches#dedier}). History adds the
 * readout's validation accuracy and the table's flagged fraction and mean readout confidence on errors.
 */
public final class Dedier extends Kd {
    /** The weights tables inside a DEDIER run, one folder per refresh: {@code weights/epoch=NNNN}. */
    public static final String WEIGHTS = "weights";
    /** History figures, in the order they are written: the readout's accuracy, then the weights pass's. */
    public static final String VAL_READOUT_ACCURACY = "val_readout_accuracy";
    /** Seconds of the weights pass, in the epochs that ran one. */
    public static final String WEIGHTS_SECONDS = "weights_seconds";
    /** The first epoch of the refresh period whose weights the epoch trained with. */
    public static final String WEIGHTS_EPOCH = "weights_epoch";
    public static final String READOUT_FLAGGED_FRACTION = "readout_flagged_fraction";
    public static final String READOUT_ERROR_CONFIDENCE = "readout_error_confidence";

    private RunDir run;
    private Dataset<Row> train;
    private Dataset<Row> weights;
    private int weightsEpoch;
    private WeightsFigures weightsSummary;

    Dedier(SparkSession spark, TrainConfig config, ExamplesTable table) {
        super(spark, config, table);
    }

    @Override
    public NetworkConfig network(NetworkConfig erm) {
        return super.network(erm).withReadout(options.readoutHead());
    }

    @Override
    public void start(RunDir run, Dataset<Row> train) {
        this.run = run;
        this.train = train;
        super.start(run, train);
    }

    /** The weights of the refresh period {@code epoch} is in, computed at its first epoch. */
    @Override
    public Map<String, Number> beforeEpoch(int epoch, ComputationGraph net) {
        int period = epoch - (epoch - 1) % options.refresh();
        Map<String, Number> figures = new LinkedHashMap<>();
        if (weights == null || weightsEpoch != period) {
            String name = weightsDir(period);
            boolean reused = AtomicOutput.isComplete(inputs.conf(), run.path(name));
            if (!reused) {
                // Normally at the period's first epoch; after a resume whose table was lost, from the student as it is.
                ReadoutWeightsPass.Result r = ReadoutWeightsPass.write(spark, net, table, train, options.weights(),
                        period, config.evalBatch(), run.path(name), false, "--out");
                figures.put(WEIGHTS_SECONDS, r.seconds());
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
            weightsSummary = WeightsFigures.read(run.readText(summary), run.path(summary));
            Double w = weightsSummary.maxWeight();
            if (w != null && !Double.isFinite(w)) {
                // exp(β·margin^α) overflowed: the weighted loss would be infinite, as after a divergence.
                throw new TrainingDivergedException("the early-readout weights of "
                        + HadoopInputs.display(new Path(run.path(name))) + " reach " + w
                        + " (exp(beta * margin^alpha) overflows: lower --beta or --alpha)");
            }
        }
        figures.put(WEIGHTS_EPOCH, period);
        figures.put(READOUT_FLAGGED_FRACTION, weightsSummary.flaggedFraction());
        figures.put(READOUT_ERROR_CONFIDENCE, weightsSummary.meanErrorConfidence());
        return figures;
    }

    /**
     * What a weights table's summary.json ({@link ReadoutWeightsPass#SUMMARY}) gives the history; null where it
     * holds null. Its JSON writes a non-finite number as a string ("Infinity", "NaN"), which Jackson reads back
     * as the double.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record WeightsFigures(@JsonProperty("max_weight") Double maxWeight,
                          @JsonProperty("flagged_fraction") Double flaggedFraction,
                          @JsonProperty("mean_error_confidence") Double meanErrorConfidence) {
        static WeightsFigures read(String json, String where) {
            try {
                return Json.mapper().readValue(json, WeightsFigures.class);
            } catch (JsonProcessingException e) {
                throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    /** Bad input unless {@code weights} has one row for every training example and none for others. */
    static void requireWeighsEveryExample(String dir, Dataset<Row> weights, Dataset<Row> train) {
        IdCoverage c = IdCoverage.of(train, weights);
        long missing = c.missing();
        long duplicates = c.duplicates();
        long foreign = weights.select(ExamplesSchema.ID).join(train.select(ExamplesSchema.ID), ExamplesSchema.ID,
                "left_anti").count();
        if (missing > 0 || foreign > 0 || duplicates > 0) {
            throw new BadInputException(HadoopInputs.display(new Path(dir)) + ": "
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
        ExamplesTable t = table;
        sparkNet.fitMultiDataSet(TrainingMasters.minibatchRdd(withTeacherProbs(train, copies).join(weights,
                ExamplesSchema.ID), workers, config.workerBatch(workers), shuffleSeed,
                batch -> DistillationBatches.dedier(batch, t)));
    }

    /** The early readout's accuracy on the validation split. */
    @Override
    public Map<String, Number> validate(ComputationGraph net, Dataset<Row> val) {
        return Map.of(VAL_READOUT_ACCURACY,
                Predictions.accuracy(spark, net, table, val, config.evalBatch(), Networks.READOUT));
    }

    @Override
    public void close() {
        super.close();
        if (weights != null) {
            weights.unpersist();
        }
    }
}
