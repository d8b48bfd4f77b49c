package io.readout.datasets;

import io.readout.common.BadInputException;

import java.util.Locale;

/** The three splits of the examples table, by the names stored in its {@code split} column. */
public enum Split {
    TRAIN("train"), VAL("val"), TEST("test");

    private final String column;

    Split(String column) {
        this.column = column;
    }

    /** The value stored in the {@code split} column. */
    public String column() {
        return column;
    }

    /**
     * Parses a split as users write it: {@code train/val/test} (also {@code validation},
     * any case) or the numeric codes {@code 0/1/2} of the Waterbirds and CelebA releases.
     *
     * @param where names the input for the error message, e.g. {@code "metadata.csv row 12, column split"}
     */
    public static Split parse(String value, String where) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "train", "0":
                return TRAIN;
            case "val", "valid", "validation", "1":
                return VAL;
            case "test", "2":
                return TEST;
            default:
                throw new BadInputException(where + ": split value '" + value
                        + "' is out of range (expected train/val/test or 0/1/2)");
        }
    }
}
