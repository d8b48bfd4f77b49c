package io.readout.datasets;

import io.readout.common.BadInputException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * The {@code examples} table: one row per example with a stable
 * unique {@code id}, its {@code split}, integer {@code label}, nullable spurious
 * {@code attribute} and {@code group}, and its {@code features}: binary image bytes
 * (CHW, one unsigned byte per value) with {@code height}, {@code width}, {@code channels}
 * for image datasets, or {@code array<float>} for tabular ones. Text datasets have no
 * {@code features} yet: their {@code text} (and, for sentence pairs, {@code text_pair}) columns
 * hold the raw strings for a later featurization step.
 */
public final class ExamplesSchema {
    public static final String ID = "id";
    public static final String SPLIT = "split";
    public static final String LABEL = "label";
    public static final String ATTRIBUTE = "attribute";
    public static final String GROUP = "group";
    public static final String FEATURES = "features";
    public static final String HEIGHT = "height";
    public static final String WIDTH = "width";
    public static final String CHANNELS = "channels";
    public static final String TEXT = "text";
    public static final String TEXT_PAIR = "text_pair";

    /** Schema of an image dataset. */
    public static final StructType IMAGE = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(ATTRIBUTE, DataTypes.IntegerType, true),
        DataTypes.createStructField(GROUP, DataTypes.IntegerType, true),
        DataTypes.createStructField(FEATURES, DataTypes.BinaryType, false),
        DataTypes.createStructField(HEIGHT, DataTypes.IntegerType, false),
        DataTypes.createStructField(WIDTH, DataTypes.IntegerType, false),
        DataTypes.createStructField(CHANNELS, DataTypes.IntegerType, false),
    });

    /** Schema of a tabular (feature vector) dataset. */
    public static final StructType VECTOR = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(ATTRIBUTE, DataTypes.IntegerType, true),
        DataTypes.createStructField(GROUP, DataTypes.IntegerType, true),
        DataTypes.createStructField(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    /**
     * Schema of a text dataset: the text (a comment, or an NLI premise) and, for sentence-pair
     * tasks, the second text (the hypothesis); null for single texts.
     */
    public static final StructType TEXT_SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField(ID, DataTypes.StringType, false),
        DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
        DataTypes.createStructField(LABEL, DataTypes.IntegerType, false),
        DataTypes.createStructField(ATTRIBUTE, DataTypes.IntegerType, true),
        DataTypes.createStructField(GROUP, DataTypes.IntegerType, true),
        DataTypes.createStructField(TEXT, DataTypes.StringType, false),
        DataTypes.createStructField(TEXT_PAIR, DataTypes.StringType, true),
    });

    private ExamplesSchema() {
    }

    /** Whether a table holds raw text (a {@code text} column and no {@code features}). */
    public static boolean isText(StructType schema) {
        return schema.getFieldIndex(TEXT).isDefined() && schema.getFieldIndex(FEATURES).isEmpty();
    }

    /** The contract's schema of a table: image, vector or text. */
    private static StructType expected(StructType schema) {
        return isText(schema) ? TEXT_SCHEMA : isImage(schema) ? IMAGE : VECTOR;
    }

    /** Whether a table's {@code features} column holds image bytes (else a float vector). */
    public static boolean isImage(StructType schema) {
        return schema.getFieldIndex(FEATURES).isDefined()
                && schema.apply(FEATURES).dataType().equals(DataTypes.BinaryType);
    }

    /**
     * Checks that a table read back from disk has the columns of the contract with the right
     * types (nullability aside: Parquet reads every column back as nullable).
     *
     * @param where names the table in the error message
     */
    public static void requireConforms(StructType actual, String where) {
        StructType expected = expected(actual);
        for (StructField f : expected.fields()) {
            if (actual.getFieldIndex(f.name()).isEmpty()) {
                throw new BadInputException(where + ": column '" + f.name() + "' is missing (not an examples table?)");
            }
            DataType t = actual.apply(f.name()).dataType();
            if (!sameType(t, f.dataType())) {
                throw new BadInputException(where + ": column '" + f.name() + "' has type " + t.simpleString()
                        + ", expected " + f.dataType().simpleString());
            }
        }
    }

    private static boolean sameType(DataType a, DataType b) {
        if (a instanceof ArrayType aa && b instanceof ArrayType bb) {
            return aa.elementType().equals(bb.elementType());
        }
        return a.equals(b);
    }

    /** The columns of the contract in their canonical order, for a select before writing. */
    public static List<String> columns(StructType schema) {
        return List.of(expected(schema).fieldNames());
    }

    /** The table with exactly the contract's columns, in order and with the contract's types. */
    public static Dataset<Row> canonical(Dataset<Row> table) {
        List<String> cols = columns(table.schema());
        return table.selectExpr(cols.toArray(new String[0]));
    }
}
