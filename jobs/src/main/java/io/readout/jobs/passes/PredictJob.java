package io.readout.jobs.passes;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code readout predict}: a run's model over the chosen splits of a prepared dataset, or over a file of new texts
 * ({@link NewTexts}: label, group and attribute null, split {@value NewTexts#SPLIT}), written as a
 * Parquet table of {@link Predictions#SCHEMA} with {@code _SUCCESS}. Stages: open the run, its
 * model and the data and check they fit → predict on the executors → write into a hidden sibling →
 * commit by rename. A refused input writes nothing.
 */
public final class PredictJob {
    private static final Logger LOG = LoggerFactory.getLogger(PredictJob.class);

    /** The committed folder and its row count. */
    public record Result(String out, long rows) {
        /** What {@code readout predict} prints. */
        public String format() {
            return "wrote " + rows + " predictions to " + out + System.lineSeparator();
        }
    }

    private PredictJob() {
    }

    public static Result run(SparkSession spark, PredictConfig config) {
        config.validate();
        LOG.info("predict: {}", JsonFiles.compact(config));
        PassInputs.Opened in = config.text() != null
                ? PassInputs.openTexts(spark, config.run(), config.model(), config.text())
                : PassInputs.open(spark, config.run(), config.model(), config.data(), config.splits());
        try (AtomicOutput output = AtomicOutput.begin(spark.sparkContext().hadoopConfiguration(), config.out(),
                config.overwrite(), "--out")) {
            Dataset<Row> predictions = Predictions.predict(spark, in.model(), in.table(), in.examples(), config.batch());
            // The temporary folder exists already (AtomicOutput made it); the table fills it.
            predictions.write().mode(SaveMode.Overwrite).option("compression", "snappy").parquet(output.tmp());
            long rows = spark.read().parquet(output.tmp()).count();
            output.commit();
            LOG.info("predict: {} rows to {}", rows, output.out());
            return new Result(HadoopInputs.display(new Path(output.out())), rows);
        }
    }
}
