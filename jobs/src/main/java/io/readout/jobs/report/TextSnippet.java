package io.readout.jobs.report;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.readout.jobs.report.SvgCharts.escape;

/**
 * A text of the examples table as the page shows it: white space (new lines, tabs, runs of spaces) collapsed to
 * single spaces, cut after {@value #MAX_CHARS} characters at a word boundary with "…", HTML-escaped, and its
 * important words marked with a background whose hue is the importance's sign (orange: for the predicted class,
 * blue: against it) and whose strength its size. A word is marked when a white-space separated piece of the text,
 * or a run of letters and digits in it, equals a vocabulary word after lower-casing, so the marks do not depend on
 * which of the usual tokenizers (white space or non-word characters, lower-cased) the featurization used.
 */
final class TextSnippet {
    /** Characters (code points) of a text shown before it is cut. */
    static final int MAX_CHARS = 300;
    static final String ELLIPSIS = "…";
    private static final Pattern PIECE = Pattern.compile("\\S+");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private TextSnippet() {
    }

    /** White space collapsed and the text cut to at most {@value #MAX_CHARS} characters, before escaping. */
    static String shortened(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        if (flat.codePointCount(0, flat.length()) <= MAX_CHARS) {
            return flat;
        }
        int end = flat.offsetByCodePoints(0, MAX_CHARS);
        int space = flat.lastIndexOf(' ', end);
        return flat.substring(0, space > end / 2 ? space : end) + ELLIPSIS;
    }

    /**
     * The shortened text, escaped, its words found in {@code importance} (lower-cased words → signed importance)
     * marked, the strongest mark for an importance of magnitude {@code scale}; null shows as an empty string.
     */
    static String html(String text, Map<String, Double> importance, double scale) {
        if (text == null) {
            return "";
        }
        String shown = shortened(text);
        StringBuilder b = new StringBuilder();
        int at = 0;
        Matcher piece = PIECE.matcher(shown);
        while (piece.find()) {
            b.append(escape(shown.substring(at, piece.start())));
            String p = piece.group();
            Double whole = importance.get(p.toLowerCase(Locale.ROOT));
            if (whole != null) {
                b.append(mark(p, whole, scale));
            } else {
                int in = 0;
                Matcher word = WORD.matcher(p);
                while (word.find()) {
                    Double w = importance.get(word.group().toLowerCase(Locale.ROOT));
                    if (w != null) {
                        b.append(escape(p.substring(in, word.start()))).append(mark(word.group(), w, scale));
                        in = word.end();
                    }
                }
                b.append(escape(p.substring(in)));
            }
            at = piece.end();
        }
        return b.append(escape(shown.substring(at))).toString();
    }

    /** A word on a background coloured by its importance, the importance as its tooltip. */
    static String mark(String word, double importance, double scale) {
        double strength = scale > 0 ? Math.min(1, Math.abs(importance) / scale) : 0;
        return String.format(Locale.ROOT, "<span class=\"w\" style=\"background:%s\" title=\"%+.3g\">%s</span>",
                color(importance, strength), importance, escape(word));
    }

    /** Orange for a positive importance, blue for a negative one; opacity 0.15 to 0.75 by strength in [0, 1]. */
    static String color(double importance, double strength) {
        return String.format(Locale.ROOT, importance >= 0 ? "rgba(230,81,0,%.2f)" : "rgba(21,101,192,%.2f)",
                0.15 + 0.6 * strength);
    }
}
