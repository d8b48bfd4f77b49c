package io.readout.jobs.report;

import io.readout.common.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run folders written by hand: discovery, order, labels, figures, best per column, and bad input. */
class ReportModelTest {
    @TempDir
    Path root;

    static void run(Path dir, String method, String arch) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"method\":\"" + method + "\",\"arch\":\"" + arch
                + "\",\"data\":\"/nowhere\"}");
        Files.writeString(dir.resolve("_SUCCESS"), "");
    }

    static void metrics(Path dir, String split, double acc, double wga, double gm, Double bc) throws IOException {
        Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(dir.resolve("metrics/" + split + ".json"), "{\"split\":\"" + split + "\",\"n\":40,\"accuracy\":"
                + acc + ",\"worst_group_accuracy\":" + wga + ",\"worst_group\":1,\"group_mean_accuracy\":" + gm
                + ",\"bias_conflicting_accuracy\":" + bc + ",\"groups\":[{\"group\":0,\"n\":20,\"accuracy\":1.0},"
                + "{\"group\":1,\"n\":20,\"accuracy\":" + wga + "}]}");
    }

    static void history(Path dir, int best, double... losses) throws IOException {
        StringBuilder b = new StringBuilder("{\"select\":\"val_wga\",\"best_epoch\":" + best + ",\"epochs\":[");
        for (int e = 1; e <= losses.length; e++) {
            b.append(e > 1 ? "," : "").append("{\"epoch\":").append(e).append(",\"loss\":").append(losses[e - 1])
                    .append(",\"val_accuracy\":").append(0.5 + e / 10.0).append(",\"val_wga\":").append(e / 10.0)
                    .append(",\"val_group_mean\":0.5,\"val_aux_accuracy\":0.9}");
        }
        Files.writeString(dir.resolve("history.json"), b.append("]}").toString());
    }

    static void weights(Path dir, int epoch, long flagged) throws IOException {
        Path d = dir.resolve(String.format("weights/epoch=%04d", epoch));
        Files.createDirectories(d);
        Files.writeString(d.resolve("summary.json"), "{\"epoch\":" + epoch + ",\"examples\":100,\"flagged\":" + flagged
                + ",\"flagged_fraction\":" + flagged / 100.0 + ",\"max_weight\":3.5,\"histogram\":[{\"from\":0.5,\"to\":1.0,"
                + "\"count\":90},{\"from\":8.0,\"to\":null,\"count\":10}],\"groups\":[{\"group\":0,\"n\":50,\"flagged\":0,"
                + "\"flagged_fraction\":0.0,\"mean_weight\":0.9,\"mean_error_confidence\":null},{\"group\":1,\"n\":50,"
                + "\"flagged\":10,\"flagged_fraction\":0.2,\"mean_weight\":1.1,\"mean_error_confidence\":0.8}]}");
    }

    /** teacher, students erm/jtt/dedier/sifer as a pipeline lays them out, plus folders that are not runs. */
    void pipelineRoot() throws IOException {
        run(root.resolve("teacher"), "erm", "teacher");
        metrics(root.resolve("teacher"), "val", 0.9, 0.6, 0.8, 0.7);
        metrics(root.resolve("teacher"), "test", 0.88, 0.5, 0.79, 0.65);
        history(root.resolve("teacher"), 2, 0.7, 0.4, 0.3);
        run(root.resolve("students/sifer"), "sifer", "student");
        metrics(root.resolve("students/sifer"), "test", 0.8, 0.7, 0.75, 0.72);
        run(root.resolve("students/dedier"), "dedier", "student");
        metrics(root.resolve("students/dedier"), "val", 0.85, 0.6, 0.81, 0.7);
        metrics(root.resolve("students/dedier"), "test", 0.86, 0.7, 0.8, null);
        weights(root.resolve("students/dedier"), 1, 30);
        weights(root.resolve("students/dedier"), 2, 10);
        run(root.resolve("students/erm"), "erm", "student");
        run(root.resolve("students/jtt"), "jtt", "student");
        run(root.resolve("students/jtt/stage1"), "erm", "student");         // inside a run: not a run of the root
        Files.createDirectories(root.resolve("students/kd"));                 // incomplete: no config, no _SUCCESS
        Files.writeString(root.resolve("students/kd/config.json"), "{\"method\":\"kd\"}");
        run(root.resolve("deep/er/run"), "erm", "student");                   // depth 3
        run(root.resolve(".report.tmp-1"), "erm", "student");                 // hidden
        Files.createDirectories(root.resolve("data/examples"));
        Files.writeString(root.resolve("data/dataset.json"), "{}");
    }

    private ReportModel read() {
        return ReportModel.read(new Configuration(), root.toString());
    }

    @Test
    void runsAreFoundOrderedAndLabelled() throws IOException {
        pipelineRoot();
        ReportModel m = read();
        assertEquals(List.of("teacher erm", "student erm", "student jtt", "student dedier", "student sifer"),
                m.runs().stream().map(ReportModel.Run::label).toList());
        assertEquals(List.of("teacher", "students/erm", "students/jtt", "students/dedier", "students/sifer"),
                m.runs().stream().map(ReportModel.Run::relative).toList());
        ReportModel.Run teacher = m.runs().get(0);
        assertEquals(3, teacher.epochs().size());
        assertEquals(2, teacher.bestEpoch());
        assertEquals("val_wga", teacher.select());
        assertEquals(0.3, teacher.finalEpoch().figure("loss"), 1e-12);
        assertEquals(0.2, teacher.epoch(2).figure("val_wga"), 1e-12);
        assertTrue(Double.isNaN(teacher.finalEpoch().figure("nothing")));
        assertEquals("/nowhere", teacher.data());
        ReportModel.Run erm = m.runs().get(1);
        assertNull(erm.val());
        assertNull(erm.test());
        assertTrue(erm.epochs().isEmpty());
    }

    @Test
    void theNewestWeightsSummaryOfADedierRun() throws IOException {
        pipelineRoot();
        ReportModel.Weights w = read().runs().get(3).weights();
        assertEquals(2, w.epoch());
        assertEquals(10, w.flagged());
        assertEquals(List.of(new SvgCharts.Bin(0.5, 1.0, 90), new SvgCharts.Bin(8.0, null, 10)), w.histogram());
        assertEquals(2, w.groups().size());
        assertTrue(Double.isNaN(w.groups().get(0).meanErrorConfidence()));
        assertEquals(0.8, w.groups().get(1).meanErrorConfidence(), 1e-12);
        assertEquals(0.2, w.groups().get(1).flaggedFraction(), 1e-12);
        assertNull(read().runs().get(0).weights());
    }

    @Test
    void theBestRunOfEachColumn() throws IOException {
        pipelineRoot();
        ReportModel m = read();
        Map<String, String> best = new LinkedHashMap<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            best.put(c.key(), String.join(",", m.best(c).stream().map(ReportModel.Run::label).toList()));
        }
        assertEquals(Map.of(
                "val_accuracy", "teacher erm",
                "val_worst_group_accuracy", "teacher erm,student dedier",   // a tie: both
                "val_group_mean_accuracy", "student dedier",
                "val_bias_conflicting_accuracy", "teacher erm,student dedier",
                "test_accuracy", "teacher erm",
                "test_worst_group_accuracy", "student dedier,student sifer",
                "test_group_mean_accuracy", "student dedier",
                "test_bias_conflicting_accuracy", "student sifer"), best);

        ReportSummary summary = ReportJob.summary(m, "now");
        Map<String, ReportSummary.Best> top = summary.best();
        assertEquals("teacher erm", top.get("val_worst_group_accuracy").label());
        assertEquals(List.of("student dedier"), top.get("val_worst_group_accuracy").tiedWith());
        assertEquals("student sifer", top.get("test_bias_conflicting_accuracy").label());
        assertEquals(0.72, top.get("test_bias_conflicting_accuracy").value(), 1e-12);
        List<ReportSummary.RunSummary> runs = summary.runs();
        assertEquals(5, runs.size());
        assertEquals(3, runs.get(0).finalEpoch().epoch());
        assertEquals(0.2, runs.get(0).bestEpochFigures().valWga().doubleValue(), 1e-12);
        assertNull(runs.get(1).test());
    }

    @Test
    void thePrintedTableMarksTheBestAndShowsMissingFigures() throws IOException {
        pipelineRoot();
        String[] lines = ReportJob.format(read()).split("\n");
        assertEquals(6, lines.length);
        assertTrue(lines[0].startsWith("run           ") && lines[0].contains("test_wga"), lines[0]);
        assertTrue(lines[1].startsWith("teacher erm") && lines[1].contains("0.9000*"), lines[1]);
        assertTrue(lines[2].startsWith("student erm") && !lines[2].contains("0."), lines[2]);
        assertTrue(lines[4].contains("0.8600 ") && lines[4].contains("0.7000*"), lines[4]);
    }

    @Test
    void twoRunsOfOneMethodAreToldApartByFolder() throws IOException {
        run(root.resolve("erm-s0"), "erm", "student");
        run(root.resolve("erm-s1"), "erm", "student");
        run(root.resolve("kd"), "kd", "student");
        assertEquals(List.of("student erm (erm-s0)", "student erm (erm-s1)", "student kd"),
                read().runs().stream().map(ReportModel.Run::label).toList());
    }

    @Test
    void theRootItselfMayBeARun() throws IOException {
        run(root, "sifer", "teacher");
        ReportModel m = read();
        assertEquals(1, m.runs().size());
        assertEquals(".", m.runs().get(0).relative());
    }

    @Test
    void badInputNamesTheFileInOneLine() throws IOException {
        BadInputException missing = assertThrows(BadInputException.class,
                () -> ReportModel.read(new Configuration(), root.resolve("nope").toString()));
        assertEquals("ROOT " + root.resolve("nope") + ": no such file or directory", missing.getMessage());

        Files.createDirectories(root.resolve("students/erm"));
        BadInputException none = assertThrows(BadInputException.class, this::read);
        assertTrue(none.getMessage().startsWith("ROOT " + root + ": no run folders"), none.getMessage());

        run(root.resolve("students/erm"), "erm", "student");
        Files.createDirectories(root.resolve("students/erm/metrics"));
        Path test = root.resolve("students/erm/metrics/test.json");
        Files.writeString(test, "{\"split\": \"test\", ");
        BadInputException broken = assertThrows(BadInputException.class, this::read);
        assertTrue(broken.getMessage().startsWith(test + ": not valid JSON"), broken.getMessage());
        assertFalse(broken.getMessage().contains("\n"), broken.getMessage());

        Files.writeString(test, "{\"split\": \"test\", \"n\": 4}");
        BadInputException fields = assertThrows(BadInputException.class, this::read);
        assertEquals(test + ": malformed metrics (a field is missing)", fields.getMessage());

        Files.writeString(test, "{\"split\":\"test\",\"n\":4,\"accuracy\":\"high\",\"worst_group_accuracy\":0,"
                + "\"worst_group\":0,\"group_mean_accuracy\":0,\"groups\":[]}");
        assertEquals(test + ": malformed metrics (a field has the wrong type)",
                assertThrows(BadInputException.class, this::read).getMessage());

        Files.delete(test);
        Files.writeString(root.resolve("students/erm/history.json"), "{\"epochs\": [{\"loss\": 1}]}");
        assertEquals(root.resolve("students/erm/history.json") + ": malformed history (a field is missing)",
                assertThrows(BadInputException.class, this::read).getMessage());
    }
}
