package io.readout.datasets.table;

import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.datasets.images.ImageDecoding;
import io.readout.datasets.images.LabelledImageFile;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.io.RowNumbers;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * A user's own dataset as a Parquet or CSV table (file or folder), read with Spark's readers
 * (CSV with a header row) and mapped to the examples table by {@link TableColumns}: feature
 * columns become a float vector ({@link ExamplesSchema#VECTOR}), or an image path column is
 * decoded on the executors ({@link ExamplesSchema#IMAGE}).
 *
 * <p>Every value is checked by one Spark SQL aggregation (grouped by split value) before
 * anything is built; the first bad row (in table order) is reported in one line naming the
 * input, the row number (1-based, in the order Spark reads the table), its id when the table has
 * an id column, the column and the value. Then ids must be unique and every split non-empty.
 * Without an id column, ids are {@code row-<row number>}: stable while the input is unchanged.
 */
public final class TableSource implements DatasetSource {
    public static final String NAME = "table";

    /** Columns added while checking, named so that no user table is expected to have them. */
    private static final String ROW = "__readout_row";
    private static final String PROBLEM = "__readout_problem";
    private static final String RAW_SPLIT = "__readout_split";
    private static final int MAX_DISTINCT_SPLITS = 1000;

    private final HadoopInputs inputs;
    private final String input;
    private final TableColumns cols;

    public TableSource(HadoopInputs inputs, String input, TableColumns cols) {
        this.inputs = inputs;
        this.input = input;
        this.cols = cols;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        FileStatus status = inputs.require(input, "table input");
        String format = cols.format() != null ? cols.format() : inferFormat(status);
        Dataset<Row> typed = typed(RowNumbers.add(spark, read(spark, format), ROW));
        Summary summary = checkAndSummarise(typed);
        if (cols.idCol() != null) {
            requireUniqueIds(typed);
        }
        Dataset<Row> examples = typed
                .withColumn(ExamplesSchema.SPLIT, canonicalSplit(summary.splits))
                .withColumn(ExamplesSchema.GROUP, group(summary));
        if (cols.isImage()) {
            return images(spark, examples, status, summary.rows);
        }
        Dataset<Row> vectors = examples.select(Arrays.stream(ExamplesSchema.VECTOR.fieldNames())
                .map(functions::col).toArray(Column[]::new));
        // Re-applied so the schema is exactly the contract's, non-nullable columns included:
        // the checks above guarantee the values.
        return spark.createDataFrame(vectors.javaRDD(), ExamplesSchema.VECTOR);
    }

    // ---- reading --------------------------------------------------------------------------------

    /** parquet or csv from the input's name, or from the first data file inside a folder. */
    String inferFormat(FileStatus status) {
        String fromName = formatOf(status.getPath().getName());
        if (fromName != null) {
            return fromName;
        }
        if (!status.isDirectory()) {
            throw new BadInputException("table input " + input
                    + ": cannot tell from its name whether it is Parquet or CSV; give the format");
        }
        String inside = formatInside(status.getPath().toString(), 3);
        if (inside == null) {
            throw new BadInputException("table input " + input
                    + ": no .parquet or .csv file inside; give the format or check the path");
        }
        return inside;
    }

    private String formatInside(String dir, int depth) {
        for (FileStatus s : inputs.list(dir, "table input")) {
            String name = s.getPath().getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            String f = s.isDirectory() ? (depth > 1 ? formatInside(s.getPath().toString(), depth - 1) : null)
                    : formatOf(name);
            if (f != null) {
                return f;
            }
        }
        return null;
    }

    private static String formatOf(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".parquet")) {
            return TableColumns.PARQUET;
        }
        if (n.endsWith(".csv") || n.contains(".csv.")) {
            return TableColumns.CSV;
        }
        return null;
    }

    private Dataset<Row> read(SparkSession spark, String format) {
        Dataset<Row> table;
        try {
            table = spark.read().format(format).option("header", "true").load(input);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage()).split("\n", 2)[0];
            throw new BadInputException("table input " + input + ": cannot read as " + format + ": " + m);
        }
        List<String> present = Arrays.asList(table.columns());
        for (String c : requiredColumns()) {
            if (!present.contains(c)) {
                throw new BadInputException(input + ": column '" + c + "' is missing (has: "
                        + String.join(", ", present) + ")");
            }
        }
        return table;
    }

    private List<String> requiredColumns() {
        Set<String> names = new LinkedHashSet<>();
        names.add(cols.labelCol());
        names.add(cols.splitCol());
        for (String c : Arrays.asList(cols.attributeCol(), cols.groupCol(), cols.idCol(), cols.imageCol())) {
            if (c != null) {
                names.add(c);
            }
        }
        names.addAll(cols.featureCols());
        return new ArrayList<>(names);
    }

    // ---- checking -------------------------------------------------------------------------------

    /**
     * Per row, what is wrong with its first bad value in any column used but the split (null for
     * a good row). Split values are checked per distinct value, by {@link Split#parse}.
     */
    private Column problem() {
        List<Column> checks = new ArrayList<>();
        checks.add(integerProblem(cols.labelCol(), false, cols.numClasses()));
        if (cols.attributeCol() != null) {
            checks.add(integerProblem(cols.attributeCol(), true, null));
        }
        if (cols.groupCol() != null) {
            checks.add(integerProblem(cols.groupCol(), true, null));
        }
        if (cols.idCol() != null) {
            checks.add(emptyProblem(cols.idCol()));
        }
        for (String f : cols.featureCols()) {
            checks.add(featureProblem(f));
        }
        if (cols.isImage()) {
            checks.add(emptyProblem(cols.imageCol()));
        }
        return functions.coalesce(checks.toArray(new Column[0]));
    }

    /** A problem message for a value that must be a non-negative integer (below {@code bound} if given). */
    private static Column integerProblem(String name, boolean nullable, Integer bound) {
        Column raw = column(name);
        Column value = raw.cast(DataTypes.StringType);
        Column number = tryCast(name, "double");
        String prefix = "column '" + name + "': value '";
        Column check = when(raw.isNull(), nullable ? lit(null).cast(DataTypes.StringType)
                        : lit("column '" + name + "': is empty"))
                .when(number.isNull().or(functions.isnan(number)),
                        concat(lit(prefix), value, lit("' is not an integer")))
                .when(number.lt(0), concat(lit(prefix), value, lit("' is negative")))
                .when(number.gt(Integer.MAX_VALUE), concat(lit(prefix), value, lit("' is too large")))
                .when(number.notEqual(functions.floor(number)),
                        concat(lit(prefix), value, lit("' is not an integer")));
        if (bound != null) {
            check = check.when(number.geq(bound), concat(lit(prefix), value,
                    lit("' is out of range (expected 0.." + (bound - 1) + " for " + bound + " classes)")));
        }
        return check;
    }

    private static Column featureProblem(String name) {
        Column raw = column(name);
        Column value = raw.cast(DataTypes.StringType);
        Column number = tryCast(name, "float");
        String prefix = "column '" + name + "': value '";
        return when(raw.isNull(), lit("column '" + name + "': is empty"))
                .when(number.isNull(), concat(lit(prefix), value, lit("' is not a number")))
                .when(functions.isnan(number).or(functions.abs(number).equalTo(Float.POSITIVE_INFINITY)),
                        concat(lit(prefix), value, lit("' is not finite")));
    }

    private static Column emptyProblem(String name) {
        Column value = column(name).cast(DataTypes.StringType);
        return when(value.isNull().or(functions.trim(value).equalTo("")), lit("column '" + name + "': is empty"));
    }

    private void requireUniqueIds(Dataset<Row> typed) {
        List<Row> dup = typed.groupBy(ExamplesSchema.ID)
                .agg(functions.count(lit(1)).as("n"), functions.min(ROW).as("first"))
                .where(functions.col("n").gt(1))
                .orderBy("first").limit(1).collectAsList();
        if (!dup.isEmpty()) {
            Row r = dup.get(0);
            throw new BadInputException(input + ": row " + (r.getLong(2) + 1) + ", column '" + cols.idCol()
                    + "': value '" + r.getString(0) + "' appears " + r.getLong(1) + " times (ids must be unique)");
        }
    }

    // ---- building -------------------------------------------------------------------------------

    /**
     * The table with the contract's id, label and attribute, the split as written, the row's
     * problem (null when good), and features or image path.
     */
    private Dataset<Row> typed(Dataset<Row> table) {
        Column id = cols.idCol() == null
                ? concat(lit("row-"), functions.col(ROW).plus(1).cast(DataTypes.StringType))
                : column(cols.idCol()).cast(DataTypes.StringType);
        Column attribute = cols.attributeCol() == null ? lit(null).cast(DataTypes.IntegerType)
                : tryInteger(cols.attributeCol());
        List<Column> out = new ArrayList<>(List.of(
                functions.col(ROW),
                problem().as(PROBLEM),
                id.as(ExamplesSchema.ID),
                column(cols.splitCol()).cast(DataTypes.StringType).as(RAW_SPLIT),
                tryInteger(cols.labelCol()).as(ExamplesSchema.LABEL),
                attribute.as(ExamplesSchema.ATTRIBUTE)));
        if (cols.groupCol() != null) {
            out.add(tryInteger(cols.groupCol()).as("given_group"));
        }
        if (cols.isImage()) {
            out.add(column(cols.imageCol()).cast(DataTypes.StringType).as("image_path"));
        } else {
            Column[] features = cols.featureCols().stream().map(f -> tryCast(f, "float")).toArray(Column[]::new);
            out.add(functions.array(features).as(ExamplesSchema.FEATURES));
        }
        return table.select(out.toArray(new Column[0]));
    }

    /** Each split value as written mapped to its canonical name, rows in all, and the largest attribute. */
    private record Summary(Map<String, String> splits, long rows, int maxAttribute) {
    }

    /**
     * One aggregation over the typed table, by split value as written: rows, first row (and its
     * id), first row with a problem, largest attribute. Split columns hold a handful of distinct
     * values, so the driver gets a few rows; it parses each value with {@link Split#parse}, then
     * fails on the first bad row of either kind, then on an empty split.
     */
    private Summary checkAndSummarise(Dataset<Row> typed) {
        Column row = functions.col(ROW);
        Column id = cols.idCol() == null ? lit(null).cast(DataTypes.StringType) : functions.col(ExamplesSchema.ID);
        Column problem = functions.col(PROBLEM);
        List<Row> perValue = typed.groupBy(RAW_SPLIT)
                .agg(functions.count(lit(1)).as("rows"),
                        functions.min(functions.struct(row, id)).as("first"),
                        functions.min(when(problem.isNotNull(), functions.struct(row, id, problem))).as("first_bad"),
                        functions.max(ExamplesSchema.ATTRIBUTE).as("max_attribute"))
                .orderBy("first")
                .limit(MAX_DISTINCT_SPLITS).collectAsList();

        Map<String, String> splits = new HashMap<>();
        Map<String, Long> counts = new HashMap<>();
        Row firstBad = null;
        String firstProblem = null;
        long rows = 0;
        int maxAttribute = -1;
        for (Row r : perValue) {
            String value = r.isNullAt(0) ? null : r.getString(0);
            String canonical = null;
            try {
                canonical = value == null ? null : Split.parse(value, input).column();
            } catch (BadInputException e) {
                // reported below, at the first row holding the value
            }
            if (canonical == null) {
                Row at = r.getStruct(2);
                if (firstBad == null || at.getLong(0) < firstBad.getLong(0)) {
                    firstBad = at;
                    firstProblem = "column '" + cols.splitCol() + "': value '" + (value == null ? "" : value)
                            + "' is out of range (expected train/val/test or 0/1/2)";
                }
            } else {
                splits.put(value, canonical);
                counts.merge(canonical, r.getLong(1), Long::sum);
            }
            if (!r.isNullAt(3) && (firstBad == null || r.getStruct(3).getLong(0) < firstBad.getLong(0))) {
                firstBad = r.getStruct(3);
                firstProblem = firstBad.getString(2);
            }
            rows += r.getLong(1);
            if (!r.isNullAt(4)) {
                maxAttribute = Math.max(maxAttribute, r.getInt(4));
            }
        }
        if (firstBad != null) {
            throw new BadInputException(input + ": row " + (firstBad.getLong(0) + 1)
                    + (firstBad.isNullAt(1) ? "" : " (id " + firstBad.getString(1) + ")") + ", " + firstProblem);
        }
        for (Split s : Split.values()) {
            if (counts.getOrDefault(s.column(), 0L) == 0) {
                throw new BadInputException(input + ": split '" + s.column() + "' has no rows");
            }
        }
        return new Summary(splits, rows, maxAttribute);
    }

    /** The canonical split of each row, from the split values as written. */
    private static Column canonicalSplit(Map<String, String> splits) {
        Column raw = functions.col(RAW_SPLIT);
        Column split = lit(null).cast(DataTypes.StringType);
        for (Map.Entry<String, String> e : splits.entrySet()) {
            split = when(raw.equalTo(e.getKey()), e.getValue()).otherwise(split);
        }
        return split;
    }

    /**
     * The given group, else {@code numAttributes * label + attribute}: numAttributes is the largest
     * attribute value + 1 (at least 2, so a binary attribute gives the benchmarks' 2y + a), which
     * keeps groups distinct even when some attribute values do not occur. Without an attribute,
     * the label. A row without attribute has no group.
     */
    private Column group(Summary summary) {
        if (cols.groupCol() != null) {
            return functions.col("given_group");
        }
        if (cols.attributeCol() == null) {
            return functions.col(ExamplesSchema.LABEL);
        }
        int numAttributes = Math.max(2, summary.maxAttribute + 1);
        return functions.col(ExamplesSchema.LABEL).multiply(numAttributes).plus(functions.col(ExamplesSchema.ATTRIBUTE))
                .cast(DataTypes.IntegerType);
    }

    private Dataset<Row> images(SparkSession spark, Dataset<Row> examples, FileStatus status, long rows) {
        String folder = (status.isDirectory() ? status.getPath() : status.getPath().getParent()).toString();
        Column path = functions.col("image_path");
        // Absolute: a leading slash or a scheme (file:, hdfs:, s3a:); anything else is under the table's folder.
        Column resolved = when(path.rlike("^(/|[A-Za-z][A-Za-z0-9+.-]*:)"), path)
                .otherwise(concat(lit(folder + "/"), path));
        Dataset<Row> files = examples.select(functions.col(ExamplesSchema.ID), functions.col(ExamplesSchema.SPLIT),
                functions.col(ExamplesSchema.LABEL), functions.col(ExamplesSchema.ATTRIBUTE),
                functions.col(ExamplesSchema.GROUP), resolved);
        int partitions = files.rdd().getNumPartitions();
        long wanted = (rows + ImageDecoding.FILES_PER_PARTITION - 1) / ImageDecoding.FILES_PER_PARTITION;
        if (wanted > partitions) {
            // A table is often one file in one partition; decoding its images needs the whole cluster.
            files = files.repartition((int) Math.min(wanted, 2000));
        }
        JavaRDD<LabelledImageFile> list = files.javaRDD().map(r -> new LabelledImageFile(r.getString(0),
                r.getString(1), r.getInt(2), r.isNullAt(3) ? null : r.getInt(3), r.isNullAt(4) ? null : r.getInt(4),
                r.getString(5)));
        return ImageDecoding.examples(spark, list, inputs.conf(), cols.imageSize());
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A user's column by its exact name, dots and spaces included. */
    private static Column column(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    /** {@code try_cast}: null for a value that does not convert, whatever spark.sql.ansi.enabled says. */
    private static Column tryCast(String name, String type) {
        return functions.expr("try_cast(`" + name.replace("`", "``") + "` as " + type + ")");
    }

    /** An integer column read as double first, so {@code "3"}, {@code 3L} and {@code 3.0} all give 3. */
    private static Column tryInteger(String name) {
        return functions.expr("try_cast(try_cast(`" + name.replace("`", "``") + "` as double) as int)");
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", NAME);
        d.put("input", input);
        d.put("format", cols.format() != null ? cols.format() : inferFormat(inputs.require(input, "table input")));
        d.put("label_column", cols.labelCol());
        d.put("split_column", cols.splitCol());
        d.put("attribute_column", cols.attributeCol());
        d.put("group_column", cols.groupCol());
        d.put("id_column", cols.idCol());
        if (cols.isImage()) {
            d.put("image_column", cols.imageCol());
            d.put("image_shape", ImageDecoding.describe(cols.imageSize()));
        } else {
            d.put("feature_columns", cols.featureCols());
        }
        d.put("num_classes", cols.numClasses());
        return d;
    }
}
