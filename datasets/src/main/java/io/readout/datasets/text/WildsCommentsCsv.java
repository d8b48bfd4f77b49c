package io.readout.datasets.text;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code all_data_with_identities.csv} as WILDS' pandas writes it, for {@link SyntheticComment}s: UTF-8, a
 * header whose first, unnamed column is the pandas index (0, 1, ...), {@code \n} line ends, a cell quoted with
 * {@code "} only when it holds a comma, a quote or a line break, quotes doubled inside, an empty cell for a
 * missing value. The columns are a subset of WILDS', in WILDS' order: the ones {@link CivilCommentsSource} reads
 * and a few it ignores ({@code created_date}, {@code rating}, two toxicity sub-types, the annotator counts,
 * {@code identity_any}).
 */
public final class WildsCommentsCsv {
    /** The header's columns; the first is pandas' unnamed index. */
    public static final List<String> COLUMNS = List.of("", "id", "comment_text", "split", "created_date", "rating",
            "toxicity", "severe_toxicity", "insult", "male", "female", "christian", "muslim", "black", "white",
            "identity_annotator_count", "toxicity_annotator_count", "LGBTQ", "other_religions", "identity_any");

    private WildsCommentsCsv() {
    }

    /** Writes the header and one record per comment, in order; closes nothing. */
    public static void write(List<SyntheticComment> comments, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        w.write(String.join(",", COLUMNS));
        w.write('\n');
        for (int i = 0; i < comments.size(); i++) {
            w.write(record(i, comments.get(i)));
            w.write('\n');
        }
        w.flush();
    }

    /** One record: the comment at pandas index {@code index}, its cells in {@link #COLUMNS}' order. */
    static String record(int index, SyntheticComment c) {
        StringBuilder b = new StringBuilder(c.text().length() + 160);
        for (int i = 0; i < COLUMNS.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(cell(value(COLUMNS.get(i), index, c)));
        }
        return b.toString();
    }

    private static String value(String column, int index, SyntheticComment c) {
        return switch (column) {
            case "" -> String.valueOf(index);
            case "id" -> String.valueOf(c.id());
            case "comment_text" -> c.text();
            case "split" -> c.split().column();
            case "created_date" -> c.createdDate();
            case "rating" -> "approved";
            case "toxicity", "insult" -> c.toxicity();
            case "severe_toxicity" -> "0.0";
            case "identity_annotator_count" -> String.valueOf(c.identityAnnotators());
            case "toxicity_annotator_count" -> String.valueOf(c.toxicityAnnotators());
            case "identity_any" -> String.valueOf(c.attribute());
            default -> c.identities().get(column);
        };
    }

    /** A cell as pandas' minimal quoting writes it. */
    static String cell(String value) {
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
