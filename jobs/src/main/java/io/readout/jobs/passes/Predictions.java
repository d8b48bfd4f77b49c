package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.common.metrics.CrossEntropy;
import io.readout.common.nets.NativeKernels;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Minibatches;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.spark.ExactSum;
import io.readout.jobs.spark.TaskGpu;
import io.readout.jobs.spark.TaskThreads;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.ForeachFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

/**
 * The predictions pass: a forward-only pass of a model over rows of the examples table, on the
 * executors. The model travels as a broadcast of its ModelSerializer bytes and is restored once per
 * executor JVM and broadcast (each task thread runs its own clone); the rows are cut into minibatches
 * by a hash of their ids ({@link #inCanonicalBatches}). Input: a model, the table it was opened from, any subset of its rows and which of
 * the model's outputs to read (its main output, the first, unless named: e.g. a student's early
 * readout). Output: one row per example, lazily, in no particular order:
 * {@code id, split, label, group, attribute} (copied), {@code pred} (argmax of the softmax, the
 * lowest class on a tie), {@code confidence} (the largest probability) and {@code probs}.
 * Same model and rows: the same bits, however the rows are partitioned ({@link #inCanonicalBatches}).
 */
public final class Predictions {
    public static final String PRED = "pred";
    public static final String CONFIDENCE = "confidence";
    public static final String PROBS = "probs";
    public static final int DEFAULT_BATCH = 256;

    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ExamplesSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(ExamplesSchema.SPLIT, DataTypes.StringType, false),
        // Null for new texts, which come without one (predict --text).
        DataTypes.createStructField(ExamplesSchema.LABEL, DataTypes.IntegerType, true),
        DataTypes.createStructField(ExamplesSchema.GROUP, DataTypes.IntegerType, true),
        DataTypes.createStructField(ExamplesSchema.ATTRIBUTE, DataTypes.IntegerType, true),
        DataTypes.createStructField(PRED, DataTypes.IntegerType, false),
        DataTypes.createStructField(CONFIDENCE, DataTypes.FloatType, false),
        DataTypes.createStructField(PROBS, DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    private static final int PROBS_INDEX = SCHEMA.fieldIndex(PROBS);
    private static final int LABEL_INDEX = SCHEMA.fieldIndex(ExamplesSchema.LABEL);
    /** The column of {@link #inCanonicalBatches} naming a row's batch key, after the examples' columns. */
    static final String BATCH_KEY = "_batch_key";
    private static final String ORDER_KEY = "_batch_order";
    /** Its position: id, split, label, group, attribute, features, key. */
    private static final int BATCH_KEY_INDEX = 6;

    private Predictions() {
    }

    /**
     * The {@code probs} of one row of {@link #predict}'s output, in a map over it: Spark hands the rows
     * over as the pass made them (a float array, no schema) or decoded (a list), depending on the plan.
     */
    public static float[] probs(Row prediction) {
        if (prediction.get(PROBS_INDEX) instanceof float[] p) {
            return p;
        }
        List<Float> list = prediction.getList(PROBS_INDEX);
        float[] p = new float[list.size()];
        for (int k = 0; k < p.length; k++) {
            p[k] = list.get(k);
        }
        return p;
    }

    /**
     * The predictions of {@code model}'s main output on {@code examples} (rows of {@code table}), as a
     * lazy Dataset: persist it when it is used more than once, or the pass runs again. The broadcast is
     * released by Spark's cleaner once the returned Dataset is no longer referenced.
     *
     * @param batchSize examples per forward pass on an executor
     */
    public static Dataset<Row> predict(SparkSession spark, ComputationGraph model, ExamplesTable table,
                                       Dataset<Row> examples, int batchSize) {
        return predict(spark, model, table, examples, batchSize,
                model.getConfiguration().getNetworkOutputs().get(0));
    }

    /**
     * As {@link #predict(SparkSession, ComputationGraph, ExamplesTable, Dataset, int)}, for the softmax
     * output named {@code output} (one of the graph's outputs, e.g. {@code Networks.READOUT}).
     */
    public static Dataset<Row> predict(SparkSession spark, ComputationGraph model, ExamplesTable table,
                                       Dataset<Row> examples, int batchSize, String output) {
        if (batchSize <= 0) {
            throw new BadInputException("--batch " + batchSize + " must be positive");
        }
        ModelCompatibility.require(model, table, "model", "--data " + table.dir());
        int outputIndex = ModelCompatibility.outputIndex(model, output, "model");
        Broadcast<byte[]> modelBytes = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(RunDir.toBytes(model, false));
        return inCanonicalBatches(examples, batchSize, spark.sparkContext().defaultParallelism())
                .mapPartitions(new ForwardPass(modelBytes, table, batchSize, outputIndex), Encoders.row(SCHEMA));
    }

    /**
     * The examples' columns for the pass plus {@value #BATCH_KEY}, placed so that every minibatch depends
     * on the rows alone: an example's batch key is a hash of its id modulo ceil(n / batchSize); rows are
     * partitioned by key and sorted by key, hash and id, and {@link Minibatches#batchesByKey} cuts each key's
     * rows into batches of at most {@code batchSize}. oneDNN's kernels give an example slightly different
     * floats (about 1e-7) in batches of other sizes or rows, so batches cut from the input's partitions
     * (which depend on its files, the cluster and Spark's planning) made teacher probabilities, and with
     * them a distilled student, differ between a cluster and local mode. The partition count only spreads
     * the work.
     */
    static Dataset<Row> inCanonicalBatches(Dataset<Row> examples, int batchSize, int partitions) {
        Dataset<Row> rows = examples.select(col(ExamplesSchema.ID), col(ExamplesSchema.SPLIT), col(ExamplesSchema.LABEL),
                col(ExamplesSchema.GROUP), col(ExamplesSchema.ATTRIBUTE), col(ExamplesSchema.FEATURES));
        long n = rows.count();
        long keys = Math.max(1, (n + batchSize - 1) / batchSize);
        return rows.withColumn(ORDER_KEY, xxhash64(col(ExamplesSchema.ID)))
                .withColumn(BATCH_KEY, pmod(col(ORDER_KEY), lit(keys)))
                .repartition((int) Math.max(1, Math.min(keys, partitions)), col(BATCH_KEY))
                .sortWithinPartitions(col(BATCH_KEY), col(ORDER_KEY), col(ExamplesSchema.ID))
                .drop(ORDER_KEY);
    }

    /**
     * The accuracy of {@code model}'s softmax output {@code output} on {@code examples}: the fraction whose
     * prediction is their label (e.g. an early readout's or aux head's on the validation split).
     */
    public static double accuracy(SparkSession spark, ComputationGraph model, ExamplesTable table,
                                  Dataset<Row> examples, int batchSize, String output) {
        return predict(spark, model, table, examples, batchSize, output)
                .agg(avg(col(PRED).equalTo(col(ExamplesSchema.LABEL)).cast("double")))
                .first().getDouble(0);
    }

    /**
     * The mean cross-entropy ({@link CrossEntropy}) of {@link #predict}'s rows against their labels: an epoch's
     * validation loss; NaN when there are no rows. The examples' losses are summed exactly ({@link ExactSum}) in
     * an action, where Spark counts each task's updates once, so the mean has the same bits however the rows are
     * partitioned and whatever order the tasks finish in. Runs the pass again unless {@code predictions} is
     * persisted.
     *
     * @param name what the accumulators are called in the Spark UI
     */
    public static double meanCrossEntropy(SparkSession spark, Dataset<Row> predictions, String name) {
        ExactSum losses = ExactSum.register(spark.sparkContext(), name);
        LongAccumulator examples = spark.sparkContext().longAccumulator(name + ", examples");
        predictions.foreach((ForeachFunction<Row>) r -> {
            losses.add(CrossEntropy.of(probs(r), r.getInt(LABEL_INDEX)));
            examples.add(1);
        });
        return CrossEntropy.mean(losses.value(), examples.value());
    }

    /** How many times this JVM has restored a broadcast model (for tests: once per broadcast). */
    static long restoresInThisJvm() {
        return ExecutorModels.RESTORES.get();
    }

    /** One partition: rows in, minibatches through the network, prediction rows out, one batch at a time. */
    private static final class ForwardPass implements MapPartitionsFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<byte[]> modelBytes;
        private final ExamplesTable table;
        private final int batchSize;
        private final int outputIndex;

        ForwardPass(Broadcast<byte[]> modelBytes, ExamplesTable table, int batchSize, int outputIndex) {
            this.modelBytes = modelBytes;
            this.table = table;
            this.batchSize = batchSize;
            this.outputIndex = outputIndex;
        }

        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            Iterator<List<Row>> batches = Minibatches.batchesByKey(rows, BATCH_KEY_INDEX, batchSize);
            return new Iterator<>() {
                private Iterator<Row> current = Collections.emptyIterator();
                private ComputationGraph model;

                @Override
                public boolean hasNext() {
                    while (!current.hasNext() && batches.hasNext()) {
                        if (model == null) {
                            // Only partitions with rows need the model.
                            model = ExecutorModels.forThisThread(modelBytes);
                        }
                        current = predictBatch(model, batches.next()).iterator();
                    }
                    return current.hasNext();
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return current.next();
                }
            };
        }

        private List<Row> predictBatch(ComputationGraph model, List<Row> batch) {
            INDArray features = Minibatches.features(batch, table);
            float[][] probs;
            // The model is this task thread's own copy: a DL4J network keeps per-call state (layer inputs,
            // workspaces), and each task runs on its own share of the cores.
            // output(...), not outputSingle: a graph with a readout head has two outputs.
            INDArray[] outs = model.output(false, features);
            probs = outs[outputIndex].toFloatMatrix();
            for (INDArray out : outs) {
                release(out);
            }
            release(features);
            List<Row> result = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Row r = batch.get(i);
                float[] p = probs[i];
                int pred = 0;
                for (int k = 1; k < p.length; k++) {
                    if (p[k] > p[pred]) {
                        pred = k;
                    }
                }
                result.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), pred, p[pred], p));
            }
            return result;
        }

        private static void release(INDArray a) {
            if (a.closeable()) {
                a.close();
            }
        }
    }

    /**
     * The broadcast models restored in this JVM, by broadcast id, and each task thread's copy of them.
     * A model is restored once per JVM and broadcast; each task thread runs its own clone (a network
     * is not safe for concurrent forward passes), with its native threads limited to the task's cores
     * ({@code spark.task.cpus}), so concurrent tasks neither queue on one network nor oversubscribe the
     * cores. A training run predicts after every epoch with a new broadcast, so only the most recent
     * few are kept; a model evicted while still in use is simply restored again.
     */
    private static final class ExecutorModels {
        private static final int KEPT = 2;
        private static final AtomicLong RESTORES = new AtomicLong();
        private static final Map<Long, ComputationGraph> MODELS = lru();
        private static final ThreadLocal<Map<Long, ComputationGraph>> COPIES = ThreadLocal.withInitial(ExecutorModels::lru);

        private static Map<Long, ComputationGraph> lru() {
            return new LinkedHashMap<>(4, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, ComputationGraph> eldest) {
                    return size() > KEPT;
                }
            };
        }

        /** Restores under the lock, so tasks starting together on one executor restore once. */
        static synchronized ComputationGraph get(Broadcast<byte[]> modelBytes) {
            ComputationGraph model = MODELS.get(modelBytes.id());
            if (model == null) {
                model = RunDir.fromBytes(modelBytes.value(), false);
                RESTORES.incrementAndGet();
                MODELS.put(modelBytes.id(), model);
            }
            return model;
        }

        /** This task thread's copy of the broadcast model, its native threads limited to the task's cores. */
        static ComputationGraph forThisThread(Broadcast<byte[]> modelBytes) {
            int threads = TaskThreads.ofThisTask();
            TaskGpu.pinThisThread();
            NativeKernels.limitThisThread(threads);
            Map<Long, ComputationGraph> copies = COPIES.get();
            ComputationGraph copy = copies.get(modelBytes.id());
            if (copy == null) {
                ComputationGraph shared = get(modelBytes);
                synchronized (shared) {
                    copy = NativeKernels.engage(shared.clone());
                }
                copies.put(modelBytes.id(), copy);
            }
            return copy;
        }
    }
}
