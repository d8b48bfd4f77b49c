package io.readout.jobs.report;

import io.readout.jobs.featurize.TextInput;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static io.readout.jobs.report.SvgCharts.escape;

/**
 * The page's section on text datasets, from {@link TextPanel}s: what is shown, a legend of the marks, and per
 * panel a table with a row per example (its group named, sized and tagged, its true label and id), its text
 * (premise and hypothesis for a pair, {@link TextSnippet}), then per run its prediction with ✓ or ✗ and the
 * probability it gave it, and for TF-IDF input the text with the run's top words marked and those words listed
 * with their importances.
 */
final class TextSection {
    static final String PREMISE = "premise";
    static final String HYPOTHESIS = "hypothesis";

    private TextSection() {
    }

    /**
     * The section's HTML; nothing without panels.
     *
     * @param swatch a run's colour swatch
     * @param seed   the seed whose runs these are (a root with a seed list), or null
     */
    static String render(List<TextPanel> panels, Function<ReportModel.Run, String> swatch, Long seed) {
        if (panels.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2 id=\"texts\">Test examples as text</h2>\n");
        b.append("<p class=\"note\">Rows: the first test examples by id of each group, the bias-conflicting groups ")
                .append("(smaller in training than their label's largest group) first; per model its prediction, ")
                .append(GradCamSection.RIGHT).append(" when it is the true label, and the probability it gave it. ")
                .append("For TF-IDF input, the ").append(TextPanel.TOP_WORDS).append(" words that weighed most in the ")
                .append("prediction: gradient × input, the predicted class's logit differentiated with respect to each ")
                .append("input feature times the feature (a word's TF-IDF weight in the text), marked in the text and ")
                .append("listed with that figure. Texts longer than ").append(TextSnippet.MAX_CHARS)
                .append(" characters are cut (").append(TextSnippet.ELLIPSIS).append(").");
        if (seed != null) {
            b.append(" The models of seed ").append(seed).append(", the lowest.");
        }
        b.append("</p>\n<p class=\"legend\">").append(TextSnippet.mark("for", 1, 1))
                .append(" the predicted class · ").append(TextSnippet.mark("against", -1, 1))
                .append(" it; the stronger the colour, the larger the importance</p>\n");
        for (TextPanel p : panels) {
            panel(b, p, swatch);
        }
        return b.toString();
    }

    private static void panel(StringBuilder b, TextPanel p, Function<ReportModel.Run, String> swatch) {
        b.append("<p class=\"meta\">data <code>").append(escape(p.data())).append("</code> · ")
                .append(p.input().kind() == TextInput.TFIDF ? "TF-IDF vectors" : "token ids").append("</p>\n");
        b.append(HtmlReport.notes(Arrays.asList(p.groups().note(), p.input().note())));
        b.append(HtmlReport.notes(p.notes()));
        if (p.examples().isEmpty()) {
            return;
        }
        b.append("<table class=\"texts\">\n<tr><th class=\"left\">example</th><th class=\"left\">text</th>");
        for (TextPanel.RunReadings r : p.runs()) {
            b.append("<th class=\"left\">").append(swatch.apply(r.run())).append(escape(r.run().label())).append("</th>");
        }
        b.append("</tr>\n");
        for (int i = 0; i < p.examples().size(); i++) {
            TextPanel.Example e = p.examples().get(i);
            b.append("<tr><td>").append(GroupLabels.example(p.groups(), e.group(), e.label(), e.id())).append("</td><td>")
                    .append(text(e, Map.of(), Map.of(), 0)).append("</td>");
            for (TextPanel.RunReadings r : p.runs()) {
                reading(b, p, e, r, i);
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }

    /** A run's cell: its prediction and probability, then its top words marked in the text and listed. */
    private static void reading(StringBuilder b, TextPanel p, TextPanel.Example e, TextPanel.RunReadings r, int i) {
        int pred = r.predicted()[i];
        boolean right = pred == e.label();
        b.append("<td><span class=\"").append(right ? "right" : "wrong").append("\">")
                .append(escape(p.groups().labelName(pred))).append(' ').append(right ? GradCamSection.RIGHT : GradCamSection.WRONG)
                .append("</span> <span class=\"caption\">")
                .append(String.format(Locale.ROOT, "p = %.3f", r.probability()[i])).append("</span>");
        if (r.words() != null) {
            List<WordImportance.Word> words = r.words().get(i);
            Map<String, Double> inText = new HashMap<>();
            Map<String, Double> inPair = new HashMap<>();
            double scale = 0;
            for (WordImportance.Word w : words) {
                (w.pair() ? inPair : inText).putIfAbsent(w.word(), w.importance());
                scale = Math.max(scale, Math.abs(w.importance()));
            }
            b.append("<div class=\"marked\">").append(text(e, inText, inPair, scale)).append("</div>")
                    .append("<div class=\"caption\">top words: ");
            if (words.isEmpty()) {
                b.append(HtmlReport.MISSING);
            }
            for (int k = 0; k < words.size(); k++) {
                WordImportance.Word w = words.get(k);
                b.append(k == 0 ? "" : " ").append(TextSnippet.mark(w.word(), w.importance(), scale))
                        .append(w.pair() ? "<sub>" + HYPOTHESIS.charAt(0) + "</sub>" : "")
                        .append(String.format(Locale.ROOT, " %+.3g", w.importance()));
            }
            b.append("</div>");
        }
        b.append("</td>");
    }

    /** The example's text, or its premise and hypothesis, with the given words marked. */
    private static String text(TextPanel.Example e, Map<String, Double> inText, Map<String, Double> inPair,
                               double scale) {
        if (e.pair() == null) {
            return TextSnippet.html(e.text(), inText, scale);
        }
        return "<span class=\"caption\">" + PREMISE + "</span> " + TextSnippet.html(e.text(), inText, scale)
                + "<br><span class=\"caption\">" + HYPOTHESIS + "</span> " + TextSnippet.html(e.pair(), inPair, scale);
    }
}
