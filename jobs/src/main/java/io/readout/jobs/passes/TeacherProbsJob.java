package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.distill.DistillationLabels;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/**
 * {@code readout teacher-probs}: the teacher's forward pass over the training split, once, as the
 * table students distil from ({@link TeacherProbs}). Stages: open the teacher's run, its model and
 * the data and check they fit → the predictions pass ({@link Predictions}: broadcast model, a
 * per-thread copy on each executor) → per row, logits = log of the teacher's softmax and probs =
 * softmax(logits / T) → {@code probs/} and {@code teacher_probs.json} written into a hidden sibling
 * and committed by rename with {@code _SUCCESS}. A refused input or a failed pass leaves nothing.
 */
public final class TeacherProbsJob {
    private static final Logger LOG = LoggerFactory.getLogger(TeacherProbsJob.class);
    /**
     * The logit of a class whose float softmax probability underflowed to 0: log of the smallest
     * positive float, about -103.3, so softening at any temperature still gives it (almost) nothing.
     */
    static final float LOG_OF_ZERO = (float) Math.log(Float.MIN_VALUE);

    /** The committed folder, its row count, the temperature and how long the pass took. */
    public record Result(String out, long rows, double temperature, double seconds) {
        /** What {@code readout teacher-probs} prints. */
        public String format() {
            return String.format(Locale.ROOT, "wrote %d teacher probabilities (T=%s) to %s in %.1f s%n", rows,
                    temperature, out, seconds);
        }
    }

    private TeacherProbsJob() {
    }

    public static Result run(SparkSession spark, TeacherProbsConfig config) {
        config.validate();
        LOG.info("teacher-probs: {}", JsonFiles.compact(config));
        PassInputs.Opened in = PassInputs.open(spark, "--teacher", config.teacher(), config.model(), config.data(),
                List.of(Split.TRAIN));
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        String fingerprint = TeacherProbs.fingerprint(inputs, in.table(), "--data");
        long t0 = System.nanoTime();
        try (AtomicOutput output = AtomicOutput.begin(inputs.conf(), config.out(), config.overwrite(), "--out")) {
            String dir = HadoopInputs.child(output.tmp(), TeacherProbs.PROBS_DIR);
            long rows = writeProbs(spark, in.model(), in.table(), in.examples(), config.temperature(), config.batch(),
                    dir, "--teacher " + in.modelPath());
            double seconds = (System.nanoTime() - t0) / 1e9;
            TeacherProbs.Meta meta = new TeacherProbs.Meta(HadoopInputs.display(new Path(in.run().dir())),
                    PassInputs.modelFile(config.model()), config.temperature(), in.table().numClasses(),
                    in.table().name(), fingerprint, config.data(), rows, seconds);
            output.writeText(TeacherProbs.META, Json.write(meta));
            output.commit();
            LOG.info("teacher-probs: {} rows to {} in {} s", rows, output.out(), seconds);
            return new Result(HadoopInputs.display(new Path(output.out())), rows, config.temperature(), seconds);
        }
    }

    /**
     * The teacher's forward pass over {@code examples}, softened at {@code temperature}, written as the
     * Parquet table {@code dir} ({@link TeacherProbs#SCHEMA}); returns its row count. {@code teacher} names
     * the model in errors.
     */
    public static long writeProbs(SparkSession spark, ComputationGraph teacher, ExamplesTable table,
                                  Dataset<Row> examples, double temperature, int batch, String dir, String name) {
        Predictions.predict(spark, teacher, table, examples, batch)
                .map(new Soften(temperature, name), Encoders.row(TeacherProbs.SCHEMA))
                .write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(dir);
        return spark.read().parquet(dir).count();
    }

    /**
     * A row of the predictions pass → a row of {@link TeacherProbs#SCHEMA}. Columns by their position
     * in {@link Predictions#SCHEMA}: Spark hands the pass's rows over as they were made, without a schema.
     */
    static final class Soften implements MapFunction<Row, Row> {
        private static final long serialVersionUID = 1L;
        private static final int ID = Predictions.SCHEMA.fieldIndex(ExamplesSchema.ID);
        private final double temperature;
        private final String teacher;

        Soften(double temperature, String teacher) {
            this.temperature = temperature;
            this.teacher = teacher;
        }

        @Override
        public Row call(Row prediction) {
            String id = prediction.getString(ID);
            float[] p = Predictions.probs(prediction);
            float[] logits = new float[p.length];
            for (int k = 0; k < logits.length; k++) {
                float q = p[k];
                if (!Float.isFinite(q)) {
                    throw new BadInputException(teacher + ": the model gives probability " + q
                            + " for training example '" + id + "' (did its training diverge?)");
                }
                logits[k] = q > 0 ? (float) Math.log(q) : LOG_OF_ZERO;
            }
            return RowFactory.create(id, logits, DistillationLabels.soften(logits, temperature), (float) temperature);
        }
    }
}
