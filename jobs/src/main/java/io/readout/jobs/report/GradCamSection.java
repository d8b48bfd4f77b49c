package io.readout.jobs.report;

import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static io.readout.jobs.report.SvgCharts.escape;

/**
 * The page's Grad-CAM section, from {@link GradCamPanel}s: what the maps are, a legend of the colour ramp, and per
 * examples table a table with a row per example (its group named, sized and tagged, its true label and id), the
 * input, then each run's map over the input with the run's predicted label and ✓ or ✗.
 */
final class GradCamSection {
    /** Images are shown about this many pixels on their long side, scaled by whole factors. */
    static final int IMAGE_SIZE = 112;
    static final String RIGHT = "✓";
    static final String WRONG = "✗";

    private GradCamSection() {
    }

    /**
     * The section's HTML; nothing without panels.
     *
     * @param swatch a run's colour swatch
     * @param seed   the seed whose runs these are (a root with a seed list), or null
     */
    static String render(List<GradCamPanel> panels, Function<ReportModel.Run, String> swatch, Long seed) {
        if (panels.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<h2 id=\"gradcam\">Grad-CAM of bias-conflicting test examples</h2>\n");
        b.append("<p class=\"note\">Grad-CAM (Selvaraju et al., 2017) at each model's last convolution layer (<code>")
                .append(GradCam.TARGET).append("</code>): the logit of the predicted class differentiated with respect ")
                .append("to that layer's activations A, averaged over positions per channel (α<sub>k</sub>), then ")
                .append("ReLU(Σ<sub>k</sub> α<sub>k</sub> A<sub>k</sub>) upsampled bilinearly to the input's size and ")
                .append("scaled to its maximum, over the input in grey: where the model looked for the class it chose. ")
                .append("Rows: the first test examples by id of each bias-conflicting group (smaller in training than ")
                .append("its label's largest group); under each map the model's prediction, ")
                .append(RIGHT).append(" when it is the true label.");
        if (seed != null) {
            b.append(" The models of seed ").append(seed).append(", the lowest.");
        }
        b.append("</p>\n<p class=\"legend\">map 0 <span class=\"ramp\" style=\"background:")
                .append(PngImages.jetGradient()).append("\"></span> its maximum</p>\n");
        for (GradCamPanel p : panels) {
            panel(b, p, swatch);
        }
        return b.toString();
    }

    private static void panel(StringBuilder b, GradCamPanel p, Function<ReportModel.Run, String> swatch) {
        b.append("<p class=\"meta\">data <code>").append(escape(p.data())).append("</code></p>\n");
        b.append(HtmlReport.notes(Collections.singletonList(p.groups().note())));
        if (!p.biasConflicting() && !p.examples().isEmpty()) {
            b.append("<p class=\"note\">No group is known to be bias-conflicting: the first examples of every ")
                    .append("group.</p>\n");
        }
        b.append(HtmlReport.notes(p.notes()));
        if (p.examples().isEmpty() || p.runs().isEmpty()) {
            return;
        }
        int scale = Math.max(1, IMAGE_SIZE / Math.max(p.shape().height(), p.shape().width()));
        String size = String.format(Locale.ROOT, " width=\"%d\" height=\"%d\"", p.shape().width() * scale,
                p.shape().height() * scale);
        b.append("<table class=\"gradcam\">\n<tr><th class=\"left\">example</th><th>input</th>");
        for (GradCamPanel.RunMaps m : p.runs()) {
            b.append("<th>").append(swatch.apply(m.run())).append(escape(m.run().label())).append("</th>");
        }
        b.append("</tr>\n");
        for (int i = 0; i < p.examples().size(); i++) {
            GradCamPanel.Example e = p.examples().get(i);
            b.append("<tr><td class=\"left\">").append(GroupLabels.example(p.groups(), e.group(), e.label(), e.id()))
                    .append("</td><td><img alt=\"input ")
                    .append(escape(e.id())).append("\"").append(size).append(" src=\"")
                    .append(PngImages.dataUri(PngImages.example(e.pixels(), p.shape()))).append("\"></td>");
            for (GradCamPanel.RunMaps m : p.runs()) {
                int pred = m.maps().predicted()[i];
                boolean right = pred == e.label();
                b.append("<td><img alt=\"Grad-CAM ").append(escape(m.run().label())).append("\"").append(size)
                        .append(" src=\"").append(PngImages.dataUri(PngImages.overlay(e.pixels(), p.shape(),
                                m.maps().maps()[i]))).append("\"><span class=\"caption ")
                        .append(right ? "right" : "wrong").append("\">").append(escape(p.groups().labelName(pred)))
                        .append(' ').append(right ? RIGHT : WRONG).append("</span></td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }
}
