package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.io.RowNumbers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * CivilComments as WILDS releases it (Koh et al., 2021; {@code civilcomments_v1.0}): a folder with
 * {@code all_data_with_identities.csv}, one row per comment, read with Spark's CSV reader
 * (quoted multi-line cells). Used columns: {@code id}, {@code comment_text}, {@code split}
 * ({@code train/val/test}), {@code toxicity} (the fraction of annotators who found the comment
 * toxic) and the identity columns, each the fraction of annotators who saw the identity mentioned,
 * empty where the comment was not annotated for identities.
 *
 * <p>Output: the text examples table with {@code id = cc-<id>}, {@code text = comment_text},
 * {@code label = toxicity >= 0.5} (WILDS' label) and, with {@link AttributeRule#ANY}, {@code attribute}
 * = 1 when any of the chosen identities has a fraction {@code >= 0.5} (an empty cell: not
 * mentioned), {@code group = 2 label + attribute}: the 4 training groups of the coarse convention.
 * WILDS' own evaluation groups are per identity ({@code identity >= 0.5} × label, 16 groups for its 8
 * identities, overlapping), which one attribute per example cannot hold: {@link AttributeRule#EACH}
 * is refused.
 */
public final class CivilCommentsSource implements DatasetSource {
    public static final String NAME = "civilcomments";
    public static final String FILE = "all_data_with_identities.csv";
    /** WILDS' {@code _identity_vars}, in its order (wilds/datasets/civilcomments_dataset.py). */
    public static final List<String> WILDS_IDENTITIES = List.of(
            "male", "female", "LGBTQ", "christian", "muslim", "other_religions", "black", "white");
    /** A fraction at or above this is a toxic comment, or a mentioned identity (WILDS' threshold). */
    public static final double THRESHOLD = 0.5;

    /** How the identity columns become the one spurious attribute of an example. */
    public enum AttributeRule {
        /** Attribute = any chosen identity mentioned: 2 attributes × 2 labels = 4 groups. */
        ANY,
        /** WILDS' evaluation groups, one binary attribute per identity: refused, see the class comment. */
        EACH;

        /** {@code any} or {@code each}; null for {@code any}. */
        public static AttributeRule parse(String value, String flag) {
            return TextRows.option(AttributeRule.class, value, ANY, flag);
        }
    }

    private static final String ID = "id";
    private static final String TEXT = "comment_text";
    private static final String SPLIT = "split";
    private static final String TOXICITY = "toxicity";

    private final HadoopInputs inputs;
    private final String root;
    private final List<String> identities;
    private final AttributeRule rule;

    /**
     * @param identities the identity columns of the attribute; null for WILDS' eight
     */
    public CivilCommentsSource(HadoopInputs inputs, String root, List<String> identities, AttributeRule rule) {
        this.inputs = inputs;
        this.root = root;
        this.identities = identities == null ? WILDS_IDENTITIES : List.copyOf(new LinkedHashSet<>(identities));
        this.rule = rule;
        if (this.identities.isEmpty()) {
            throw new BadInputException("civilcomments: no identity columns given");
        }
        if (rule == AttributeRule.EACH) {
            throw new BadInputException("--attribute each: WILDS' evaluation groups (identity >= 0.5 x label, one"
                    + " pair per identity) overlap, since a comment can mention several identities, and the examples"
                    + " table holds one attribute and one group per example; use --attribute any (4 groups), or"
                    + " --identities NAME for one identity's groups");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        inputs.requireDirectory(root, "civilcomments root");
        String path = HadoopInputs.child(root, FILE);
        inputs.require(path, "civilcomments comments");
        Dataset<Row> rows = candidates(spark, path);
        TextRows.requireGoodRows(rows, path);
        TextRows.requireUniqueIds(rows, "column 'id'");
        return TextRows.canonical(spark, rows);
    }

    /** The file's rows as the contract's columns, each with its record number and problem. */
    private Dataset<Row> candidates(SparkSession spark, String path) {
        Dataset<Row> csv = read(spark, path);
        // A multi-line CSV is read by one task; what follows spreads over the cluster.
        Dataset<Row> numbered = RowNumbers.add(spark, csv, TextRows.ORDER)
                .repartition(spark.sparkContext().defaultParallelism());
        Column rawId = functions.trim(TextRows.column(ID));
        Column rawSplit = TextRows.column(SPLIT);
        Column split = TextRows.split(rawSplit);
        Column toxicity = TextRows.tryDouble(TOXICITY);
        Column label = when(toxicity.geq(THRESHOLD), 1).otherwise(0);
        Column attribute = lit(0);
        for (String identity : identities) {
            Column fraction = fraction(identity);
            attribute = functions.greatest(attribute, when(fraction.geq(THRESHOLD), 1).otherwise(0));
        }

        List<Column> problems = new ArrayList<>();
        problems.add(when(rawId.isNull().or(rawId.equalTo("")), lit("column 'id': is empty")));
        problems.add(TextRows.splitProblem(rawSplit, split, SPLIT));
        problems.add(fractionProblem(TOXICITY, toxicity, false));
        for (String identity : identities) {
            problems.add(fractionProblem(identity, TextRows.tryDouble(identity), true));
        }
        Column where = concat(lit(path + " record "), col(TextRows.ORDER).plus(1).cast(DataTypes.StringType),
                when(rawId.isNull().or(rawId.equalTo("")), lit("")).otherwise(concat(lit(" (id "), rawId, lit(")"))));
        return numbered.select(
                col(TextRows.ORDER),
                where.as(TextRows.WHERE),
                functions.coalesce(problems.toArray(new Column[0])).as(TextRows.PROBLEM),
                concat(lit("cc-"), rawId).as(ExamplesSchema.ID),
                split.as(ExamplesSchema.SPLIT),
                label.as(ExamplesSchema.LABEL),
                attribute.cast(DataTypes.IntegerType).as(ExamplesSchema.ATTRIBUTE),
                label.multiply(2).plus(attribute).cast(DataTypes.IntegerType).as(ExamplesSchema.GROUP),
                functions.coalesce(TextRows.column(TEXT), lit("")).as(ExamplesSchema.TEXT),
                lit(null).cast(DataTypes.StringType).as(ExamplesSchema.TEXT_PAIR));
    }

    /**
     * The release as written by pandas: a header row (its first, unnamed column the pandas index),
     * cells quoted with {@code "} where needed, quotes doubled inside, comments spanning lines.
     */
    private Dataset<Row> read(SparkSession spark, String path) {
        Dataset<Row> csv;
        try {
            csv = spark.read()
                    .option("header", "true")
                    .option("multiLine", "true")
                    .option("quote", "\"")
                    .option("escape", "\"")
                    .option("encoding", "UTF-8")
                    .csv(path);
        } catch (Exception e) {
            String m = String.valueOf(e.getMessage()).split("\n", 2)[0];
            throw new BadInputException(path + ": cannot read as CSV: " + m);
        }
        List<String> required = new ArrayList<>(List.of(ID, TEXT, SPLIT, TOXICITY));
        required.addAll(identities);
        TextRows.requireColumns(csv, required, path);
        return csv;
    }

    /** An identity fraction, null where the cell is empty or NaN (pandas' NaN: not annotated). */
    private static Column fraction(String name) {
        Column v = TextRows.tryDouble(name);
        // Spark orders NaN above every number, so NaN >= 0.5 would hold: NaN must become null first.
        return when(functions.isnan(v), lit(null).cast(DataTypes.DoubleType)).otherwise(v);
    }

    /** What is wrong with a fraction cell: not a number, NaN (unless {@code emptyAllowed}), outside [0, 1]. */
    private static Column fractionProblem(String name, Column number, boolean emptyAllowed) {
        Column raw = TextRows.column(name);
        Column blank = raw.isNull().or(functions.trim(raw).equalTo(""));
        String prefix = "column '" + name + "': value '";
        Column check = emptyAllowed
                ? when(blank.or(functions.isnan(number)), lit(null).cast(DataTypes.StringType))
                : when(blank, lit("column '" + name + "': is empty"))
                        .when(functions.isnan(number), concat(lit(prefix), raw, lit("' is not a number")));
        return check.when(number.isNull(), concat(lit(prefix), raw, lit("' is not a number")))
                .when(number.lt(0).or(number.gt(1)), concat(lit(prefix), raw, lit("' is outside [0, 1]")));
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", NAME);
        d.put("root", root);
        d.put("file", FILE);
        d.put("label", TOXICITY + " >= " + THRESHOLD);
        d.put("label_names", List.of("non-toxic", "toxic"));
        d.put("attribute_names", List.of("no identity", "identity"));
        d.put("identities", identities);
        d.put("attribute", TextRows.flagValue(rule));
        d.put("attribute_rule", "any listed identity >= " + THRESHOLD + " (empty cell: not mentioned)");
        d.put("group", "2 label + attribute");
        d.put("text_columns", Map.of(ExamplesSchema.TEXT, TEXT));
        return d;
    }
}
