package io.readout.jobs.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small charts as inline SVG text, with no script and no external reference: a grouped bar chart, a line
 * chart and a histogram. Every chart has the same frame ({@value #WIDTH}×{@value #HEIGHT}, taller below the
 * plot area for a bar chart's labels of several lines; plot area
 * x ∈ [{@value #LEFT}, {@value #WIDTH} − {@value #RIGHT}], y ∈ [{@value #TOP}, {@value #HEIGHT} − {@value #BOTTOM}]),
 * horizontal grid lines at "nice" ticks, and a {@code <title>} on every mark so a reader can hover for the
 * exact value. Legends are the page's business (one legend serves several charts).
 */
public final class SvgCharts {
    static final int WIDTH = 480;
    static final int HEIGHT = 240;
    static final int LEFT = 48;
    static final int RIGHT = 16;
    static final int TOP = 16;
    static final int BOTTOM = 44;
    /** Line charts keep their first and last points this far inside the plot area. */
    static final int LINE_INSET = 10;
    /** The bottom of a histogram's log scale: half an example, so a count of one has a bar. */
    static final double HISTOGRAM_FLOOR = 0.5;
    /** A category label's lines are this far apart; each line after the first makes a bar chart this much taller. */
    static final int LINE_HEIGHT = 12;
    /** Bars fill this fraction of their category's band, centred. */
    static final double BAND_FILL = 0.8;

    /** Tableau 10: distinguishable, and readable in grey print. */
    public static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
            "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

    private SvgCharts() {
    }

    /** The i-th colour of the palette, cycling. */
    public static String color(int i) {
        return PALETTE.get(Math.floorMod(i, PALETTE.size()));
    }

    /** A linear map from a domain to a range (pixels); the range may run backwards (SVG's y grows downwards). */
    public record Scale(double domainMin, double domainMax, double rangeMin, double rangeMax) {
        public double map(double v) {
            return rangeMin + (v - domainMin) * (rangeMax - rangeMin) / (domainMax - domainMin);
        }
    }

    /** One bar per category; NaN where there is no value. */
    public record Bars(String name, String color, double[] values) {
    }

    /**
     * One bar per category at the mean, a whisker from mean − std to mean + std, and a dot per seed's value;
     * NaN mean: no bar; NaN std: no whisker; {@code points[i]} the values of category i (may be empty) and
     * {@code seeds[i]} their seeds.
     */
    public record ErrorBars(String name, String color, double[] mean, double[] std, double[][] points, long[][] seeds) {
    }

    /** A line through (x[i], y[i]); a NaN y breaks the line. */
    public record Line(String name, String color, double[] x, double[] y) {
    }

    /** A histogram bin [from, to), {@code to} null for an open last bin. */
    public record Bin(double from, Double to, long count) {
        String label() {
            return to == null ? "≥" + number(from) : number(from) + "–" + number(to);
        }
    }

    static double plotLeft() {
        return LEFT;
    }

    static double plotRight() {
        return WIDTH - RIGHT;
    }

    static double plotTop() {
        return TOP;
    }

    static double plotBottom() {
        return HEIGHT - BOTTOM;
    }

    /** The y scale of a chart whose values run from {@code min} to {@code max}. */
    static Scale yScale(double min, double max) {
        return new Scale(min, max, plotBottom(), plotTop());
    }

    /**
     * Grouped bars: for each category a band, inside it one bar per series, from 0 up to the value
     * on a y axis from 0 to {@code yMax}.
     */
    public static String barChart(List<String> categories, List<Bars> series, String xLabel, String yLabel, double yMax) {
        Scale y = yScale(0, yMax);
        int height = height(categories);
        StringBuilder b = open(yLabel + " by " + xLabel, height);
        grid(b, y, ticks(0, yMax, 5));
        double band = (plotRight() - plotLeft()) / Math.max(1, categories.size());
        double barWidth = band * BAND_FILL / Math.max(1, series.size());
        for (int i = 0; i < categories.size(); i++) {
            double bandLeft = plotLeft() + i * band;
            for (int j = 0; j < series.size(); j++) {
                Bars s = series.get(j);
                double v = i < s.values().length ? s.values()[i] : Double.NaN;
                double x = bandLeft + band * (1 - BAND_FILL) / 2 + j * barWidth;
                String tip = s.name() + ", " + xLabel + " " + categories.get(i).replace("\n", ", ") + ": "
                        + (Double.isNaN(v) ? "none" : value(v));
                if (Double.isNaN(v)) {
                    b.append(String.format(Locale.ROOT, "<text class=\"na\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                            + "–<title>%s</title></text>%n", x + barWidth / 2, plotBottom() - 3, escape(tip)));
                    continue;
                }
                double top = y.map(Math.min(Math.max(v, 0), yMax));
                b.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\"><title>%s</title></rect>%n", x, top, barWidth, plotBottom() - top, s.color(),
                        escape(tip)));
            }
            lines(b, bandLeft + band / 2, plotBottom() + 14, categories.get(i));
        }
        axes(b, xLabel, yLabel, height);
        return b.append("</svg>\n").toString();
    }

    /**
     * Grouped bars of means over seeds, as {@link #barChart}, each with a whisker of ± one standard deviation
     * (clipped to the axis, capped at both ends) and the seeds' values as dots spread across the bar.
     */
    public static String errorBarChart(List<String> categories, List<ErrorBars> series, String xLabel, String yLabel,
                                       double yMax) {
        Scale y = yScale(0, yMax);
        StringBuilder b = open(yLabel + " by " + xLabel, HEIGHT);
        grid(b, y, ticks(0, yMax, 5));
        double band = (plotRight() - plotLeft()) / Math.max(1, categories.size());
        double barWidth = band * BAND_FILL / Math.max(1, series.size());
        for (int i = 0; i < categories.size(); i++) {
            double bandLeft = plotLeft() + i * band;
            for (int j = 0; j < series.size(); j++) {
                ErrorBars s = series.get(j);
                double mean = i < s.mean().length ? s.mean()[i] : Double.NaN;
                double std = i < s.std().length ? s.std()[i] : Double.NaN;
                double x = bandLeft + band * (1 - BAND_FILL) / 2 + j * barWidth;
                double centre = x + barWidth / 2;
                String where = s.name() + ", " + categories.get(i);
                if (Double.isNaN(mean)) {
                    b.append(String.format(Locale.ROOT, "<text class=\"na\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
                            + "–<title>%s</title></text>%n", centre, plotBottom() - 3, escape(where + ": none")));
                    continue;
                }
                double top = y.map(clip(mean, yMax));
                b.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                        + "fill=\"%s\" fill-opacity=\"0.75\"><title>%s</title></rect>%n", x, top, barWidth,
                        plotBottom() - top, s.color(), escape(where + ": " + value(mean)
                                + (Double.isNaN(std) ? "" : " ± " + value(std)))));
                if (!Double.isNaN(std)) {
                    double hi = y.map(clip(mean + std, yMax));
                    double lo = y.map(clip(mean - std, yMax));
                    double cap = Math.min(8, barWidth / 3);
                    b.append(String.format(Locale.ROOT, "<path class=\"whisker\" d=\"M%.1f,%.1fV%.1fM%.1f,%.1fH%.1fM%.1f,%.1fH%.1f\" "
                            + "stroke=\"#222\" stroke-width=\"1.2\" fill=\"none\"><title>%s</title></path>%n",
                            centre, hi, lo, centre - cap / 2, hi, centre + cap / 2, centre - cap / 2, lo, centre + cap / 2,
                            escape(where + ": ± " + value(std))));
                }
                double[] points = i < s.points().length ? s.points()[i] : new double[0];
                for (int k = 0; k < points.length; k++) {
                    // Spread across the middle half of the bar, so equal values stay visible one by one.
                    double px = points.length == 1 ? centre : centre - barWidth / 4 + k * (barWidth / 2) / (points.length - 1);
                    b.append(String.format(Locale.ROOT, "<circle class=\"seed-point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" "
                            + "fill=\"#fff\" stroke=\"#222\"><title>%s</title></circle>%n", px, y.map(clip(points[k], yMax)),
                            escape(where + ", seed " + s.seeds()[i][k] + ": " + value(points[k]))));
                }
            }
            text(b, bandLeft + band / 2, plotBottom() + 14, "middle", categories.get(i), "tick");
        }
        axes(b, xLabel, yLabel, HEIGHT);
        return b.append("</svg>\n").toString();
    }

    private static double clip(double v, double yMax) {
        return Math.min(Math.max(v, 0), yMax);
    }

    /** Lines over a shared x axis (integers: epochs), y from {@code yMin} to {@code yMax}. */
    public static String lineChart(List<Line> lines, String xLabel, String yLabel, double yMin, double yMax) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        for (Line l : lines) {
            for (double x : l.x()) {
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x);
            }
        }
        if (xMin > xMax) {
            xMin = 0;
            xMax = 1;
        }
        if (xMin == xMax) {
            xMin -= 1;
            xMax += 1;
        }
        Scale x = new Scale(xMin, xMax, plotLeft() + LINE_INSET, plotRight() - LINE_INSET);
        Scale y = yScale(yMin, yMax);
        StringBuilder b = open(yLabel + " by " + xLabel, HEIGHT);
        grid(b, y, ticks(yMin, yMax, 5));
        for (double t : integerTicks(xMin, xMax, 10)) {
            text(b, x.map(t), plotBottom() + 14, "middle", number(t), "tick");
        }
        for (Line l : lines) {
            List<String> segment = new ArrayList<>();
            StringBuilder marks = new StringBuilder();
            for (int i = 0; i < l.x().length; i++) {
                double v = i < l.y().length ? l.y()[i] : Double.NaN;
                if (Double.isNaN(v)) {
                    polyline(b, segment, l.color());
                    segment.clear();
                    continue;
                }
                double px = x.map(l.x()[i]);
                double py = y.map(v);
                segment.add(String.format(Locale.ROOT, "%.1f,%.1f", px, py));
                marks.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s</title>"
                        + "</circle>%n", px, py, l.color(),
                        escape(l.name() + ", " + xLabel + " " + number(l.x()[i]) + ": " + value(v))));
            }
            polyline(b, segment, l.color());
            b.append(marks);
        }
        axes(b, xLabel, yLabel, HEIGHT);
        return b.append("</svg>\n").toString();
    }

    /**
     * A histogram on a linear x axis, each bar spanning its bin, so unequal bins keep their widths; heights are
     * counts on a log scale from half an example (one decade a grid line, so a bin of one example still shows and
     * the few large weights are not lost beside the many ordinary ones), each count written above its bar. An
     * open last bin ({@code to} null) is drawn as wide as the bin before it, lighter, dashed and marked "open →":
     * its width says nothing of how far its weights reach.
     */
    public static String histogram(List<Bin> bins, String xLabel, String color) {
        if (bins.isEmpty()) {
            return barChart(List.of(), List.of(), xLabel, "examples (log scale)", 1);
        }
        double[] from = new double[bins.size()];
        double[] to = new double[bins.size()];
        long max = 0;
        for (int i = 0; i < bins.size(); i++) {
            Bin bin = bins.get(i);
            from[i] = bin.from();
            double previousWidth = i > 0 ? to[i - 1] - from[i - 1] : 1;
            to[i] = bin.to() != null ? bin.to() : bin.from() + previousWidth;
            max = Math.max(max, bin.count());
        }
        Scale x = new Scale(from[0], to[bins.size() - 1], plotLeft(), plotRight());
        int decades = (int) Math.max(1, Math.ceil(Math.log10(Math.max(1, max)) - 1e-9));
        Scale y = yScale(Math.log10(HISTOGRAM_FLOOR), decades);
        StringBuilder b = open("examples (log scale) by " + xLabel, HEIGHT);
        for (int d = 0; d <= decades; d++) {
            double py = y.map(d);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    plotLeft(), py, plotRight(), py));
            text(b, plotLeft() - 6, py + 4, "end", number(Math.pow(10, d)), "tick");
        }
        for (int i = 0; i < bins.size(); i++) {
            Bin bin = bins.get(i);
            boolean open = bin.to() == null;
            double left = x.map(from[i]);
            double right = x.map(to[i]);
            String tip = xLabel + " " + bin.label() + (open ? " (open bin)" : "") + ": " + bin.count() + " examples";
            double top = bin.count() > 0 ? y.map(Math.log10(bin.count())) : plotBottom();
            if (bin.count() > 0) {
                b.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\"%s><title>%s</title></rect>%n", open ? "bar open" : "bar", left, top,
                        right - left, plotBottom() - top, color,
                        // a style, not attributes: the page's CSS gives bars a white stroke
                        open ? " fill-opacity=\"0.35\" style=\"stroke:" + color
                                + ";stroke-width:1.5;stroke-dasharray:4 3\"" : "",
                        escape(tip)));
            }
            text(b, (left + right) / 2, top - 3, "middle", String.valueOf(bin.count()), "count");
            text(b, left, plotBottom() + 14, "middle", number(from[i]), "tick");
            if (open) {
                text(b, (left + right) / 2, plotBottom() + 26, "middle", "open →", "tick open");
            } else if (i == bins.size() - 1) {
                text(b, right, plotBottom() + 14, "middle", number(to[i]), "tick");
            }
        }
        axes(b, xLabel, "examples (log scale)", HEIGHT);
        return b.append("</svg>\n").toString();
    }

    /** The smallest tick at or above {@code max} (1 when max ≤ 0), so a chart's top is a round number. */
    static double niceMax(double max, int count) {
        if (!(max > 0)) {
            return 1;
        }
        double step = niceStep(max, count);
        return Math.ceil(max / step - 1e-9) * step;
    }

    /** 1, 2 or 5 times a power of ten, about range/count. */
    static double niceStep(double range, int count) {
        double raw = range / count;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / magnitude;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    /** Round values from min to max, about {@code count} steps apart. */
    static List<Double> ticks(double min, double max, int count) {
        List<Double> out = new ArrayList<>();
        if (!(max > min)) {
            out.add(min);
            return out;
        }
        double step = niceStep(max - min, count);
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
            out.add(round(k * step));
        }
        return out;
    }

    /** Integer ticks (epochs), at most about {@code count}. */
    static List<Double> integerTicks(double min, double max, int count) {
        long lo = (long) Math.ceil(min);
        long hi = (long) Math.floor(max);
        long step = Math.max(1, (long) Math.ceil((hi - lo + 1) / (double) count));
        List<Double> out = new ArrayList<>();
        for (long t = lo; t <= hi; t += step) {
            out.add((double) t);
        }
        return out;
    }

    private static double round(double v) {
        return new BigDecimal(v).round(new MathContext(10)).doubleValue();
    }

    /** A tick label: as few digits as the value needs. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** A value in a tooltip: four decimals, as the command line prints accuracies. */
    static String value(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static StringBuilder open(String label, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">%n",
                WIDTH, height, WIDTH, height, escape(label)));
    }

    /** The frame's height with room for the category labels' lines ("\n" separates them). */
    static int height(List<String> categories) {
        int lines = categories.stream().mapToInt(c -> c.split("\n", -1).length).max().orElse(1);
        return HEIGHT + LINE_HEIGHT * (lines - 1);
    }

    /** A category label, its lines ("\n") one under another, centred on x. */
    private static void lines(StringBuilder b, double x, double y, String label) {
        String[] lines = label.split("\n", -1);
        b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s", x, y,
                escape(lines[0])));
        for (int i = 1; i < lines.length; i++) {
            b.append(String.format(Locale.ROOT, "<tspan x=\"%.1f\" dy=\"%d\">%s</tspan>", x, LINE_HEIGHT,
                    escape(lines[i])));
        }
        b.append("</text>\n");
    }

    private static void grid(StringBuilder b, Scale y, List<Double> ticks) {
        for (double t : ticks) {
            double py = y.map(t);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                    plotLeft(), py, plotRight(), py));
            text(b, plotLeft() - 6, py + 4, "end", number(t), "tick");
        }
    }

    private static void axes(StringBuilder b, String xLabel, String yLabel, int height) {
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                plotLeft(), plotBottom(), plotRight(), plotBottom()));
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>%n",
                plotLeft(), plotTop(), plotLeft(), plotBottom()));
        text(b, (plotLeft() + plotRight()) / 2, height - 8, "middle", xLabel, "label");
        b.append(String.format(Locale.ROOT, "<text class=\"label\" transform=\"translate(12,%.1f) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", (plotTop() + plotBottom()) / 2, escape(yLabel)));
    }

    private static void polyline(StringBuilder b, List<String> points, String color) {
        if (points.size() > 1) {
            b.append(String.format(Locale.ROOT, "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                    + "points=\"%s\"/>%n", color, String.join(" ", points)));
        }
    }

    private static void text(StringBuilder b, double x, double y, String anchor, String s, String cls) {
        b.append(String.format(Locale.ROOT, "<text class=\"%s\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                cls, x, y, anchor, escape(s)));
    }

    /** Text for HTML and SVG content and attribute values. */
    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
