package io.readout.jobs.bench.tables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A GitHub-flavoured markdown table as docs/BENCHMARKS.md writes them ({@code |---|} separators,
 * {@code | |} for an empty cell), and the number formats its cells use.
 */
final class MarkdownTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    MarkdownTable(List<String> header) {
        this.header = List.copyOf(header);
    }

    MarkdownTable row(List<String> cells) {
        if (cells.size() != header.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + header.size() + " columns: " + cells);
        }
        rows.add(List.copyOf(cells));
        return this;
    }

    int rows() {
        return rows.size();
    }

    /** The table's lines, each ending in a newline. */
    String render() {
        StringBuilder b = new StringBuilder();
        line(b, header);
        b.append("|").append("---|".repeat(header.size())).append('\n');
        rows.forEach(r -> line(b, r));
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells) {
        b.append('|');
        for (String c : cells) {
            String cell = c.replace("|", "\\|").replace('\n', ' ').strip();
            b.append(cell.isEmpty() ? " " : " " + cell + " ").append('|');
        }
        b.append('\n');
    }

    /** A count or rate as the docs write it: {@code 4,676}. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Mean ± sample std at {@code decimals}; the mean alone when there is no std (one seed). */
    static String meanStd(double mean, Double std, int decimals) {
        return std == null ? fixed(mean, decimals) : fixed(mean, decimals) + " ± " + fixed(std, decimals);
    }

    /** A file name in code font, as the tables' {@code file} columns show it. */
    static String code(String text) {
        return "`" + text + "`";
    }
}
