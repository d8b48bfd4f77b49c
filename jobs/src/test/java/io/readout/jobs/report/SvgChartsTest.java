package io.readout.jobs.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Geometry checked by hand. The frame: 480×240, plot area x ∈ [48, 464] (416 wide), y ∈ [16, 196] (180 high).
 */
class SvgChartsTest {
    private static final Pattern RECT = Pattern.compile(
            "<rect class=\"bar\" x=\"([-\\d.]+)\" y=\"([-\\d.]+)\" width=\"([-\\d.]+)\" height=\"([-\\d.]+)\"");

    private static List<double[]> bars(String svg) {
        List<double[]> out = new ArrayList<>();
        Matcher m = RECT.matcher(svg);
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))});
        }
        return out;
    }

    @Test
    void scalesMapLinearlyAndMayRunBackwards() {
        SvgCharts.Scale y = SvgCharts.yScale(0, 1);
        assertEquals(196, y.map(0), 1e-9);
        assertEquals(16, y.map(1), 1e-9);
        assertEquals(106, y.map(0.5), 1e-9);
        assertEquals(151, y.map(0.25), 1e-9);
        assertEquals(58, new SvgCharts.Scale(-1, 1, 48, 68).map(0), 1e-9);
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0), SvgCharts.ticks(0, 1, 5));
        assertEquals(List.of(0.0, 500.0, 1000.0, 1500.0, 2000.0), SvgCharts.ticks(0, 2000, 5));
        assertEquals(2000, SvgCharts.niceMax(1900, 5), 1e-9); // step 500
        assertEquals(1.5, SvgCharts.niceMax(1.32, 5), 1e-9);  // raw step 0.264 → 0.5
        assertEquals(1, SvgCharts.niceMax(0, 5), 1e-9);
        assertEquals(List.of(1.0, 2.0, 3.0), SvgCharts.integerTicks(1, 3, 10));
        assertEquals(List.of(1.0, 3.0, 5.0, 7.0, 9.0, 11.0, 13.0, 15.0, 17.0, 19.0), SvgCharts.integerTicks(1, 20, 10)); // step ceil(20/10) = 2
        assertEquals("0.25", SvgCharts.number(0.25));
        assertEquals("500", SvgCharts.number(500));
    }

    @Test
    void oneSeriesOfBarsSitsInTheMiddleOfItsBands() {
        String svg = SvgCharts.barChart(List.of("0", "1"), List.of(new SvgCharts.Bars("erm", "#123456",
                new double[] {0.5, 1.0})), "group", "accuracy", 1);
        List<double[]> bars = bars(svg);
        assertEquals(2, bars.size());
        // band 208, bars 0.8·208 = 166.4 wide, starting 20.8 into their band
        assertBar(bars.get(0), 68.8, 106, 166.4, 90);
        assertBar(bars.get(1), 276.8, 16, 166.4, 180);
        assertTrue(svg.startsWith("<svg class=\"chart\" viewBox=\"0 0 480 240\""), svg);
        assertTrue(svg.contains("fill=\"#123456\""));
        assertTrue(svg.contains("<title>erm, group 1: 1.0000</title>"), svg);
    }

    @Test
    void groupedBarsShareTheBandAndAMissingValueDrawsNoBar() {
        String svg = SvgCharts.barChart(List.of("0", "1", "2", "3"), List.of(
                new SvgCharts.Bars("a", "#000001", new double[] {0.25, 0.5, 0.75, 1.0}),
                new SvgCharts.Bars("b", "#000002", new double[] {1.0, Double.NaN, 0.0, 0.5})), "group", "accuracy", 1);
        List<double[]> bars = bars(svg);
        assertEquals(7, bars.size());
        // band 104, group 83.2, bar 41.6; the band starts 10.4 in
        assertBar(bars.get(0), 58.4, 151, 41.6, 45);   // a, group 0
        assertBar(bars.get(1), 100.0, 16, 41.6, 180);  // b, group 0
        assertBar(bars.get(2), 162.4, 106, 41.6, 90);  // a, group 1; b has none there
        assertBar(bars.get(4), 308.0, 196, 41.6, 0);   // b, group 2: zero height
        assertTrue(svg.contains("<title>b, group 1: none</title>"), svg);
    }

    @Test
    void barsAboveTheTopAreClipped() {
        List<double[]> bars = bars(SvgCharts.barChart(List.of("x"), List.of(new SvgCharts.Bars("a", "#000",
                new double[] {3})), "x", "y", 2));
        assertBar(bars.get(0), 89.6, 16, 332.8, 180);
    }

    @Test
    void linesRunThroughTheirPointsInsideTheInset() {
        String svg = SvgCharts.lineChart(List.of(new SvgCharts.Line("wga", "#111", new double[] {1, 2, 3},
                new double[] {0.5, 0.25, 1.0})), "epoch", "accuracy", 0, 1);
        // x: epoch 1 → 58, epoch 3 → 454 (10 inside the plot area); y as above
        assertTrue(svg.contains("points=\"58.0,106.0 256.0,151.0 454.0,16.0\""), svg);
        assertEquals(3, count(svg, "<circle "));
    }

    @Test
    void twoSeriesShareTheScaleEachWithItsLineColourAndName() {
        // training and validation loss on one chart from 0 to 0.8: y = 196 − 180 × loss / 0.8
        String svg = SvgCharts.lineChart(List.of(
                new SvgCharts.Line("training loss", "#111", new double[] {1, 2}, new double[] {0.8, 0.4}),
                new SvgCharts.Line("val loss", "#222", new double[] {1, 2}, new double[] {0.6, 0.5})),
                "epoch", "loss", 0, 0.8);
        assertTrue(svg.contains("stroke=\"#111\" stroke-width=\"2\" points=\"58.0,16.0 454.0,106.0\""), svg);
        assertTrue(svg.contains("stroke=\"#222\" stroke-width=\"2\" points=\"58.0,61.0 454.0,83.5\""), svg);
        assertTrue(svg.contains("fill=\"#222\"><title>val loss, epoch 1: 0.6000</title>"), svg);
        assertEquals(2, count(svg, "<polyline "));
        assertEquals(4, count(svg, "<circle "));
    }

    @Test
    void aMissingValueBreaksTheLine() {
        String svg = SvgCharts.lineChart(List.of(new SvgCharts.Line("aux", "#111", new double[] {1, 2, 3, 4, 5},
                new double[] {0, 1, Double.NaN, 1, 0})), "epoch", "accuracy", 0, 1);
        // x: 58 + (e − 1)·99
        assertTrue(svg.contains("points=\"58.0,196.0 157.0,16.0\""), svg);
        assertTrue(svg.contains("points=\"355.0,16.0 454.0,196.0\""), svg);
        assertEquals(4, count(svg, "<circle "));
    }

    @Test
    void aSingleEpochIsCentred() {
        String svg = SvgCharts.lineChart(List.of(new SvgCharts.Line("loss", "#111", new double[] {1},
                new double[] {0.5})), "epoch", "loss", 0, 1);
        assertTrue(svg.contains("cx=\"256.0\" cy=\"106.0\""), svg);
        assertFalse(svg.contains("<polyline"), "one point is no line");
    }

    private static final Pattern HISTOGRAM_BAR = Pattern.compile("<rect class=\"(bar(?: open)?)\" x=\"([-\\d.]+)\" "
            + "y=\"([-\\d.]+)\" width=\"([-\\d.]+)\" height=\"([-\\d.]+)\"([^>]*)>");

    /**
     * Bins [0, 1), [1, 2), [2, 4), [4, 6) and an open [6, …), drawn as wide as [4, 6): x from 0 to 8, 52 pixels a
     * unit. Counts on a log scale from 0.5 to 1000 (the top decade): 180 / log10(2000) = 54.53 pixels a decade.
     */
    @Test
    void aHistogramsBarsSpanTheirBinsAndRiseWithTheLogOfTheirCounts() {
        String svg = SvgCharts.histogram(List.of(new SvgCharts.Bin(0, 1.0, 10), new SvgCharts.Bin(1, 2.0, 1000),
                new SvgCharts.Bin(2, 4.0, 0), new SvgCharts.Bin(4, 6.0, 1), new SvgCharts.Bin(6, null, 100)), "weight",
                "#222");
        List<String[]> bars = new ArrayList<>();
        Matcher m = HISTOGRAM_BAR.matcher(svg);
        while (m.find()) {
            bars.add(new String[] {m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)});
        }
        assertEquals(4, bars.size(), "no bar for the empty bin");
        double decade = 180 / Math.log10(2000);
        assertEquals(54.53, decade, 0.005);
        assertHistogramBar(bars.get(0), 48, 52, decade * Math.log10(20));      // 10 examples: 1.301 decades up → 70.94
        assertHistogramBar(bars.get(1), 100, 52, 180);                          // 1000: the top
        assertHistogramBar(bars.get(2), 256, 104, decade * Math.log10(2));      // 1: 0.301 decades → 16.41
        assertHistogramBar(bars.get(3), 360, 104, decade * Math.log10(200));    // 100 → 125.47, the open bin
        assertEquals(70.94, decade * Math.log10(20), 0.005);
        for (int i = 0; i < 3; i++) {
            assertEquals("bar", bars.get(i)[0]);
        }
        assertEquals("bar open", bars.get(3)[0]);
        assertTrue(bars.get(3)[5].contains("stroke-dasharray"), "the open bin is dashed: " + bars.get(3)[5]);
        assertTrue(svg.contains(">open →</text>"), svg);
        assertTrue(svg.contains("<title>weight ≥6 (open bin): 100 examples</title>"), svg);
        assertFalse(svg.contains("<title>weight 2–4"), "no bar, no title for the empty bin");
        // counts above the bars, 0 on the axis; the grid at 1, 10, 100, 1000
        assertTrue(svg.contains("y=\"13.0\" text-anchor=\"middle\">1000</text>"), svg);
        assertTrue(svg.contains("y=\"193.0\" text-anchor=\"middle\">0</text>"), svg);
        for (String tick : List.of(">1</text>", ">10</text>", ">100</text>", ">1000</text>")) {
            assertTrue(svg.contains(tick), tick);
        }
        assertFalse(svg.contains(">10000</text>"), "no decade above the largest count");
        // the bins' edges on the x axis: 0 at 48, 4 at 256, 6 at 360; no upper edge for the open bin
        assertTrue(svg.contains("x=\"256.0\" y=\"210.0\" text-anchor=\"middle\">4</text>"), svg);
        assertTrue(svg.contains("x=\"360.0\" y=\"210.0\" text-anchor=\"middle\">6</text>"), svg);
        assertFalse(svg.contains(">8</text>"), svg);
    }

    @Test
    void aHistogramOfClosedBinsEndsAtTheLastEdge() {
        String svg = SvgCharts.histogram(List.of(new SvgCharts.Bin(0, 0.5, 3), new SvgCharts.Bin(0.5, 1.0, 1)), "w",
                "#222");
        assertTrue(svg.contains("x=\"464.0\" y=\"210.0\" text-anchor=\"middle\">1</text>"), svg);
        assertFalse(svg.contains("open"), svg);
        assertTrue(svg.contains(">10</text>"), "at least one decade");
    }

    @Test
    void categoryLabelsOfSeveralLinesMakeTheChartTaller() {
        String svg = SvgCharts.barChart(List.of("Dress\ndigit 0\nn=475", "Dress\ndigit 1\nn=25\nbias-conflicting"),
                List.of(new SvgCharts.Bars("erm", "#123456", new double[] {0.5, 1.0})), "group", "accuracy", 1);
        // four lines: 3 × 12 pixels below the frame of 240; the plot area as before
        assertTrue(svg.startsWith("<svg class=\"chart\" viewBox=\"0 0 480 276\" width=\"480\" height=\"276\""), svg);
        assertTrue(svg.contains("<text class=\"tick\" x=\"152.0\" y=\"210.0\" text-anchor=\"middle\">Dress"
                + "<tspan x=\"152.0\" dy=\"12\">digit 0</tspan><tspan x=\"152.0\" dy=\"12\">n=475</tspan></text>"), svg);
        assertTrue(svg.contains("<tspan x=\"360.0\" dy=\"12\">bias-conflicting</tspan>"), svg);
        assertTrue(svg.contains("y=\"268.0\" text-anchor=\"middle\">group</text>"), "the axis label under them");
        assertBar(bars(svg).get(1), 276.8, 16, 166.4, 180);
    }

    private static void assertHistogramBar(String[] bar, double x, double width, double height) {
        assertEquals(x, Double.parseDouble(bar[1]), 0.05, "x");
        assertEquals(width, Double.parseDouble(bar[3]), 0.05, "width");
        assertEquals(height, Double.parseDouble(bar[4]), 0.06, "height");
        assertEquals(196 - height, Double.parseDouble(bar[2]), 0.06, "y");
    }

    @Test
    void textIsEscaped() {
        String svg = SvgCharts.barChart(List.of("<a>"), List.of(new SvgCharts.Bars("x & \"y\"", "#000",
                new double[] {0.5})), "g", "acc", 1);
        assertTrue(svg.contains("&lt;a&gt;"));
        assertTrue(svg.contains("x &amp; &quot;y&quot;"));
        assertFalse(svg.contains("<a>"));
    }

    private static void assertBar(double[] bar, double x, double y, double width, double height) {
        assertEquals(x, bar[0], 0.05, "x");
        assertEquals(y, bar[1], 0.05, "y");
        assertEquals(width, bar[2], 0.05, "width");
        assertEquals(height, bar[3], 0.05, "height");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void errorBarsWhiskersAndSeedDotsSitOnTheMean() {
        String svg = SvgCharts.errorBarChart(List.of("average", "worst-group"), List.of(new SvgCharts.ErrorBars("erm",
                "#123456", new double[] {0.5, Double.NaN}, new double[] {0.25, Double.NaN},
                new double[][] {{0.25, 0.75}, {}}, new long[][] {{0, 1}, {}})), "accuracy", "test accuracy", 1);
        List<double[]> bars = bars(svg);
        assertEquals(1, bars.size(), "no bar without a mean");
        // as one series of bars: band 208, bar 166.4 wide from 68.8, centre 152; 0.5 at y 106
        assertBar(bars.get(0), 68.8, 106, 166.4, 90);
        // whisker 0.25 to 0.75: y 151 to 61, caps 8 wide about the centre
        assertTrue(svg.contains("<path class=\"whisker\" d=\"M152.0,61.0V151.0M148.0,61.0H156.0M148.0,151.0H156.0\""),
                svg);
        assertTrue(svg.contains("<title>erm, average: 0.5000 ± 0.2500</title>"), svg);
        // the dots across the middle half of the bar: 152 ∓ 41.6
        assertTrue(svg.contains("<circle class=\"seed-point\" cx=\"110.4\" cy=\"151.0\""), svg);
        assertTrue(svg.contains("<circle class=\"seed-point\" cx=\"193.6\" cy=\"61.0\""), svg);
        assertTrue(svg.contains("<title>erm, average, seed 1: 0.7500</title>"), svg);
        assertTrue(svg.contains("<title>erm, worst-group: none</title>"), svg);
        assertEquals(1, svg.split("class=\"whisker\"", -1).length - 1);
    }
}
