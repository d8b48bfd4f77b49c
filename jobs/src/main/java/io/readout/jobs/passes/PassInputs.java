package io.readout.jobs.passes;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.featurize.Featurized;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;

/**
 * What the forward passes over a run's model share ({@code predict}, {@code evaluate},
 * {@code teacher-probs}, {@code weights}): the {@code --split} and {@code --model} choices, and
 * opening a run's model with the data it is to run on, checked against each other before anything
 * is computed or written.
 */
public final class PassInputs {
    static final String ALL = "all";
    /** {@code --model final}: the run's {@code model.zip}. */
    public static final String FINAL = "final";
    /** {@code --model best}: the run's {@code best.zip}, the validation-selected epoch. */
    public static final String BEST = "best";
    /** What {@code teacher-probs} and {@code weights} called {@code final} before: refused with a hint. */
    private static final String OLD_FINAL = "model";

    /** The run, its model, the dataset and the rows of the chosen splits (lazy). */
    public record Opened(RunDir run, String modelPath, ComputationGraph model, ExamplesTable table, Dataset<Row> examples) {
    }

    private PassInputs() {
    }

    /**
     * Parses {@code --split}: one of {@code allowed}, or {@code all} for all of them.
     */
    public static List<Split> splits(String value, List<Split> allowed) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (ALL.equals(v)) {
            return allowed;
        }
        for (Split s : allowed) {
            if (s.column().equals(v)) {
                return List.of(s);
            }
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(s -> names.add(s.column()));
        names.add(ALL);
        throw new BadInputException("--split '" + value + "' is not one of " + String.join(", ", names));
    }

    /** The file of {@code --model final|best} in a run directory. */
    public static String modelFile(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case FINAL -> RunDir.MODEL;
            case BEST -> RunDir.BEST;
            case OLD_FINAL -> throw new BadInputException("--model model is now --model final (the run's model.zip)");
            default -> throw new BadInputException("--model '" + value + "' is not one of final, best");
        };
    }

    public static Opened open(SparkSession spark, String runDir, String modelChoice, String dataDir, List<Split> splits) {
        return open(spark, "--run", runDir, modelChoice, dataDir, splits);
    }

    /**
     * Opens a run's model and a prepared dataset and checks that the model runs on it.
     *
     * @param runFlag how the user named the run, e.g. {@code --teacher}
     */
    public static Opened open(SparkSession spark, String runFlag, String runDir, String modelChoice, String dataDir,
                              List<Split> splits) {
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        RunDir run = RunDir.open(inputs.conf(), runDir, runFlag);
        String modelFile = modelFile(modelChoice);
        ComputationGraph model = run.loadModel(modelFile);
        ExamplesTable table = ExamplesTable.open(inputs, dataDir, "--data");
        List<String> names = new ArrayList<>();
        splits.forEach(s -> names.add(s.column()));
        Dataset<Row> examples = table.read(spark).where(col(ExamplesSchema.SPLIT).isin(names.toArray()));
        if (table.isText()) {
            // New text goes through the featurizer of the data the model was trained on.
            return asTrained(inputs, run, runFlag, modelFile, model, examples, "--data " + dataDir);
        }
        return checked(run, modelFile, model, table, examples, "--data " + dataDir);
    }

    /**
     * Opens a run's model and a file of new texts, featurized by the featurizer of the run's training data.
     */
    public static Opened openTexts(SparkSession spark, String runDir, String modelChoice, NewTexts.Source source) {
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        RunDir run = RunDir.open(inputs.conf(), runDir, "--run");
        String modelFile = modelFile(modelChoice);
        ComputationGraph model = run.loadModel(modelFile);
        return asTrained(inputs, run, "--run", modelFile, model, NewTexts.read(spark, source),
                "--text " + source.file());
    }

    /** Text rows featurized as the run's training data was, opened with that data's table and checked. */
    private static Opened asTrained(HadoopInputs inputs, RunDir run, String runFlag, String modelFile,
                                    ComputationGraph model, Dataset<Row> texts, String what) {
        Featurized featurizer = trainingFeaturizer(inputs, run, runFlag, what);
        Dataset<Row> examples = featurizer.apply(texts, what);
        ExamplesTable table = ExamplesTable.open(inputs, featurizer.dir(), "the run's training data");
        return checked(run, modelFile, model, table, examples, what);
    }

    /** The opened inputs, once the model is known to run on the table ({@link ModelCompatibility}). */
    private static Opened checked(RunDir run, String modelFile, ComputationGraph model, ExamplesTable table,
                                  Dataset<Row> examples, String dataName) {
        String modelPath = HadoopInputs.display(new Path(run.path(modelFile)));
        ModelCompatibility.require(model, table, modelPath, dataName);
        return new Opened(run, modelPath, model, table, examples);
    }

    /**
     * The featurizer of the dataset a run was trained on (its config.json's {@code data}), for text tables.
     */
    static Featurized trainingFeaturizer(HadoopInputs inputs, RunDir run, String runFlag, String texts) {
        JsonNode data = JsonFiles.readObject(run.readText(RunDir.CONFIG), run.path(RunDir.CONFIG)).get("data");
        String trained = data == null || !data.isTextual() ? null : data.textValue();
        if (trained == null || !inputs.exists(trained) || !Featurized.isFeaturized(inputs, trained)) {
            throw new BadInputException(texts + " holds text: it is featurized with the featurizer of"
                    + " the data " + runFlag + " " + run.dir() + " was trained on, but "
                    + (trained == null ? "its config.json names no data" : trained + " is not a featurized dataset here")
                    + "; run readout featurize, or predict on featurized data");
        }
        return Featurized.open(inputs, trained, runFlag + "'s training data");
    }
}
