package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Configuration of {@link EvalScaleBenchmark}.
 *
 * @param sizes   prediction rows per measured table, strictly increasing
 * @param groups  groups the rows fall into
 * @param repeats timed evaluations of each size; the median is reported
 * @param scratch a folder (any Hadoop URI) for the generated Parquet tables, or null for a temp folder;
 *                what the benchmark writes there is deleted at the end
 * @param out     a local file for the JSON, or null
 * @param seed    seed of the generated rows
 */
public record EvalScaleBenchConfig(List<Long> sizes, int groups, int repeats, String scratch, String out, long seed) {
    public static final String DEFAULT_SIZES = "100000,1000000,10000000";
    public static final int MAX_GROUPS = 10_000;

    /** Cross-field rules, in one place; throws {@link BadInputException} naming the flag. */
    public EvalScaleBenchConfig validate() {
        if (sizes.isEmpty()) {
            throw new BadInputException("--sizes must name at least one size");
        }
        for (int i = 0; i < sizes.size(); i++) {
            if (sizes.get(i) < 1) {
                throw new BadInputException("--sizes " + sizes.get(i) + " must be at least 1");
            }
            if (i > 0 && sizes.get(i) <= sizes.get(i - 1)) {
                throw new BadInputException("--sizes " + sizes + " must be strictly increasing");
            }
        }
        if (groups < 1 || groups > MAX_GROUPS) {
            throw new BadInputException("--groups " + groups + " must be between 1 and " + MAX_GROUPS);
        }
        if (repeats < 1) {
            throw new BadInputException("--repeats " + repeats + " must be at least 1");
        }
        return this;
    }

    /** {@code --sizes}: comma-separated row counts, plain or with an exponent ({@code 1e6}). */
    public static List<Long> parseSizes(List<String> values) {
        List<Long> sizes = new ArrayList<>();
        for (String v : values) {
            try {
                double d = Double.parseDouble(v.trim());
                if (d != Math.rint(d) || d > Long.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                sizes.add((long) d);
            } catch (NumberFormatException e) {
                throw new BadInputException("--sizes '" + v + "' is not a whole number of rows");
            }
        }
        return sizes;
    }

    /** The config as a results file records it ({@code config}). */
    @JsonPropertyOrder({"sizes", "groups", "repeats", "scratch", "seed"})
    public record Described(List<Long> sizes, int groups, int repeats, String scratch, long seed) {
    }

    public Described describe() {
        return new Described(sizes, groups, repeats, scratch == null ? "temp folder" : scratch, seed);
    }
}
