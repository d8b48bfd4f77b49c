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

    @Test
    void aHistogramHasOneBarPerBinUpToARoundCount() {
        String svg = SvgCharts.histogram(List.of(new SvgCharts.Bin(0.5, 1.0, 1900), new SvgCharts.Bin(1.0, 2.0, 0),
                new SvgCharts.Bin(8.0, null, 100)), "weight", "#222");
        List<double[]> bars = bars(svg);
        assertEquals(3, bars.size());
        // y from 0 to 2000; band 416/3
        double band = 416.0 / 3;
        assertBar(bars.get(0), 48 + band * 0.1, 196 - 180 * 0.95, band * 0.8, 180 * 0.95);
        assertEquals(0, bars.get(1)[3], 0.05);
        assertEquals(9, bars.get(2)[3], 0.05);
        assertTrue(svg.contains(">0.5–1</text>"), svg);
        assertTrue(svg.contains(">≥8</text>"), svg);
        assertTrue(svg.contains(">2000</text>"), svg);
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
