package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.io.RowNumbers;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * MultiNLI (Williams et al., 2018) as group DRO (Sagawa et al., 2020) uses it: label the
 * entailment class, spurious attribute a negation word in the hypothesis, 3 × 2 = 6 groups.
 *
 * <p>Input: the released {@code multinli_1.0} folder's {@value #TRAIN}, {@value #DEV_MATCHED} and
 * {@value #DEV_MISMATCHED} (one JSON object a line; fields {@code gold_label}, {@code sentence1} =
 * premise, {@code sentence2} = hypothesis, {@code pairID}), read with Spark's JSON functions. Pairs
 * whose {@code gold_label} is {@code -} (annotators did not agree) are dropped and counted, as
 * group DRO drops them. Splits ({@link SplitScheme}): group DRO's random 50/20/30 re-split of the
 * three files, read from its released {@value #GROUP_DRO_METADATA} (rows keyed by the position in
 * the three files concatenated in that order, blank lines aside, as pandas numbered them), or
 * the files themselves (train / dev matched / dev mismatched).
 *
 * <p>Output: the text examples table with {@code id = mnli-<pairID>}, {@code text} = premise,
 * {@code text_pair} = hypothesis, {@code label} in group DRO's numbering (contradiction 0,
 * entailment 1, neutral 2), {@code attribute} = the hypothesis holds one of {@link #NEGATION_WORDS}
 * as a whole token after group DRO's tokenization (ASCII punctuation deleted, lower case, split at
 * spaces), {@code group = 2 label + attribute}. With the group DRO split the attribute is the
 * metadata file's, and {@link #describe()} counts the rows where this tokenization disagrees.
 */
public final class MultiNliSource implements DatasetSource {
    public static final String NAME = "multinli";
    public static final String TRAIN = "multinli_1.0_train.jsonl";
    public static final String DEV_MATCHED = "multinli_1.0_dev_matched.jsonl";
    public static final String DEV_MISMATCHED = "multinli_1.0_dev_mismatched.jsonl";
    /** group_DRO's dataset_metadata/multinli/metadata_random.csv (data/ in its MultiNLI bundle). */
    public static final String GROUP_DRO_METADATA = "metadata_random.csv";
    /** group DRO's label numbering (dataset_scripts/generate_multinli.py). */
    public static final List<String> LABELS = List.of("contradiction", "entailment", "neutral");
    /** group DRO's negation words, from Gururangan et al. (2018). */
    public static final List<String> NEGATION_WORDS = List.of("nobody", "no", "never", "nothing");
    /** Python's {@code string.punctuation}, which group DRO deletes before splitting at spaces. */
    static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    private static final String NO_GOLD_LABEL = "-";

    /** Where the train/val/test split comes from. */
    public enum SplitScheme {
        /** group DRO's random 50/20/30 split of the three files together, from {@value #GROUP_DRO_METADATA}. */
        GROUPDRO,
        /** The release's files: train, dev matched as val, dev mismatched as test (group DRO's "preset"). */
        PRESET;

        /** {@code groupdro} or {@code preset}; null for {@code groupdro}. */
        public static SplitScheme parse(String value, String flag) {
            return TextRows.option(SplitScheme.class, value, GROUPDRO, flag);
        }
    }

    private static final List<String> FILES = List.of(TRAIN, DEV_MATCHED, DEV_MISMATCHED);
    private static final String CORRUPT = "_corrupt_record";
    private static final StructType PAIR = new StructType()
            .add("gold_label", DataTypes.StringType)
            .add("sentence1", DataTypes.StringType)
            .add("sentence2", DataTypes.StringType)
            .add("pairID", DataTypes.StringType)
            .add(CORRUPT, DataTypes.StringType);
    private static final String LINE = "__readout_line";
    private static final String VALUE = "value";
    private static final String DROPPED = "__readout_dropped";
    private static final String NEGATION = "__readout_negation";

    private final HadoopInputs inputs;
    private final String root;
    private final SplitScheme scheme;
    private final Map<String, Long> dropped = new LinkedHashMap<>();
    private Long negationDisagreements;

    public MultiNliSource(HadoopInputs inputs, String root, SplitScheme scheme) {
        this.inputs = inputs;
        this.root = root;
        this.scheme = scheme;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        inputs.requireDirectory(root, "multinli root");
        List<String> paths = new ArrayList<>();
        for (String f : FILES) {
            paths.add(HadoopInputs.child(root, f));
            inputs.require(paths.get(paths.size() - 1), "multinli pairs");
        }
        String metadata = HadoopInputs.child(root, GROUP_DRO_METADATA);
        if (scheme == SplitScheme.GROUPDRO && !inputs.exists(metadata)) {
            throw new BadInputException("multinli split " + metadata + ": no such file (group DRO's split: copy"
                    + " dataset_metadata/multinli/" + GROUP_DRO_METADATA + " of github.com/kohpangwei/group_DRO"
                    + " there, or pass --split-scheme preset)");
        }
        Dataset<Row> pairs = pairs(spark, paths);
        // Rows with a problem are kept whatever their label, so that they are reported.
        Dataset<Row> labelled = pairs.where(col(DROPPED).isNull().or(col(TextRows.PROBLEM).isNotNull()));
        if (scheme == SplitScheme.GROUPDRO) {
            labelled = withGroupDroSplit(spark, labelled, metadata);
        } else {
            TextRows.requireGoodRows(labelled, String.join(", ", paths));
        }
        TextRows.requireUniqueIds(labelled, "field 'pairID'");
        countDropped(pairs);
        return TextRows.canonical(spark, labelled);
    }

    /**
     * The three files' lines as candidate rows, in file order: {@link TextRows#ORDER} is the position in
     * the concatenation (blank lines skipped, as pandas skips them), the split is the file's (replaced
     * later under the group DRO scheme), {@link #DROPPED} marks pairs without a gold label.
     */
    private Dataset<Row> pairs(SparkSession spark, List<String> paths) {
        Dataset<Row> all = null;
        long offset = 0;
        for (int f = 0; f < paths.size(); f++) {
            String path = paths.get(f);
            Dataset<Row> lines = RowNumbers.add(spark, spark.read().text(path), LINE)
                    .where(functions.trim(col(VALUE)).notEqual(""));
            Dataset<Row> records = RowNumbers.add(spark, lines, TextRows.ORDER)
                    .withColumn(TextRows.ORDER, col(TextRows.ORDER).plus(offset));
            offset += records.count();
            Dataset<Row> rows = candidates(records, path, Split.values()[f]);
            all = all == null ? rows : all.union(rows);
        }
        return all.repartition(spark.sparkContext().defaultParallelism());
    }

    private static Dataset<Row> candidates(Dataset<Row> records, String path, Split fileSplit) {
        Map<String, String> options = Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT);
        Dataset<Row> parsed = records.withColumn("pair", functions.from_json(col(VALUE), PAIR, options));
        Column gold = col("pair.gold_label");
        Column pairId = functions.trim(col("pair.pairID"));
        Column hypothesis = col("pair.sentence2");
        Column label = lit(null).cast(DataTypes.IntegerType);
        for (int i = 0; i < LABELS.size(); i++) {
            label = when(gold.equalTo(LABELS.get(i)), i).otherwise(label);
        }
        Column negation = negation(hypothesis);

        Column problem = when(col("pair").isNull().or(col("pair." + CORRUPT).isNotNull()),
                        lit("not a JSON object"))
                .when(gold.isNull(), lit("field 'gold_label': is missing"))
                .when(label.isNull().and(gold.notEqual(NO_GOLD_LABEL)), concat(lit("field 'gold_label': value '"),
                        gold, lit("' is out of range (expected " + String.join(", ", LABELS) + " or "
                                + NO_GOLD_LABEL + ")")))
                .when(col("pair.sentence1").isNull(), lit("field 'sentence1': is missing"))
                .when(hypothesis.isNull(), lit("field 'sentence2': is missing"))
                .when(pairId.isNull().or(pairId.equalTo("")), lit("field 'pairID': is empty"));
        Column where = concat(lit(path + " line "), col(LINE).plus(1).cast(DataTypes.StringType),
                when(pairId.isNull().or(pairId.equalTo("")), lit("")).otherwise(concat(lit(" (pairID "), pairId,
                        lit(")"))));
        return parsed.select(
                col(TextRows.ORDER),
                where.as(TextRows.WHERE),
                problem.as(TextRows.PROBLEM),
                when(gold.equalTo(NO_GOLD_LABEL), lit(path)).as(DROPPED),
                concat(lit("mnli-"), pairId).as(ExamplesSchema.ID),
                lit(fileSplit.column()).as(ExamplesSchema.SPLIT),
                label.as(ExamplesSchema.LABEL),
                negation.as(ExamplesSchema.ATTRIBUTE),
                label.multiply(2).plus(negation).cast(DataTypes.IntegerType).as(ExamplesSchema.GROUP),
                col("pair.sentence1").as(ExamplesSchema.TEXT),
                hypothesis.as(ExamplesSchema.TEXT_PAIR));
    }

    /**
     * 1 when the hypothesis holds a negation word as a whole token, tokenized as group DRO does:
     * {@code s.translate(str.maketrans('', '', string.punctuation)).lower().split(' ')}.
     */
    static Column negation(Column hypothesis) {
        Column tokens = functions.split(functions.lower(functions.translate(hypothesis, PUNCTUATION, "")), " ");
        Column words = functions.array(NEGATION_WORDS.stream().map(functions::lit).toArray(Column[]::new));
        return when(functions.arrays_overlap(tokens, words), 1).otherwise(0);
    }

    private void countDropped(Dataset<Row> pairs) {
        Map<String, Long> byFile = new LinkedHashMap<>();
        for (Row r : pairs.where(col(DROPPED).isNotNull()).groupBy(DROPPED).count().collectAsList()) {
            byFile.put(r.getString(0), r.getLong(1));
        }
        dropped.clear();
        for (String f : FILES) {
            dropped.put(f, byFile.getOrDefault(HadoopInputs.child(root, f), 0L));
        }
    }

    /**
     * The labelled pairs with group DRO's split and negation attribute, joined by position. Every
     * labelled pair must have a metadata row with the same label, and every metadata row a pair:
     * files other than the ones group DRO numbered are refused, never silently misaligned.
     */
    private Dataset<Row> withGroupDroSplit(SparkSession spark, Dataset<Row> labelled, String path) {
        Dataset<Row> meta = GroupDroMetadata.read(spark, path, LABELS.size());
        Dataset<Row> joined = labelled.join(meta, labelled.col(TextRows.ORDER).equalTo(meta.col(GroupDroMetadata.INDEX)),
                "full_outer");
        Column metaWhere = concat(lit(path + " record "), col(GroupDroMetadata.RECORD).plus(1).cast(DataTypes.StringType),
                lit(" (index "), col(GroupDroMetadata.INDEX).cast(DataTypes.StringType), lit(")"));
        Column names = functions.array(LABELS.stream().map(functions::lit).toArray(Column[]::new));
        Column problem = functions.coalesce(col(TextRows.PROBLEM), when(col(TextRows.ORDER).isNull(),
                        lit("no labelled pair at this position of " + String.join(" + ", FILES)
                                + " (not the files group DRO indexed?)"))
                .when(col(GroupDroMetadata.INDEX).isNull(), concat(lit("no row with index "),
                        col(TextRows.ORDER).cast(DataTypes.StringType), lit(" in " + path)))
                .when(col(GroupDroMetadata.LABEL).notEqual(col(ExamplesSchema.LABEL)), concat(
                        lit("gold_label '"), functions.element_at(names, col(ExamplesSchema.LABEL).plus(1)),
                        lit("' but "), metaWhere, lit(" says "), col(GroupDroMetadata.LABEL).cast(DataTypes.StringType),
                        lit(" ("), functions.element_at(names, col(GroupDroMetadata.LABEL).plus(1)),
                        lit("): not the files group DRO indexed?"))));
        Dataset<Row> rows = joined.select(
                functions.coalesce(col(TextRows.ORDER), col(GroupDroMetadata.INDEX)).as(TextRows.ORDER),
                functions.coalesce(col(TextRows.WHERE), metaWhere).as(TextRows.WHERE),
                problem.as(TextRows.PROBLEM),
                col(ExamplesSchema.ID),
                col(GroupDroMetadata.SPLIT).as(ExamplesSchema.SPLIT),
                col(ExamplesSchema.LABEL),
                col(GroupDroMetadata.NEGATION).as(ExamplesSchema.ATTRIBUTE),
                col(ExamplesSchema.LABEL).multiply(2).plus(col(GroupDroMetadata.NEGATION)).cast(DataTypes.IntegerType)
                        .as(ExamplesSchema.GROUP),
                col(ExamplesSchema.TEXT),
                col(ExamplesSchema.TEXT_PAIR),
                col(ExamplesSchema.ATTRIBUTE).as(NEGATION));
        TextRows.requireGoodRows(rows, path);
        negationDisagreements = rows.where(col(NEGATION).notEqual(col(ExamplesSchema.ATTRIBUTE))).count();
        return rows;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", NAME);
        d.put("root", root);
        d.put("files", FILES);
        d.put("split_scheme", TextRows.flagValue(scheme));
        d.put("split", scheme == SplitScheme.GROUPDRO
                ? GROUP_DRO_METADATA + " (group DRO's random 50/20/30 split of the three files)"
                : "train, dev_matched as val, dev_mismatched as test");
        d.put("labels", LABELS);
        d.put("label_names", LABELS);
        d.put("attribute_names", List.of("no negation", "negation"));
        d.put("attribute", "hypothesis holds a negation word: " + String.join(", ", NEGATION_WORDS));
        d.put("group", "2 label + attribute");
        d.put("text_columns", Map.of(ExamplesSchema.TEXT, "sentence1 (premise)",
                ExamplesSchema.TEXT_PAIR, "sentence2 (hypothesis)"));
        d.put("dropped_without_gold_label", new LinkedHashMap<>(dropped));
        if (negationDisagreements != null) {
            d.put("negation_disagreements_with_metadata", negationDisagreements);
        }
        return d;
    }
}
