package io.readout.datasets.table;

import io.readout.common.BadInputException;
import io.readout.datasets.ImageShape;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Which columns of a user's Parquet or CSV table make the examples table, for {@link TableSource}.
 * A table holds either numeric feature columns (the examples get a float vector) or one image
 * path column (the images are decoded and resized to {@code imageSize}).
 *
 * @param format       {@code parquet} or {@code csv}; null to infer it from the input's name or content
 * @param labelCol     integer class labels 0..numClasses-1 (required)
 * @param splitCol     {@code train/val/test} or {@code 0/1/2} (required)
 * @param attributeCol the spurious attribute, a non-negative integer; null when the table has none
 * @param groupCol     the group index; null to derive it: {@code numAttributes * label + attribute}
 *                     ({@code 2 label + attribute} for a binary attribute), or {@code label} without attribute
 * @param idCol        unique example ids; null for ids from row position ({@code row-1}, {@code row-2}, ...)
 * @param featureCols  numeric columns, cast to float, in this order; empty when {@code imageCol} is given
 * @param imageCol     image file paths, relative to the table's folder unless absolute; null for feature tables
 * @param imageSize    the size images are resized to; required with {@code imageCol}
 * @param numClasses   when given, labels must be below it; null to accept any non-negative label
 */
public record TableColumns(String format, String labelCol, String splitCol, String attributeCol, String groupCol,
                           String idCol, List<String> featureCols, String imageCol, ImageShape imageSize,
                           Integer numClasses) implements Serializable {
    public static final String PARQUET = "parquet";
    public static final String CSV = "csv";

    public TableColumns {
        format = format == null ? null : format.trim().toLowerCase(Locale.ROOT);
        if (format != null && !format.equals(PARQUET) && !format.equals(CSV)) {
            throw new BadInputException("table format '" + format + "': expected parquet or csv");
        }
        require(labelCol, "label column");
        require(splitCol, "split column");
        featureCols = featureCols == null ? List.of() : List.copyOf(featureCols);
        for (String f : featureCols) {
            require(f, "feature column");
        }
        boolean image = imageCol != null && !imageCol.isBlank();
        if (image == !featureCols.isEmpty()) {
            throw new BadInputException("table columns: give either feature columns or an image column"
                    + (image ? ", not both" : ""));
        }
        if (image && imageSize == null) {
            throw new BadInputException("table columns: image column '" + imageCol + "' needs an image size");
        }
        if (numClasses != null && numClasses < 1) {
            throw new BadInputException("table columns: number of classes must be at least 1, not " + numClasses);
        }
    }

    /** A table of numeric features with label and split only; the other options take their defaults. */
    public static TableColumns ofFeatures(String labelCol, String splitCol, List<String> featureCols) {
        return new TableColumns(null, labelCol, splitCol, null, null, null, featureCols, null, null, null);
    }

    /** Whether the examples are images (else float vectors). */
    public boolean isImage() {
        return imageCol != null && !imageCol.isBlank();
    }

    private static void require(String column, String what) {
        if (column == null || column.isBlank()) {
            throw new BadInputException("table columns: the " + what + " is not named");
        }
    }
}
