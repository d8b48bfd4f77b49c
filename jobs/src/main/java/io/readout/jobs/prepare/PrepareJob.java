package io.readout.jobs.prepare;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.JsonFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * {@code readout prepare}: turns a dataset into the examples table. The output folder holds
 * {@code examples/} (Parquet, partitioned by split), {@code dataset.json} and {@code _SUCCESS}.
 * Stages: build the examples
 * (on the executors where the source reads files) → check them (ids unique, labels and splits in
 * range, no empty split) → count per split and group → write Parquet partitioned by split,
 * {@code shards} files per split, rows sorted by id → {@code dataset.json} → commit by rename.
 * Same inputs and seed, same rows in the same files.
 */
public final class PrepareJob {
    /** The table sits in a subfolder so that Spark reading it never meets dataset.json. */
    public static final String EXAMPLES_DIR = ExamplesTable.EXAMPLES_DIR;
    public static final String DATASET_JSON = ExamplesTable.DATASET_JSON;
    private static final Logger LOG = LoggerFactory.getLogger(PrepareJob.class);

    /** What was written: the committed folder and the counts. */
    public record Result(String out, Counts counts, DatasetJson datasetJson) {
        /** What {@code readout prepare} prints: the counts per split and group, then where the table is. */
        public String format() {
            return counts.format() + "wrote " + HadoopInputs.display(new Path(out)) + System.lineSeparator();
        }
    }

    /**
     * {@code dataset.json}: the dataset's name and seed, files per split, classes, the kind of features (an image's
     * shape and layout, a vector's length, or {@code text}), what the source says of itself, the counts and the config.
     */
    @JsonPropertyOrder({"name", "seed", "shards_per_split", "num_classes", "features", "image_shape", "image_layout",
            "num_features", "source", "counts", "config"})
    public record DatasetJson(String name, long seed, @JsonProperty("shards_per_split") int shardsPerSplit,
                              @JsonProperty("num_classes") int numClasses, String features,
                              @JsonProperty("image_shape") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode imageShape,
                              @JsonProperty("image_layout") @JsonInclude(JsonInclude.Include.NON_NULL) String imageLayout,
                              @JsonProperty("num_features") @JsonInclude(JsonInclude.Include.NON_NULL) Integer numFeatures,
                              ObjectNode source, Map<String, Counts.SplitCounts> counts, PrepareConfig.Described config) {

        /**
         * The file of a table of images ({@code numFeatures} null) or of vectors of {@code numFeatures} values.
         *
         * @param described what the dataset's source says of itself ({@link DatasetSource#describe()})
         */
        static DatasetJson of(PrepareConfig config, String name, Object described, Counts counts, Integer numFeatures) {
            ObjectNode source = JsonFiles.tree(described);
            boolean image = numFeatures == null;
            // An image table's shape is written even when the source gives none (null), as before.
            JsonNode imageShape = !image ? null : source.has("image_shape") ? source.get("image_shape")
                    : NullNode.getInstance();
            return new DatasetJson(name, config.seed(), config.shards(), counts.numClasses(), image ? "image" : "vector",
                    imageShape, image ? "CHW, one unsigned byte per value (pixel / 255 gives [0, 1])" : null, numFeatures,
                    source, counts.toJson(), config.describe());
        }

        /** The file of a table of raw text ({@code text}, {@code text_pair}): no tensor shape yet. */
        static DatasetJson ofText(PrepareConfig config, String name, Object described, Counts counts) {
            return new DatasetJson(name, config.seed(), config.shards(), counts.numClasses(), "text", null, null, null,
                    JsonFiles.tree(described), counts.toJson(), config.describe());
        }
    }

    private PrepareJob() {
    }

    public static Result run(SparkSession spark, PrepareConfig config) {
        config.validate();
        LOG.info("prepare: {}", JsonFiles.compact(config.describe()));
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        DatasetSource source = DatasetSources.create(config.dataset(), config.seed(), config.source(), inputs);
        try (AtomicOutput output = AtomicOutput.begin(inputs.conf(), config.out(), config.overwrite(), "--out")) {
            Dataset<Row> table = ExamplesSchema.canonical(source.examples(spark))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Counts counts = check(table, config.dataset());
                writeTable(table, config.shards(), output.tmp() + "/" + EXAMPLES_DIR);
                DatasetJson json = datasetJson(config, source, table, counts);
                output.writeText(DATASET_JSON, Json.write(json));
                output.commit();
                return new Result(output.out(), counts, json);
            } finally {
                table.unpersist();
            }
        }
    }

    /** The table-wide checks of the contract, in Spark SQL; returns the counts per split and group. */
    static Counts check(Dataset<Row> table, String dataset) {
        Row overall = table.agg(
                count(lit(1)).as("n"),
                countDistinct(col(ExamplesSchema.ID)).as("ids"),
                sum(when(col(ExamplesSchema.ID).isNull(), 1).otherwise(0)).as("null_ids"),
                min(col(ExamplesSchema.LABEL)).as("min_label"),
                max(col(ExamplesSchema.LABEL)).as("max_label")).first();
        long n = overall.getLong(0);
        if (n == 0) {
            throw new BadInputException(dataset + ": the dataset has no examples");
        }
        if (overall.getLong(2) > 0) {
            throw new BadInputException(dataset + ": " + overall.getLong(2) + " examples have no id");
        }
        if (overall.getLong(1) != n) {
            Row dup = table.groupBy(ExamplesSchema.ID).count().where(col("count").gt(1)).first();
            throw new BadInputException(dataset + ": id '" + dup.getString(0) + "' occurs " + dup.getLong(1)
                    + " times; ids must be unique");
        }
        if (overall.isNullAt(3) || overall.getInt(3) < 0) {
            Row bad = table.where(col(ExamplesSchema.LABEL).isNull().or(col(ExamplesSchema.LABEL).lt(0))).first();
            throw new BadInputException(dataset + ": example '" + bad.getAs(ExamplesSchema.ID)
                    + "': label " + bad.getAs(ExamplesSchema.LABEL) + " is out of range");
        }
        Counts counts = Counts.of(table);
        for (Split s : Split.values()) {
            if (counts.total(s) == 0) {
                throw new BadInputException(dataset + ": split '" + s.column() + "' has no examples");
            }
        }
        return counts;
    }

    /**
     * Writes an examples table as every prepared dataset holds it: partitioned by split, {@code shards} files per
     * split by a hash of the id, rows sorted by id (the same rows give the same files).
     */
    public static void writeTable(Dataset<Row> table, int shards, String dir) {
        table.repartition(shards, col(ExamplesSchema.ID))
                .sortWithinPartitions(ExamplesSchema.ID)
                .write()
                .option("compression", "snappy")
                .partitionBy(ExamplesSchema.SPLIT)
                .parquet(dir);
    }

    private static DatasetJson datasetJson(PrepareConfig config, DatasetSource source, Dataset<Row> table,
                                           Counts counts) {
        if (ExamplesSchema.isText(table.schema())) {
            return DatasetJson.ofText(config, source.name(), source.describe(), counts);
        }
        Integer numFeatures = null;
        if (!ExamplesSchema.isImage(table.schema())) {
            Row first = table.select(org.apache.spark.sql.functions.size(col(ExamplesSchema.FEATURES))).first();
            numFeatures = first.getInt(0);
        }
        return DatasetJson.of(config, source.name(), source.describe(), counts, numFeatures);
    }

    /** Example counts per split, group, label and attribute. */
    public record Counts(Map<String, Map<Integer, Long>> bySplitAndGroup, List<Row> rows, int numClasses) {

        static Counts of(Dataset<Row> table) {
            List<Row> rows = table.groupBy(ExamplesSchema.SPLIT, ExamplesSchema.GROUP, ExamplesSchema.LABEL,
                            ExamplesSchema.ATTRIBUTE)
                    .count()
                    .orderBy(ExamplesSchema.SPLIT, ExamplesSchema.GROUP, ExamplesSchema.LABEL, ExamplesSchema.ATTRIBUTE)
                    .collectAsList();
            Map<String, Map<Integer, Long>> m = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                m.put(s.column(), new TreeMap<>());
            }
            int maxLabel = -1;
            for (Row r : rows) {
                Integer g = r.isNullAt(1) ? -1 : r.getInt(1);
                m.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).merge(g, r.getLong(4), Long::sum);
                maxLabel = Math.max(maxLabel, r.getInt(2));
            }
            return new Counts(m, rows, maxLabel + 1);
        }

        public long total(Split s) {
            return bySplitAndGroup.getOrDefault(s.column(), Map.of()).values().stream().mapToLong(Long::longValue).sum();
        }

        public long count(Split s, int group) {
            return bySplitAndGroup.getOrDefault(s.column(), Map.of()).getOrDefault(group, 0L);
        }

        /** One split's counts in dataset.json: its total, and per group ({@code none}: examples without one). */
        @JsonPropertyOrder({"total", "groups"})
        public record SplitCounts(long total, Map<String, Long> groups) {
        }

        /** The counts as dataset.json holds them, per split in the splits' order. */
        Map<String, SplitCounts> toJson() {
            Map<String, SplitCounts> out = new LinkedHashMap<>();
            for (Split s : Split.values()) {
                Map<String, Long> groups = new LinkedHashMap<>();
                bySplitAndGroup.get(s.column()).forEach((g, n) -> groups.put(g < 0 ? "none" : String.valueOf(g), n));
                out.put(s.column(), new SplitCounts(total(s), groups));
            }
            return out;
        }

        /** The printed table: one line per split and group, with its label and attribute. */
        public String format() {
            StringBuilder b = new StringBuilder(String.format("%-6s %6s %6s %10s %8s%n", "split", "group", "label",
                    "attribute", "n"));
            List<String> order = new ArrayList<>();
            for (Split s : Split.values()) {
                order.add(s.column());
            }
            for (String split : order) {
                for (Row r : rows) {
                    if (split.equals(r.getString(0))) {
                        b.append(String.format("%-6s %6s %6d %10s %8d%n", split, r.isNullAt(1) ? "-" : r.getInt(1),
                                r.getInt(2), r.isNullAt(3) ? "-" : r.getInt(3), r.getLong(4)));
                    }
                }
                b.append(String.format("%-6s %6s %6s %10s %8d%n", split, "all", "", "",
                        total(Split.valueOf(split.toUpperCase(Locale.ROOT)))));
            }
            return b.toString();
        }
    }
}
