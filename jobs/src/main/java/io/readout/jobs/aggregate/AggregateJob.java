package io.readout.jobs.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Seq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_position;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

/**
 * {@code readout aggregate --run ROOT}: every seed's figures of a pipeline run with a seed list, summarised over
 * the seeds. Stages: read each seed's {@code seed=S/<run>/metrics/<split>.json} and
 * {@code metrics/best/<split>.json} on the driver (tiny files; a missing or malformed one is bad input naming
 * it) into a DataFrame of (run, model, split, metric, seed, value) → Spark SQL groups it by run, model, split
 * and metric, each group's values sorted by seed, and {@link SeedSummary} gives mean, std, min, max and n
 * (sorted, so the sums and the files are the same on every run) → the same for the paired differences
 * against the baselines ({@link SeedFigures#BASELINES}), joined by model, split and metric and paired by
 * seed → write {@value StagePlan#AGGREGATE_DIR}/ through {@link AtomicOutput}: Parquet tables
 * {@value AggregateFiles#SEEDS_TABLE}/ and {@value AggregateFiles#METHODS_TABLE}/, and
 * {@value AggregateFiles#METHODS_JSON} and {@value AggregateFiles#PAIRED_JSON} ({@link AggregateFiles}).
 */
public final class AggregateJob {
    private static final Logger LOG = LoggerFactory.getLogger(AggregateJob.class);
    private static final List<String> KEYS = List.of("run", "model", "split", "metric");
    static final StructType SEEDS_SCHEMA = new StructType()
            .add("run", DataTypes.StringType, false)
            .add("model", DataTypes.StringType, false)
            .add("split", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("seed", DataTypes.LongType, false)
            .add("value", DataTypes.DoubleType, false);
    private static final StructType SUMMARY = new StructType()
            .add("mean", DataTypes.DoubleType, false)
            .add("std", DataTypes.DoubleType, true)
            .add("min", DataTypes.DoubleType, false)
            .add("max", DataTypes.DoubleType, false)
            .add("n", DataTypes.LongType, false);

    /** What was aggregated and where it was written. */
    public record Result(List<Long> seeds, AggregateFiles.Aggregate aggregate, String dir) {
        /** What {@code readout aggregate} prints: the table over the seeds, then the files written. */
        public String format() {
            StringBuilder b = new StringBuilder(MethodsTable.formatSeeds(aggregate.methods(), seeds));
            for (String f : List.of(AggregateFiles.METHODS_JSON, AggregateFiles.PAIRED_JSON, AggregateFiles.SEEDS_TABLE,
                    AggregateFiles.METHODS_TABLE)) {
                b.append("wrote ").append(dir).append('/').append(f).append(System.lineSeparator());
            }
            return b.toString();
        }
    }

    private AggregateJob() {
    }

    public static Result run(SparkSession spark, AggregateConfig config) {
        config.validate();
        LOG.info("aggregate: {}", config);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        RunDir root = RunDir.open(conf, config.root(), "ROOT");
        PipelineRoot.Record pipeline = record(root);
        List<Long> seeds = config.seeds() != null ? config.seeds() : pipeline.seeds();
        List<String> runs = new ArrayList<>();
        Dataset<Row> perSeed = spark.createDataFrame(figures(conf, root, seeds, pipeline.runs(), runs),
                SEEDS_SCHEMA);
        Dataset<Row> grouped = perSeed.groupBy(KEYS.stream().map(org.apache.spark.sql.functions::col)
                        .toArray(Column[]::new))
                .agg(array_sort(collect_list(struct(col("seed"), col("value")))).as("values"));
        Dataset<Row> methods = summarised(grouped.select(col("run"), col("model"), col("split"), col("metric"),
                summaryOf().apply(col("values")).as("s")))
                .orderBy(rank("run", runs), rank("model", SeedFigures.MODELS), rank("split", SeedFigures.SPLITS),
                        rank("metric", SeedFigures.METRICS));
        Dataset<Row> baselines = grouped.filter(col("run").isin(SeedFigures.BASELINES.toArray()))
                .select(col("run").as("baseline"), col("model").as("b_model"), col("split").as("b_split"),
                        col("metric").as("b_metric"), col("values").as("b_values"));
        Dataset<Row> paired = summarised(grouped.join(baselines, col("model").equalTo(col("b_model"))
                        .and(col("split").equalTo(col("b_split"))).and(col("metric").equalTo(col("b_metric"))))
                .filter(col("run").notEqual(col("baseline")))
                .select(col("run"), col("baseline"), col("model"), col("split"), col("metric"),
                        pairedOf().apply(col("values"), col("b_values")).as("s"))
                .filter(col("s").isNotNull()))
                .orderBy(rank("baseline", SeedFigures.BASELINES), rank("run", runs), rank("model", SeedFigures.MODELS),
                        rank("split", SeedFigures.SPLITS), rank("metric", SeedFigures.METRICS));

        List<AggregateFiles.Method> methodList = new ArrayList<>();
        for (Row r : methods.collectAsList()) {
            methodList.add(new AggregateFiles.Method(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    summary(r, 4)));
        }
        List<AggregateFiles.Paired> pairedList = new ArrayList<>();
        for (Row r : paired.collectAsList()) {
            pairedList.add(new AggregateFiles.Paired(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    r.getString(4), summary(r, 5)));
        }
        try (AtomicOutput out = AtomicOutput.begin(conf, HadoopInputs.child(root.dir(), PipelineRoot.AGGREGATE_DIR), true,
                "ROOT")) {
            // One file per table, rows in the table's order: the same seeds give the same rows.
            perSeed.orderBy(rank("run", runs), rank("model", SeedFigures.MODELS), rank("split", SeedFigures.SPLITS),
                            rank("metric", SeedFigures.METRICS), col("seed"))
                    .coalesce(1).write().parquet(HadoopInputs.child(out.tmp(), AggregateFiles.SEEDS_TABLE));
            methods.coalesce(1).write().parquet(HadoopInputs.child(out.tmp(), AggregateFiles.METHODS_TABLE));
            out.writeText(AggregateFiles.METHODS_JSON, Json.write(methodList));
            out.writeText(AggregateFiles.PAIRED_JSON, Json.write(pairedList));
            out.writeText(AggregateFiles.RESULTS_JSON, Json.write(results(conf, root, pipeline, seeds, methodList,
                    pairedList)));
            out.commit();
            LOG.info("aggregate: {} figures of {} runs over seeds {} in {}", methodList.size(), runs.size(), seeds,
                    out.out());
            return new Result(List.copyOf(seeds), new AggregateFiles.Aggregate(List.copyOf(methodList),
                    List.copyOf(pairedList)), HadoopInputs.display(new Path(out.out())));
        }
    }

    /**
     * {@value AggregateFiles#RESULTS_JSON}: the dataset's name and rho (null when it has none) from the first seed's
     * data, the epochs of its first student (the teacher's when there is none), the seeds, this machine's cpu,
     * the command that reruns the pipeline as run ({@code ROOT/pipeline.json} holds its config), and the figures.
     * rho and epochs are copied as their files hold them (a whole number stays whole).
     */
    record Results(String dataset, JsonNode rho, JsonNode epochs, List<Long> seeds, MachineCpu cpu, String command,
                   List<AggregateFiles.Method> methods, List<AggregateFiles.Paired> paired) {
    }

    static Results results(Configuration conf, RunDir root, PipelineRoot.Record pipeline, List<Long> seeds,
                           List<AggregateFiles.Method> methods, List<AggregateFiles.Paired> paired) {
        String seedRoot = HadoopInputs.child(root.dir(), PipelineRoot.seedDir(seeds.get(0)));
        List<String> folders = pipeline.runs();
        String run = folders.stream().filter(f -> f.startsWith("students/")).findFirst().orElse(folders.get(0));
        RunDir first = new RunDir(conf, HadoopInputs.child(seedRoot, run));
        String configWhere = HadoopInputs.display(new Path(first.path(RunDir.CONFIG)));
        JsonNode trained = AggregateFiles.tree(first.readText(RunDir.CONFIG), configWhere);
        JsonNode dataNode = trained.get("data");
        String data = dataNode != null && dataNode.isTextual() ? dataNode.asText() : String.valueOf(dataNode);
        String datasetJson = HadoopInputs.child(data, ExamplesTable.DATASET_JSON);
        JsonNode dataset = AggregateFiles.tree(new String(new HadoopInputs(conf).readAll(datasetJson, "data"),
                StandardCharsets.UTF_8), datasetJson);
        return results(trained, dataset, seeds, MachineCpu.current(), HadoopInputs.display(new Path(
                root.path(PipelineRoot.CONFIG))), methods, paired);
    }

    /** results.json from the first run's config.json and its dataset.json, as read. */
    static Results results(JsonNode trained, JsonNode dataset, List<Long> seeds, MachineCpu cpu, String pipelineJson,
                           List<AggregateFiles.Method> methods, List<AggregateFiles.Paired> paired) {
        JsonNode source = dataset.get("source");
        JsonNode name = dataset.get("name");
        return new Results(name == null || name.isNull() ? null : name.asText(),
                source != null && source.isObject() ? source.get("rho") : null, trained.get("epochs"), seeds, cpu,
                "readout pipeline --config " + pipelineJson + " --seeds "
                        + String.join(",", seeds.stream().map(String::valueOf).toList()), methods, paired);
    }

    /** What the root's pipeline.json says it ran, which must be a seed list. */
    private static PipelineRoot.Record record(RunDir root) {
        PipelineRoot.Record record = PipelineRoot.record(root.conf(), root.dir());
        if (record == null) {
            throw new BadInputException("ROOT " + HadoopInputs.display(new Path(root.dir())) + ": no "
                    + PipelineRoot.CONFIG + " (aggregate reads the root of a readout pipeline run with seeds)");
        }
        if (!record.seedList()) {
            throw new BadInputException(HadoopInputs.display(new Path(root.path(PipelineRoot.CONFIG)))
                    + ": no seed list (seeds): nothing to aggregate over seeds");
        }
        return record;
    }

    /**
     * Every figure of every seed's runs, seed by seed, as rows of {@link #SEEDS_SCHEMA}; {@code labels} receives
     * the runs' names in the table's order.
     */
    private static List<Row> figures(Configuration conf, RunDir root, List<Long> seeds, List<String> folders,
                                     List<String> labels) {
        List<Row> rows = new ArrayList<>();
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (long seed : seeds) {
            String seedRoot = HadoopInputs.child(root.dir(), PipelineRoot.seedDir(seed));
            Map<String, String> label = MethodsTable.labels(conf, seedRoot, folders);
            for (String folder : folders) {
                RunDir run = new RunDir(conf, HadoopInputs.child(seedRoot, folder));
                names.add(label.get(folder));
                for (String model : SeedFigures.MODELS) {
                    for (String split : SeedFigures.SPLITS) {
                        String file = SeedFigures.file(model, split);
                        String where = HadoopInputs.display(new Path(run.path(file)));
                        if (!run.exists(file)) {
                            throw new BadInputException(where + ": missing; evaluate seed " + seed + "'s " + folder
                                    + " first");
                        }
                        SeedFigures.of(AggregateFiles.tree(run.readText(file), where), where).forEach((metric, value) ->
                                rows.add(RowFactory.create(label.get(folder), model, split, metric, seed, value)));
                    }
                }
            }
        }
        labels.addAll(names);
        return rows;
    }

    /** (keys..., s: struct) → (keys..., mean, std, min, max, n). */
    private static Dataset<Row> summarised(Dataset<Row> withSummary) {
        List<Column> columns = new ArrayList<>();
        for (String c : withSummary.columns()) {
            if (!c.equals("s")) {
                columns.add(col(c));
            }
        }
        for (String f : SUMMARY.fieldNames()) {
            columns.add(col("s." + f).as(f));
        }
        return withSummary.select(columns.toArray(Column[]::new));
    }

    /** A column's position in {@code order} (1-based): sorts names as the tables list them. */
    private static Column rank(String column, List<String> order) {
        return array_position(array(order.stream().map(o -> lit(o)).toArray(Column[]::new)), col(column));
    }

    /** values: array&lt;struct&lt;seed, value&gt;&gt; sorted by seed → the summary struct. */
    private static UserDefinedFunction summaryOf() {
        return udf((UDF1<Seq<Row>, Row>) values -> row(SeedSummary.of(values(values))), SUMMARY);
    }

    /** (run's values, baseline's values) → the summary of run − baseline paired by seed, null without a common seed. */
    private static UserDefinedFunction pairedOf() {
        return udf((UDF2<Seq<Row>, Seq<Row>, Row>) (run, baseline) -> {
            SeedSummary s = SeedSummary.paired(seeds(run), values(run), seeds(baseline), values(baseline));
            return s == null ? null : row(s);
        }, SUMMARY);
    }

    private static double[] values(Seq<Row> rows) {
        double[] v = new double[rows.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rows.apply(i).getDouble(1);
        }
        return v;
    }

    private static long[] seeds(Seq<Row> rows) {
        long[] s = new long[rows.length()];
        for (int i = 0; i < s.length; i++) {
            s[i] = rows.apply(i).getLong(0);
        }
        return s;
    }

    private static Row row(SeedSummary s) {
        return RowFactory.create(s.mean(), s.std(), s.min(), s.max(), s.n());
    }

    private static SeedSummary summary(Row r, int from) {
        return new SeedSummary(r.getDouble(from), r.isNullAt(from + 1) ? null : r.getDouble(from + 1),
                r.getDouble(from + 2), r.getDouble(from + 3), r.getLong(from + 4));
    }
}
