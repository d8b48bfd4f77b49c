package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.io.HadoopInputs;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

import java.util.List;
import java.util.Locale;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * New texts to score ({@code predict --text FILE}): a CSV with a header (RFC 4180 quoting, cells may hold commas,
 * quotes and line breaks; UTF-8) or JSON lines ({@code .jsonl}, {@code .json}), one text per row with an id, no
 * label and no split. Read as rows of a text table — {@code split} {@value #SPLIT}, {@code label},
 * {@code attribute} and {@code group} null — so the featurizer of the run's training data turns them into
 * features as it did the training texts.
 */
public final class NewTexts {
    /** The split name the predictions of new texts carry. */
    public static final String SPLIT = "new";

    /**
     * The file and its columns: {@code idCol} and {@code textCol} required; {@code pairCol} the second text of a
     * sentence pair, or null for single texts.
     */
    public record Source(String file, String idCol, String textCol, String pairCol) {
        void validate() {
            if (file == null || file.isBlank()) {
                throw new BadInputException("--text requires a file");
            }
            for (String[] c : List.of(new String[] {"--id-col", idCol}, new String[] {"--text-col", textCol})) {
                if (c[1] == null || c[1].isBlank()) {
                    throw new BadInputException(c[0] + " must name a column");
                }
            }
        }

        boolean isJsonLines() {
            String f = file.toLowerCase(Locale.ROOT);
            return f.endsWith(".jsonl") || f.endsWith(".json");
        }
    }

    private NewTexts() {
    }

    /**
     * The file's rows as a text table, checked: the columns exist, ids are present and unique, at least one row.
     *
     * @throws BadInputException naming the file and what is wrong
     */
    public static Dataset<Row> read(SparkSession spark, Source source) {
        HadoopInputs inputs = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        if (!inputs.exists(source.file())) {
            throw new BadInputException("--text " + source.file() + ": no such file");
        }
        Dataset<Row> raw;
        try {
            raw = source.isJsonLines()
                    ? spark.read().option("mode", "FAILFAST").json(source.file())
                    : spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
                            .option("encoding", "UTF-8").option("mode", "FAILFAST").csv(source.file());
        } catch (RuntimeException e) {
            throw new BadInputException("--text " + source.file() + ": not a readable "
                    + (source.isJsonLines() ? "JSON lines" : "CSV") + " file (" + e.getMessage() + ")", e);
        }
        requireColumn(raw, source.file(), source.idCol(), "--id-col");
        requireColumn(raw, source.file(), source.textCol(), "--text-col");
        if (source.pairCol() != null) {
            requireColumn(raw, source.file(), source.pairCol(), "--pair-col");
        }
        Column pair = source.pairCol() == null ? lit(null).cast(DataTypes.StringType)
                : col(source.pairCol()).cast(DataTypes.StringType);
        Dataset<Row> texts = raw.select(
                col(source.idCol()).cast(DataTypes.StringType).as(ExamplesSchema.ID),
                lit(SPLIT).as(ExamplesSchema.SPLIT),
                lit(null).cast(DataTypes.IntegerType).as(ExamplesSchema.LABEL),
                lit(null).cast(DataTypes.IntegerType).as(ExamplesSchema.ATTRIBUTE),
                lit(null).cast(DataTypes.IntegerType).as(ExamplesSchema.GROUP),
                col(source.textCol()).cast(DataTypes.StringType).as(ExamplesSchema.TEXT),
                pair.as(ExamplesSchema.TEXT_PAIR));
        Row c;
        try {
            c = texts.agg(count(lit(1)), countDistinct(col(ExamplesSchema.ID)),
                    sum(when(col(ExamplesSchema.ID).isNull(), 1).otherwise(0))).first();
        } catch (RuntimeException e) {
            throw new BadInputException("--text " + source.file() + ": not a readable file (" + e.getMessage() + ")", e);
        }
        if (c.getLong(0) == 0) {
            throw new BadInputException("--text " + source.file() + ": no rows");
        }
        if (!c.isNullAt(2) && c.getLong(2) > 0) {
            throw new BadInputException("--text " + source.file() + ": " + c.getLong(2) + " rows have no "
                    + source.idCol());
        }
        if (c.getLong(1) != c.getLong(0)) {
            Row dup = texts.groupBy(ExamplesSchema.ID).count().where(col("count").gt(1)).first();
            throw new BadInputException("--text " + source.file() + ": " + source.idCol() + " '" + dup.getString(0)
                    + "' occurs " + dup.getLong(1) + " times; ids must be unique");
        }
        return texts;
    }

    private static void requireColumn(Dataset<Row> raw, String file, String column, String flag) {
        if (raw.schema().getFieldIndex(column).isEmpty()) {
            throw new BadInputException("--text " + file + ": no column '" + column + "' (" + flag + "); it has "
                    + String.join(", ", raw.columns()));
        }
    }
}
