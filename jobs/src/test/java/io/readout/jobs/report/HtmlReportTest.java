package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import io.readout.datasets.ImageShape;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.SeedSummary;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page rendered without Spark from the run folders of {@link ReportModelTest}, the groups of a dataset
 * written by hand (two labels × two attributes, groups 1 and 2 the minority pairings) and Grad-CAM maps made up
 * for two examples: group names, sizes and tags, the runs' seeds, times and settings, the Grad-CAM table.
 */
class HtmlReportTest {
    @TempDir
    Path root;

    private static final DatasetGroups GROUPS = DatasetGroups.of("/nowhere", json("""
            {"source": {"label_names": ["Dress", "Coat"], "attribute_names": ["digit 0", "digit 1"]},
             "counts": {"train": {"total": 1000, "groups": {"0": 475, "1": 25, "2": 25, "3": 475}}}}"""),
            List.of(new DatasetGroups.Key(0, 0, 0), new DatasetGroups.Key(1, 0, 1), new DatasetGroups.Key(2, 1, 0),
                    new DatasetGroups.Key(3, 1, 1)));

    private static JsonNode json(String text) {
        return Json.mapper().valueToTree(Json.readObject(text, "test"));
    }

    private ReportModel model() throws IOException {
        ReportModelTest runs = new ReportModelTest();
        runs.root = root;
        runs.pipelineRoot();
        Files.writeString(root.resolve("teacher/config.json"), "{\"method\":\"erm\",\"arch\":\"teacher\",\"data\":"
                + "\"/nowhere\",\"epochs\":3,\"lr\":0.001,\"seed\":7}");
        Files.writeString(root.resolve("students/dedier/config.json"), "{\"method\":\"dedier\",\"arch\":\"student\","
                + "\"data\":\"/nowhere\",\"epochs\":3,\"lr\":0.01,\"seed\":7,\"distill\":{\"teacher\":\"/t\",\"beta\":2.5}}");
        Files.writeString(root.resolve("teacher/history.json"), "{\"select\":\"val_wga\",\"best_epoch\":2,\"epochs\":["
                + "{\"epoch\":1,\"loss\":0.7,\"val_loss\":0.65,\"val_accuracy\":0.6,\"val_wga\":0.1,\"val_group_mean\":0.5,\"seconds\":50.5,"
                + "\"fit_seconds\":40},{\"epoch\":2,\"loss\":0.4,\"val_loss\":0.5,\"val_accuracy\":0.7,\"val_wga\":0.2,\"val_group_mean\":0.5,"
                + "\"seconds\":100,\"fit_seconds\":80}]}");
        return ReportModel.read(new Configuration(), root.toString());
    }

    /** Two examples of the minority groups; the student ERM wrong on the first, right on the second. */
    private static GradCamPanel panel(ReportModel model) {
        ImageShape shape = new ImageShape(2, 2, 1);
        List<GradCamPanel.Example> examples = List.of(new GradCamPanel.Example("t-001", 1, 0, new float[] {0, 1, 1, 0}),
                new GradCamPanel.Example("t-002", 2, 1, new float[] {1, 0, 0, 1}));
        List<GradCamPanel.RunMaps> maps = new ArrayList<>();
        for (ReportModel.Run r : GradCamPanel.columns(model.runs())) {
            maps.add(new GradCamPanel.RunMaps(r, new GradCam.Maps(new int[] {1, 1},
                    new float[][] {{0, 0.5f, 1, 0}, {0, 0, 0, 0}}, 2, 2)));
        }
        return new GradCamPanel("/nowhere", shape, GROUPS, true, examples, maps, List.of("student kd: no model.zip"));
    }

    /** The column headers of a page's Grad-CAM table (a run's header: its label after its swatch). */
    static List<String> gradCamColumns(String html) {
        String header = html.substring(html.indexOf("<table class=\"gradcam\">"));
        header = header.substring(0, header.indexOf("</tr>"));
        List<String> columns = new ArrayList<>();
        Matcher th = Pattern.compile("<th[^>]*>(?:<span[^>]*></span>)?([^<]*)</th>").matcher(header);
        while (th.find()) {
            columns.add(th.group(1));
        }
        return columns;
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void groupsAreNamedSizedAndTaggedWhereverTheyAreShown() throws IOException {
        ReportModel model = model();
        String html = HtmlReport.render(model, Map.of("/nowhere", GROUPS), List.of(panel(model)), "now");
        // the per-group chart: name, size and tag on lines of their own (the runs' groups are 0 and 1)
        assertTrue(html.contains(">Dress<tspan x=\"152.0\" dy=\"12\">digit 0</tspan><tspan x=\"152.0\" dy=\"12\">"
                + "n=475</tspan></text>"), html);
        assertTrue(html.contains("<tspan x=\"360.0\" dy=\"12\">n=25</tspan><tspan x=\"360.0\" dy=\"12\">"
                + "bias-conflicting</tspan>"), html);
        // the per-group table
        assertTrue(html.contains("<tr><td>1</td><td class=\"left\">Dress · digit 1 <span class=\"tag\">bias-conflicting"
                + "</span></td><td>25</td>"), html);
        assertTrue(html.contains("<tr><td>0</td><td class=\"left\">Dress · digit 0</td><td>475</td>"), html);
        // DEDIER's flagged fraction and confidence per group: named too (two charts of group 1)
        assertEquals(1 + 2, count(html, "dy=\"12\">n=25</tspan>"), "per-group chart and both DEDIER charts");
        // the Grad-CAM rows: the group, its size and tag, the true label
        assertTrue(html.contains("<tr><td class=\"left\">Dress · digit 1 <span class=\"caption\">n=25</span> "
                + "<span class=\"tag\">bias-conflicting</span><br><span class=\"caption\">true: Dress<br>t-001</span>"), html);
        assertTrue(html.contains("true: Coat<br>t-002"), html);
    }

    @Test
    void theGradCamTableHasTheInputThenTheStudentsErmDedierSiferThenTheTeacher() throws IOException {
        ReportModel model = model();
        String html = HtmlReport.render(model, Map.of("/nowhere", GROUPS), List.of(panel(model)), "now");
        assertEquals(List.of("example", "input", "student erm", "student dedier", "student sifer", "student jtt",
                "teacher erm"), gradCamColumns(html));
        String table = html.substring(html.indexOf("<table class=\"gradcam\">"));
        table = table.substring(0, table.indexOf("</table>"));
        // every run predicts Coat: wrong on the Dress example, right on the Coat one
        assertEquals(5, count(table, "<span class=\"caption wrong\">Coat ✗</span>"));
        assertEquals(5, count(table, "<span class=\"caption right\">Coat ✓</span>"));
        assertEquals(2 * (1 + 5), count(table, "src=\"data:image/png;base64,"));
        assertTrue(html.contains("student kd: no model.zip"), "the panel's notes");
        assertTrue(html.contains("<span class=\"ramp\" style=\"background:linear-gradient(to right,#000080,"), "legend");
        assertFalse(html.contains("Saliency"), "no vanilla-gradient maps beside Grad-CAM");
    }

    @Test
    void theRunsTableHasEachRunsSeedTrainingTimeAndSettings() throws IOException {
        String html = HtmlReport.render(model(), Map.of("/nowhere", GROUPS), List.of(), "now");
        String teacher = html.substring(html.indexOf("<tr><td class=\"left\"><span class=\"swatch\""));
        teacher = teacher.substring(0, teacher.indexOf("</tr>"));
        assertTrue(teacher.contains("<td>7</td>"), "the seed: " + teacher);
        // 50.5 + 100 seconds, of which 40 + 80 fitting
        assertTrue(teacher.contains("<td title=\"fit 2 min 00 s of 2 min 31 s\">2 min 31 s</td>"), teacher);
        // the other runs' configs have no epochs nor lr: nothing is shared, each run shows its own
        assertTrue(teacher.contains("<td class=\"settings\">epochs=3, lr=0.001</td>"), teacher);
        assertTrue(html.contains("No setting is shared by every run; in the table"), html);
        assertTrue(html.contains("<td class=\"settings\">epochs=3, lr=0.01, beta=2.5</td>"), html);
        assertFalse(html.contains("<table class=\"gradcam\">"), "no panel, no Grad-CAM table");
    }

    @Test
    void theTrainingCurvesDrawTheValidationLossWithTheTrainingLossWhereHistoryRecordsIt() throws IOException {
        ReportModel model = model();
        ReportModelTest.history(root.resolve("students/erm"), 1, 0.9, 0.6);   // written before val_loss
        model = ReportModel.read(new Configuration(), root.toString());
        String html = HtmlReport.render(model, Map.of("/nowhere", GROUPS), List.of(), "now");
        String curves = html.substring(html.indexOf("<h2 id=\"curves\">"));
        curves = curves.substring(0, curves.indexOf("<h2 ", 1));
        assertTrue(curves.contains("the validation loss is the mean cross-entropy of the validation split after the "
                + "epoch"), curves);
        assertFalse(curves.contains("records no validation loss"), "the old sentence is gone");
        String teacher = card(curves, "teacher erm");
        String valLoss = SvgCharts.color(1);
        assertTrue(teacher.contains("<span><span class=\"swatch\" style=\"background:" + valLoss + "\"></span>val loss"
                + "</span>"), "in the legend: " + teacher);
        // one chart, both series: loss 0 to 0.8, so 0.65 and 0.5 at y = 196 − 180 × loss / 0.8
        assertTrue(teacher.contains("<polyline class=\"line\" fill=\"none\" stroke=\"" + valLoss + "\" stroke-width=\"2\" "
                + "points=\"58.0,49.8 454.0,83.5\"/>"), teacher);
        assertTrue(teacher.contains("<title>val loss, epoch 2: 0.5000</title>"), teacher);
        assertTrue(teacher.contains("<title>training loss, epoch 2: 0.4000</title>"), teacher);
        assertEquals(2, count(teacher, "<svg "), "loss, accuracies");
        assertFalse(teacher.contains("No validation loss"), teacher);

        String older = card(curves, "student erm");
        assertTrue(older.contains("<title>training loss, epoch 2: 0.6000</title>"), older);
        assertFalse(older.contains("val loss"), "training loss only: " + older);
        assertTrue(older.contains("<p class=\"note\">No validation loss: <code>history.json</code> predates "
                + "<code>val_loss</code>; training loss only.</p>"), older);
    }

    /** The card of a run in a section of cards: from its heading to the next card. */
    private static String card(String section, String label) {
        String card = section.substring(section.indexOf(label + "</h3>"));
        int end = card.indexOf("<div class=\"card\">");
        return end < 0 ? card : card.substring(0, end);
    }

    @Test
    void aRootWithASeedListOpensWithTheSentenceAndShowsTheLowestSeed() throws IOException {
        List<AggregateFiles.Method> methods = List.of(
                new AggregateFiles.Method("student erm", "final", "test", "wga", new SeedSummary(0.5, 0.1, 0.4, 0.6, 2)),
                new AggregateFiles.Method("student dedier", "final", "test", "wga", new SeedSummary(0.7, 0.1, 0.6, 0.8, 2)));
        List<AggregateFiles.Paired> paired = List.of(new AggregateFiles.Paired("student dedier", "student erm", "final",
                "test", "wga", new SeedSummary(0.2, 0.05, 0.15, 0.25, 2)));
        SeedsReport seeds = new SeedsReport("/ROOT", List.of(4L, 2L), 2, new AggregateFiles.Aggregate(methods, paired),
                List.of());
        String html = HtmlReport.render(model(), Map.of("/nowhere", GROUPS), List.of(), "now", seeds);
        assertTrue(html.contains("<p class=\"lead\">Over 2 seeds (4, 2), DEDIER raised the student&#39;s test "
                + "worst-group accuracy from 0.500 ± 0.100 (ERM) to 0.700 ± 0.100 (+0.200 ± 0.050 paired).</p>"), html);
        assertTrue(html.indexOf("class=\"lead\"") < html.indexOf("<table class=\"methods\">"), "before the table");
        assertTrue(html.contains("show the runs of seed 2, the lowest"), html);
    }

    @Test
    void thePageIsTheSameEveryTime() throws IOException {
        ReportModel model = model();
        assertEquals(HtmlReport.render(model, Map.of("/nowhere", GROUPS), List.of(panel(model)), "now"),
                HtmlReport.render(model, Map.of("/nowhere", GROUPS), List.of(panel(model)), "now"));
    }
}
