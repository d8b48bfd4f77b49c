package io.readout.jobs.passes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A teacher-probs table, as {@link TeacherProbsJob} writes it and the distillation methods read it:
 * {@code probs/} (Parquet, one row per training example: {@code id}, {@code logits} — the log of the
 * teacher's softmax, its logits up to a per-row constant —, {@code probs} = softmax(logits / T),
 * {@code temperature}), {@code teacher_probs.json} ({@link Meta}) and {@code _SUCCESS}. Students join
 * it to the examples by {@code id}.
 */
public final class TeacherProbs {
    public static final String PROBS_DIR = "probs";
    public static final String META = "teacher_probs.json";
    public static final String LOGITS = "logits";
    public static final String PROBS = "probs";
    public static final String TEMPERATURE = "temperature";

    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ExamplesSchema.ID, DataTypes.StringType, false),
        DataTypes.createStructField(LOGITS, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(PROBS, DataTypes.createArrayType(DataTypes.FloatType, false), false),
        DataTypes.createStructField(TEMPERATURE, DataTypes.FloatType, false),
    });

    /**
     * {@code teacher_probs.json}: where the probabilities come from.
     *
     * @param teacher            the teacher's run folder
     * @param model              the model file in it ({@code model.zip} or {@code best.zip})
     * @param datasetFingerprint SHA-256 of the data's {@code dataset.json}: the same prepared dataset,
     *                           wherever it lies
     * @param rows               rows of {@code probs/}: the training split's examples
     */
    @JsonPropertyOrder({"teacher", "model", "temperature", "num_classes", "dataset", "dataset_fingerprint", "data",
            "rows", "seconds"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Meta(String teacher, String model, double temperature,
                       @JsonProperty("num_classes") int numClasses, String dataset,
                       @JsonProperty("dataset_fingerprint") String datasetFingerprint, String data, long rows,
                       double seconds) {

        /** A file as written: temperature, classes and rows required; seconds NaN in files without them. */
        @JsonCreator
        static Meta fromJson(@JsonProperty("teacher") String teacher, @JsonProperty("model") String model,
                             @JsonProperty("temperature") Double temperature,
                             @JsonProperty("num_classes") Integer numClasses, @JsonProperty("dataset") String dataset,
                             @JsonProperty("dataset_fingerprint") String datasetFingerprint,
                             @JsonProperty("data") String data, @JsonProperty("rows") Long rows,
                             @JsonProperty("seconds") Double seconds) {
            return new Meta(teacher, model, required(temperature, "temperature"), required(numClasses, "num_classes"),
                    dataset, datasetFingerprint, data, required(rows, "rows"), seconds == null ? Double.NaN : seconds);
        }

        private static <T> T required(T value, String key) {
            if (value == null) {
                throw new IllegalArgumentException("no " + key);
            }
            return value;
        }
    }

    /** A complete table: its folder and what its {@code teacher_probs.json} says. */
    public record Table(String dir, Meta meta) {
        /** The rows of {@code probs/}. */
        public Dataset<Row> read(SparkSession spark) {
            return spark.read().parquet(HadoopInputs.child(dir, PROBS_DIR));
        }
    }

    private TeacherProbs() {
    }

    /**
     * Opens a complete table; {@code flag} names it in errors.
     *
     * @throws BadInputException when the folder is missing, incomplete or not a teacher-probs table
     */
    public static Table open(HadoopInputs inputs, String dir, String flag) {
        inputs.requireDirectory(dir, flag);
        if (!inputs.exists(HadoopInputs.child(dir, AtomicOutput.SUCCESS))) {
            throw new BadInputException(flag + " " + dir + ": not a complete teacher-probs table (no _SUCCESS); "
                    + "run readout teacher-probs");
        }
        String json = HadoopInputs.child(dir, META);
        ObjectNode m = JsonFiles.readObject(new String(inputs.readAll(json, flag), StandardCharsets.UTF_8), json);
        try {
            return new Table(dir, Json.mapper().treeToValue(m, Meta.class));
        } catch (JsonProcessingException e) {
            // A value the record refuses (a required key missing) comes as the cause; a wrong type, as the message.
            String because = e.getCause() != null ? e.getCause().getMessage() : e.getOriginalMessage();
            throw new BadInputException(json + ": not a teacher_probs.json (" + because + ")", e);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(json + ": not a teacher_probs.json (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Checks a table against the data and the temperature a student trains with: the same prepared
     * dataset (name and {@code dataset.json}), the same classes, the same temperature.
     */
    public static void requireFits(Table t, HadoopInputs inputs, ExamplesTable data, String dataFlag,
                                   double temperature, String flag) {
        Meta m = t.meta();
        String where = flag + " " + t.dir();
        if (!data.name().equals(m.dataset()) || !fingerprint(inputs, data, dataFlag).equals(m.datasetFingerprint())) {
            throw new BadInputException(where + ": computed on dataset '" + m.dataset() + "' at " + m.data()
                    + ", not on " + dataFlag + " " + data.dir() + " (another dataset.json); run readout teacher-probs"
                    + " on " + data.dir());
        }
        if (m.numClasses() != data.numClasses()) {
            throw new BadInputException(where + ": holds probabilities of " + m.numClasses() + " classes, but "
                    + dataFlag + " " + data.dir() + " has " + data.numClasses());
        }
        if (Float.compare((float) m.temperature(), (float) temperature) != 0) {
            throw new BadInputException(where + ": softened at temperature " + m.temperature() + ", but --temperature is "
                    + temperature + "; pass --temperature " + m.temperature()
                    + " or run readout teacher-probs --temperature " + temperature);
        }
    }

    /**
     * Checks that every training example has exactly one row, with one Spark aggregation over
     * {@code train} left-joined with the table by id.
     */
    public static void requireCovers(SparkSession spark, Table t, Dataset<Row> train, String flag) {
        IdCoverage c = IdCoverage.of(train, t.read(spark));
        long rows = c.rows();
        long examples = c.examples();
        long missing = c.missing();
        if (missing > 0) {
            throw new BadInputException(flag + " " + t.dir() + ": " + missing + " of the " + examples
                    + " training examples have no teacher probabilities (e.g. id '" + c.firstMissing()
                    + "'); the table was computed for other examples");
        }
        if (rows != examples) {
            throw new BadInputException(flag + " " + t.dir() + ": holds " + (rows - examples)
                    + " duplicate rows for training examples; an id must appear once");
        }
    }

    /** SHA-256 of a prepared dataset's {@code dataset.json}, in hex. */
    static String fingerprint(HadoopInputs inputs, ExamplesTable data, String dataFlag) {
        byte[] json = inputs.readAll(HadoopInputs.child(data.dir(), ExamplesTable.DATASET_JSON), dataFlag);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
