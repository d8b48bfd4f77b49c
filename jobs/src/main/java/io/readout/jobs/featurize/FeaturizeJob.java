package io.readout.jobs.featurize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.prepare.PrepareJob;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * {@code readout featurize}: a prepared text table (raw {@code text}, {@code text_pair}) as a table the networks
 * read, plus the featurizer that made it. Stages: open the text table → fit the {@link TextFeaturizer} on the train
 * split only → featurize every split on the executors → write the table like {@code prepare} does (partitioned by
 * split, {@code shards} files per split, rows sorted by id; the texts kept beside the features) →
 * {@code featurizer/} (the Spark ML model), {@code vocabulary.txt}, {@code dataset.json} → commit by rename. Same
 * text table and options, same bytes.
 */
public final class FeaturizeJob {
    private static final Logger LOG = LoggerFactory.getLogger(FeaturizeJob.class);

    /** What was written. */
    public record Result(String out, TextInput input, int vocabulary, int numFeatures, long rows, double seconds) {
        /** What {@code readout featurize} prints. */
        public String format() {
            return String.format("featurized %d examples: %s, vocabulary %d, %d values per example (%.1f s)%n"
                    + "wrote %s%n", rows, input.flag(), vocabulary, numFeatures, seconds, out);
        }
    }

    private FeaturizeJob() {
    }

    public static Result run(SparkSession spark, FeaturizeConfig config) {
        config.validate();
        long start = System.nanoTime();
        LOG.info("featurize: {}", JsonFiles.compact(config));
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        ExamplesTable table = ExamplesTable.open(inputs, config.data(), "--data");
        if (!table.isText()) {
            throw new BadInputException("--data " + config.data() + ": '" + table.name()
                    + "' is not a text table (no raw text column); featurize reads what prepare wrote for a text dataset");
        }
        TextInput input = config.kind();
        Dataset<Row> rows = table.read(spark).persist(StorageLevel.MEMORY_AND_DISK());
        try (AtomicOutput output = AtomicOutput.begin(inputs.conf(), config.out(), config.overwrite(), "--out")) {
            boolean pair = !rows.where(col(ExamplesSchema.TEXT_PAIR).isNotNull()).isEmpty();
            Dataset<Row> train = rows.where(col(ExamplesSchema.SPLIT).equalTo(Split.TRAIN.column()));
            PipelineModel model = TextFeaturizer.fit(train, input, pair, config.vocabSize(), config.minDf());
            List<String> vocabulary = TextFeaturizer.vocabulary(model);
            Featurized.Layout layout = new Featurized.Layout(input, pair, vocabulary.size(), config.maxLength());
            Dataset<Row> featurized = TextFeaturizer.features(model, rows, input, pair, config.maxLength());
            PrepareJob.writeTable(featurized, config.shards(), output.tmp() + "/" + ExamplesTable.EXAMPLES_DIR);
            save(model, output.tmp() + "/" + Featurized.FEATURIZER_DIR);
            output.writeText(Featurized.VOCABULARY, String.join("\n", vocabulary) + "\n");
            output.writeText(ExamplesTable.DATASET_JSON, Json.write(datasetJson(inputs, table, config, layout)));
            long n = spark.read().parquet(output.tmp() + "/" + ExamplesTable.EXAMPLES_DIR).count();
            output.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            LOG.info("featurize: {} rows, vocabulary {}, to {} in {} s", n, vocabulary.size(), output.out(), seconds);
            return new Result(HadoopInputs.display(new Path(output.out())), input, vocabulary.size(),
                    layout.numFeatures(), n, seconds);
        } finally {
            rows.unpersist();
        }
    }

    private static void save(PipelineModel model, String dir) {
        try {
            model.write().save(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("featurize: could not write the featurizer to " + dir, e);
        }
    }

    /**
     * The text table's dataset.json with the features it now has and how they were made: {@code features}
     * ({@code vector} or {@code tokens}), {@code num_features}, {@code vocab_size} (tokens) and {@code featurization}.
     */
    static ObjectNode datasetJson(HadoopInputs inputs, ExamplesTable table, FeaturizeConfig config,
                                  Featurized.Layout layout) {
        ObjectNode json = Featurized.datasetJson(inputs, table.dir(), "--data");
        ObjectNode out = Json.mapper().createObjectNode();
        json.fields().forEachRemaining(e -> {
            out.set(e.getKey(), e.getValue());
            if (e.getKey().equals("features")) {
                out.put("features", layout.input().features());
                out.put("num_features", layout.numFeatures());
                if (layout.input() == TextInput.TOKENS) {
                    out.put("vocab_size", layout.vocabSize());
                }
            }
        });
        ObjectNode f = JsonFiles.tree(config);
        f.put("input", layout.input().flag());
        f.put("text_data", HadoopInputs.display(new Path(table.dir())));
        f.put("pairs", layout.pair());
        f.put("vocabulary", layout.vocabulary());
        f.put("fitted_on", Split.TRAIN.column());
        f.put("token_pattern", TextFeaturizer.TOKEN_PATTERN);
        f.put("normalization", "typographic apostrophes to ', lower-case, tokens = runs of letters and digits with"
                + " inner apostrophes");
        f.put("features_layout", layout.describe());
        out.set(Featurized.FEATURIZATION, f);
        return out;
    }
}
