package io.readout.jobs.report;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout report} through the command line on a pipeline root built for it: a tiny synthetic
 * dataset (4 groups), a teacher and ERM, DEDIER and SIFER students trained for one epoch and evaluated.
 * The page is self-contained and holds every run, the tables, a chart per figure, the groups by name and the
 * Grad-CAM images of the bias-conflicting groups; summary.json names the best runs; a rerun replaces the
 * report; bad input writes nothing.
 */
class ReportIT extends SharedSparkSession {
    /** Of the synthetic dataset's 4 groups, the minority pairings of label and corner: 1 and 2. */
    private static final int BIAS_CONFLICTING_GROUPS = 2;
    private static final List<String> LABELS = List.of("teacher erm", "student erm", "student dedier", "student sifer");

    @TempDir
    static Path tmp;
    static Path root;

    static void ok(String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.code(), String.join(" ", args) + ": " + run.err());
    }

    private static void train(String method, String arch, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--method", method, "--arch", arch, "--data",
                root.resolve("data").toString(), "--out", out.toString(), "--epochs", "1", "--batch", "32", "--lr", "0.01",
                "--workers", "2", "--averaging-frequency", "2", "--eval-batch", "64", "--seed", "5"));
        args.addAll(List.of(more));
        ok(args.toArray(new String[0]));
        ok("evaluate", "--run", out.toString(), "--data", root.resolve("data").toString(), "--split", "all");
    }

    @BeforeAll
    static void pipelineRoot() {
        root = tmp.resolve("root");
        ok("prepare", "--dataset", "synthetic", "--n-train", "256", "--n-val", "64", "--n-test", "64", "--shards", "1",
                "--seed", "4", "--out", root.resolve("data").toString());
        train("erm", "teacher", root.resolve("teacher"));
        train("erm", "student", root.resolve("students/erm"));
        train("dedier", "student", root.resolve("students/dedier"), "--teacher", root.resolve("teacher").toString());
        train("sifer", "student", root.resolve("students/sifer"), "--forget-every", "2");
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSelfContainedPageAndASummaryOfEveryRun() throws Exception {
        CliRun run = CliRun.of("report", "--run", root.toString());
        assertEquals(0, run.code(), run.err());
        Path report = root.resolve("report");
        assertTrue(run.out().contains("wrote " + report.resolve("report.html")), run.out());
        for (String label : LABELS) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(label + " ")), label + " in\n" + run.out());
        }
        for (String f : List.of("report.html", "summary.json", "_SUCCESS")) {
            assertTrue(Files.exists(report.resolve(f)), f);
        }

        String html = Files.readString(report.resolve("report.html"));
        assertFalse(html.contains("http:") || html.contains("https:"), "no network reference");
        Matcher refs = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (refs.find()) {
            assertTrue(refs.group(1).startsWith("data:image/png;base64,"), "only inline images: " + refs.group(1));
        }
        assertFalse(html.contains("<script"), "no script");
        for (String label : LABELS) {
            assertTrue(html.contains(label), label);
        }
        assertEquals(2, count(html, "<table>") + count(html, "<table class=\"methods\">"), "runs and methods tables");
        assertEquals(1, count(html, "<table class=\"groups\">"), "the per-group table");
        // the groups by the dataset's names, with their training sizes; the minority pairings tagged
        assertTrue(html.contains("<td class=\"left\">vertical stripes · dark corner <span class=\"tag\">"
                + "bias-conflicting</span></td>"), "group 2 named and tagged");
        assertTrue(html.contains("<td class=\"left\">horizontal stripes · dark corner</td>"), "group 0 named");
        assertTrue(html.contains("dy=\"12\">bias-conflicting</tspan>"), "tagged in the chart");
        assertTrue(html.contains("class=\"best\""), "best values marked");
        // every run trained now records its validation loss, drawn with its training loss
        assertEquals(LABELS.size(), count(html, "<title>val loss, epoch 1: "), "a val-loss point per run");
        assertFalse(html.contains("No validation loss"), html);
        // per-group test accuracy 1; curves 2 per run; DEDIER histogram, flagged, confidence; SIFER aux accuracy
        assertEquals(1 + 2 * LABELS.size() + 3 + 1, count(html, "<svg "));
        assertEquals(count(html, "<svg "), count(html, "</svg>"));
        // 2 examples per bias-conflicting group: the input and each run's map
        assertEquals(2 * BIAS_CONFLICTING_GROUPS * (1 + LABELS.size()), count(html, "src=\"data:image/png;base64,"));
        assertEquals(2 * BIAS_CONFLICTING_GROUPS * LABELS.size(), count(html, " ✓</span>") + count(html, " ✗</span>"),
                "a prediction under every map");
        // one Grad-CAM row per example: the input, then the students ERM, DEDIER and SIFER, then the teacher
        assertEquals(List.of("example", "input", "student erm", "student dedier", "student sifer", "teacher erm"),
                HtmlReportTest.gradCamColumns(html));

        Map<String, Object> summary = Json.readObject(Files.readString(report.resolve("summary.json")), "summary.json");
        List<Map<String, Object>> runs = (List<Map<String, Object>>) summary.get("runs");
        assertEquals(LABELS, runs.stream().map(r -> r.get("label")).toList());
        for (Map<String, Object> r : runs) {
            assertEquals(64, ((Number) ((Map<String, Object>) r.get("test")).get("n")).intValue());
            assertEquals(1, ((Number) ((Map<String, Object>) r.get("final_epoch")).get("epoch")).intValue());
            assertEquals(1, ((Number) r.get("best_epoch")).intValue());
        }
        Map<String, Map<String, Object>> best = (Map<String, Map<String, Object>>) summary.get("best");
        Map<String, Object> bestWga = best.get("test_worst_group_accuracy");
        double top = runs.stream().mapToDouble(r -> ((Number) ((Map<String, Object>) r.get("test"))
                .get("worst_group_accuracy")).doubleValue()).max().orElseThrow();
        assertEquals(top, ((Number) bestWga.get("value")).doubleValue(), 1e-12);
        assertTrue(LABELS.contains((String) bestWga.get("label")), bestWga.toString());
    }

    @Test
    void aRerunReplacesTheReportAndLeavesNoTemporaries() throws Exception {
        assertEquals(0, CliRun.of("report", "--run", root.toString()).code());
        CliRun again = CliRun.of("report", "--run", root.toString(), "--examples-per-group", "0");
        assertEquals(0, again.code(), again.err());
        String html = Files.readString(root.resolve("report/report.html"));
        assertEquals(0, count(html, "data:image/png"), "no Grad-CAM maps asked for");
        try (Stream<Path> files = Files.list(root)) {
            assertEquals(List.of(), files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".report")).toList());
        }
    }

    @Test
    void badInputIsOneLineAndWritesNothing() throws Exception {
        CliRun missing = CliRun.of("report", "--run", tmp.resolve("nowhere").toString());
        assertEquals(2, missing.code());
        assertEquals(List.of("readout report: ROOT " + tmp.resolve("nowhere") + ": no such file or directory"),
                List.of(missing.errLines()));

        Path empty = Files.createDirectories(tmp.resolve("empty/students/x"));
        CliRun none = CliRun.of("report", "--run", tmp.resolve("empty").toString());
        assertEquals(2, none.code());
        assertEquals(1, none.errLines().length, none.err());
        assertTrue(none.err().contains("no run folders"), none.err());
        assertFalse(Files.exists(tmp.resolve("empty/report")));

        Path broken = tmp.resolve("broken");
        Path run = Files.createDirectories(broken.resolve("students/erm/metrics"));
        Files.copy(root.resolve("students/erm/config.json"), broken.resolve("students/erm/config.json"));
        Files.writeString(broken.resolve("students/erm/_SUCCESS"), "");
        Files.writeString(run.resolve("val.json"), "{\"split\": ");
        CliRun bad = CliRun.of("report", "--run", broken.toString());
        assertEquals(2, bad.code());
        assertEquals(1, bad.errLines().length, bad.err());
        assertTrue(bad.errLines()[0].startsWith("readout report: " + run.resolve("val.json") + ": not valid JSON"),
                bad.err());
        try (Stream<Path> files = Files.list(broken)) {
            assertEquals(List.of("students"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertTrue(Files.exists(empty));
    }

    @Test
    void theCommandIsListedWithItsHelp() {
        CliRun help = CliRun.of("--help");
        assertTrue(help.out().lines().anyMatch(l -> l.trim().startsWith("report ")), help.out());
        CliRun own = CliRun.of("report", "--help");
        assertEquals(0, own.code());
        assertTrue(own.out().contains("--examples-per-group"), own.out());
        CliRun bad = CliRun.of("report", "--run", root.toString(), "--examples-per-group", "99");
        assertEquals(2, bad.code());
        assertEquals("readout report: --examples-per-group 99 must be 0 to 16", bad.err().trim());
    }
}
