package io.readout.jobs.sweep;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The sweep's table ({@code sweep.parquet}, one row per finished trial in trial order) and its winner.
 * Columns: {@code trial, run, status, config} (the resolved train config as JSON), one column per
 * searched flag (snake_case, typed by its values: long, double, boolean or string), then
 * {@code selected_epoch, val_accuracy, val_wga, val_group_mean, test_accuracy, test_wga,
 * test_group_mean} (the selected epoch's model), {@code final_val_accuracy … final_test_group_mean} (the
 * final epoch's model), {@code seconds} (the figures null for a diverged trial).
 */
public final class SweepTable {
    private static final List<String> FIXED = List.of("trial", "run", "status", "config", "selected_epoch",
            "val_accuracy", "val_wga", "val_group_mean", "test_accuracy", "test_wga", "test_group_mean",
            "final_val_accuracy", "final_val_wga", "final_val_group_mean", "final_test_accuracy", "final_test_wga",
            "final_test_group_mean", "seconds");

    private SweepTable() {
    }

    /**
     * The winner: the complete trial with the highest {@code select} figure on validation; on a tie, the
     * lowest trial id. Test figures play no part. Empty when no trial is complete.
     */
    public static Optional<TrialResult> winner(List<TrialResult> results, String select) {
        return results.stream()
                .filter(r -> r.isComplete() && !Double.isNaN(r.selected(select)))
                .min(Comparator.comparingDouble((TrialResult r) -> -r.selected(select))
                        .thenComparingInt(TrialResult::trial));
    }

    /** The column of a searched flag: {@code averaging-frequency} → {@code averaging_frequency}. */
    static String column(String flag) {
        String c = flag.replace('-', '_');
        return FIXED.contains(c) ? "flag_" + c : c;
    }

    public static StructType schema(Map<String, List<FlagValue>> space) {
        List<StructField> fields = new ArrayList<>(List.of(
                DataTypes.createStructField("trial", DataTypes.IntegerType, false),
                DataTypes.createStructField("run", DataTypes.StringType, false),
                DataTypes.createStructField("status", DataTypes.StringType, false),
                DataTypes.createStructField("config", DataTypes.StringType, false)));
        space.forEach((flag, values) -> fields.add(DataTypes.createStructField(column(flag), type(values), false)));
        fields.add(DataTypes.createStructField("selected_epoch", DataTypes.IntegerType, true));
        for (String f : FIXED.subList(5, 17)) {
            fields.add(DataTypes.createStructField(f, DataTypes.DoubleType, true));
        }
        fields.add(DataTypes.createStructField("seconds", DataTypes.DoubleType, false));
        return new StructType(fields.toArray(StructField[]::new));
    }

    public static List<Row> rows(List<TrialResult> results, Map<String, List<FlagValue>> space) {
        List<Row> rows = new ArrayList<>();
        for (TrialResult r : results) {
            List<Object> cells = new ArrayList<>(List.of(r.trial(), r.run(), r.status(), r.config()));
            space.forEach((flag, values) -> {
                FlagValue v = r.values().get(flag);
                cells.add(cell(v == null ? null : v.value(), type(values)));
            });
            cells.add(r.selectedEpoch());
            for (TrialResult.Scores s : new TrialResult.Scores[] {r.val(), r.test(), r.finalVal(), r.finalTest()}) {
                cells.add(s == null ? null : s.accuracy());
                cells.add(s == null ? null : s.worstGroupAccuracy());
                cells.add(s == null ? null : s.groupMeanAccuracy());
            }
            cells.add(r.seconds());
            rows.add(RowFactory.create(cells.toArray()));
        }
        return rows;
    }

    /** The printed table; the winner's row is marked with {@code *}. */
    public static String format(List<TrialResult> results, List<String> flags, TrialResult winner) {
        List<String> header = new ArrayList<>(List.of("trial"));
        header.addAll(flags);
        header.addAll(List.of("status", "epoch", "val_acc", "val_wga", "val_gm", "test_acc", "test_wga", "test_gm",
                "final_test_acc", "final_test_wga", "seconds"));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (TrialResult r : results) {
            List<String> line = new ArrayList<>();
            line.add((winner != null && winner.trial() == r.trial() ? "*" : " ") + Trial.label(r.trial()));
            for (String f : flags) {
                line.add(String.valueOf(r.values().get(f)));
            }
            line.add(r.status());
            line.add(r.selectedEpoch() == null ? "-" : String.valueOf(r.selectedEpoch()));
            for (TrialResult.Scores s : new TrialResult.Scores[] {r.val(), r.test()}) {
                line.add(figure(s == null ? Double.NaN : s.accuracy()));
                line.add(figure(s == null ? Double.NaN : s.worstGroupAccuracy()));
                line.add(figure(s == null ? Double.NaN : s.groupMeanAccuracy()));
            }
            line.add(figure(r.finalTest() == null ? Double.NaN : r.finalTest().accuracy()));
            line.add(figure(r.finalTest() == null ? Double.NaN : r.finalTest().worstGroupAccuracy()));
            line.add(String.format(Locale.ROOT, "%.1f", r.seconds()));
            lines.add(line);
        }
        int[] width = new int[header.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                boolean number = i > flags.size() + 1;
                l.append(i == 0 ? "" : "  ").append(number ? pad(line.get(i), width[i], true) : pad(line.get(i), width[i], false));
            }
            b.append(l.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static String figure(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** The Spark type of a searched flag's column: long when every value is whole, double for numbers, boolean, else string. */
    static DataType type(List<FlagValue> flagValues) {
        List<Object> values = flagValues.stream().map(FlagValue::value).toList();
        if (values.stream().allMatch(v -> v instanceof Integer || v instanceof Long)) {
            return DataTypes.LongType;
        }
        if (values.stream().allMatch(v -> v instanceof Number)) {
            return DataTypes.DoubleType;
        }
        if (values.stream().allMatch(v -> v instanceof Boolean)) {
            return DataTypes.BooleanType;
        }
        return DataTypes.StringType;
    }

    private static Object cell(Object value, DataType type) {
        if (type == DataTypes.LongType) {
            return ((Number) value).longValue();
        }
        if (type == DataTypes.DoubleType) {
            return ((Number) value).doubleValue();
        }
        return type == DataTypes.BooleanType ? value : String.valueOf(value);
    }
}
