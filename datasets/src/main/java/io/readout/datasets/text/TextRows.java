package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.Split;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

/**
 * The checks the text sources share, in Spark SQL over a table of candidate rows that carry,
 * besides the contract's columns, their position in the input ({@link #ORDER}), a phrase naming
 * them ({@link #WHERE}: file, line or record, id) and what is wrong with them ({@link #PROBLEM},
 * null when nothing is). The first bad row in input order is reported in one line.
 */
final class TextRows {
    static final String ORDER = "__readout_order";
    static final String WHERE = "__readout_where";
    static final String PROBLEM = "__readout_problem";

    private TextRows() {
    }

    /**
     * One aggregation by split: fails on the first row with a problem, then on a split without
     * rows; else returns the rows per split.
     *
     * @param input names the input when a split is empty
     */
    static Map<Split, Long> requireGoodRows(Dataset<Row> rows, String input) {
        List<Row> perSplit = rows.groupBy(ExamplesSchema.SPLIT)
                .agg(functions.count(lit(1)).as("n"),
                        functions.min(when(col(PROBLEM).isNotNull(), functions.struct(col(ORDER), col(WHERE),
                                col(PROBLEM)))).as("first_bad"))
                .collectAsList();
        Row firstBad = null;
        Map<Split, Long> counts = new HashMap<>();
        for (Row r : perSplit) {
            if (!r.isNullAt(2) && (firstBad == null || r.getStruct(2).getLong(0) < firstBad.getLong(0))) {
                firstBad = r.getStruct(2);
            }
            if (!r.isNullAt(0)) {
                counts.merge(Split.parse(r.getString(0), input), r.getLong(1), Long::sum);
            }
        }
        if (firstBad != null) {
            throw new BadInputException(firstBad.getString(1) + ", " + firstBad.getString(2));
        }
        for (Split s : Split.values()) {
            if (counts.getOrDefault(s, 0L) == 0) {
                throw new BadInputException(input + ": split '" + s.column() + "' has no rows");
            }
        }
        return counts;
    }

    /** Ids must be unique: the first repeated one is named with the row that repeats it. */
    static void requireUniqueIds(Dataset<Row> rows, String idName) {
        List<Row> dup = rows.groupBy(ExamplesSchema.ID)
                .agg(functions.count(lit(1)).as("n"),
                        functions.max(functions.struct(col(ORDER), col(WHERE))).as("last"))
                .where(col("n").gt(1))
                .orderBy(col("last")).limit(1).collectAsList();
        if (!dup.isEmpty()) {
            Row r = dup.get(0);
            throw new BadInputException(r.getStruct(2).getString(1) + ", " + idName + ": id '" + r.getString(0)
                    + "' appears " + r.getLong(1) + " times (ids must be unique)");
        }
    }

    /** The split value as written mapped to {@code train/val/test}; null for any other value. */
    static Column split(Column raw) {
        Column v = functions.lower(functions.trim(raw));
        Column out = lit(null).cast(DataTypes.StringType);
        for (Split s : Split.values()) {
            out = when(v.equalTo(s.column()), s.column()).otherwise(out);
        }
        return out;
    }

    /** A problem when {@code split} (from {@link #split}) is null: the raw value was not train/val/test. */
    static Column splitProblem(Column raw, Column split, String columnName) {
        return when(split.isNull(), concat(lit("column '" + columnName + "': value '"),
                functions.coalesce(raw, lit("")), lit("' is out of range (expected train, val or test)")));
    }

    /**
     * An option's value as a constant of {@code type}, written in lower case ({@code any}, {@code groupdro});
     * null gives {@code fallback}.
     */
    static <E extends Enum<E>> E option(Class<E> type, String value, E fallback, String flag) {
        if (value == null) {
            return fallback;
        }
        E[] constants = type.getEnumConstants();
        for (E e : constants) {
            if (flagValue(e).equals(value.trim().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new BadInputException(flag + " '" + value + "': expected " + String.join(" or ",
                Arrays.stream(constants).map(TextRows::flagValue).toList()));
    }

    /** How a constant is written as an option's value. */
    static String flagValue(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** Refuses a table without one of the {@code required} columns, listing the columns it has. */
    static void requireColumns(Dataset<Row> table, List<String> required, String path) {
        List<String> present = Arrays.asList(table.columns());
        for (String c : required) {
            if (!present.contains(c)) {
                throw new BadInputException(path + ": column '" + c + "' is missing (has: "
                        + String.join(", ", present) + ")");
            }
        }
    }

    /** A column by its exact name, dots and spaces included. */
    static Column column(String name) {
        return col("`" + name.replace("`", "``") + "`");
    }

    /** {@code try_cast} to double: null for a value that does not convert, whatever spark.sql.ansi.enabled says. */
    static Column tryDouble(String name) {
        return functions.expr("try_cast(`" + name.replace("`", "``") + "` as double)");
    }

    /** The contract's columns with its exact schema (non-nullable columns included: the checks guarantee them). */
    static Dataset<Row> canonical(SparkSession spark, Dataset<Row> rows) {
        Dataset<Row> selected = rows.select(Arrays.stream(ExamplesSchema.TEXT_SCHEMA.fieldNames())
                .map(functions::col).toArray(Column[]::new));
        return spark.createDataFrame(selected.javaRDD(), ExamplesSchema.TEXT_SCHEMA);
    }
}
