package io.readout.jobs.passes;

import io.readout.jobs.TestResources;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The passes' files as the code before the typed records wrote them ({@code today/}, written by that code from
 * these inputs): written byte for byte the same, and read back.
 */
class PassesFilesTest {
    private static final List<WeightsSummary.Group> GROUPS = List.of(
            new WeightsSummary.Group(0, 3, 0, 3.0, 0.0, 3, List.of()),
            new WeightsSummary.Group(1, 3, 2, 9.0, 1.6, 1, List.of(3f, 5f)));
    private static final TeacherProbs.Meta META = new TeacherProbs.Meta("/runs/x/teacher", "model.zip", 2.0, 2,
            "dominoes", "ab12cd", "/data/dominoes", 1000, 3.5);

    @TempDir
    Path dir;

    static String fixture(String name) throws IOException {
        return TestResources.text(PassesFilesTest.class, "today/" + name);
    }

    @Test
    void weightsSummariesAreWrittenAsBefore() throws IOException {
        ReadoutWeightsPass.Summary summary = new ReadoutWeightsPass.Summary(4, 2.0, 1.5, "MEAN",
                WeightsSummary.of(GROUPS, 0.5), 1.75);
        assertEquals(fixture("weights-summary.json"), Json.write(summary));
        assertEquals(fixture("weights-format.txt"), new ReadoutWeightsPass.Result("/w", summary, 1.75).format());
        assertEquals(fixture("weights-summary-empty.json"), Json.write(WeightsSummary.of(List.of(), Double.NaN)));
        assertEquals(fixture("weights-summary-overflow.json"), Json.write(WeightsSummary.of(List.of(
                new WeightsSummary.Group(2, 1, 1, 1e39, 0.5, 0, List.of(Float.POSITIVE_INFINITY))), 1.0)));
    }

    @Test
    void teacherProbsMetaIsWrittenAsBeforeAndRead() throws IOException {
        assertEquals(fixture("teacher_probs.json"), Json.write(META));
        Files.writeString(dir.resolve(TeacherProbs.META), fixture("teacher_probs.json"));
        Files.writeString(dir.resolve(AtomicOutput.SUCCESS), "");
        HadoopInputs inputs = new HadoopInputs(new Configuration());
        assertEquals(META, TeacherProbs.open(inputs, dir.toString(), "--teacher-probs").meta());
    }

    @Test
    void teacherProbsMetaWithoutSecondsIsReadAndOneWithoutRowsRefused() throws IOException {
        Files.writeString(dir.resolve(AtomicOutput.SUCCESS), "");
        HadoopInputs inputs = new HadoopInputs(new Configuration());
        Files.writeString(dir.resolve(TeacherProbs.META), "{\"teacher\": \"t\", \"model\": \"model.zip\", \"temperature\": 2,"
                + " \"num_classes\": 2, \"dataset\": \"d\", \"rows\": 10, \"later\": true}");
        TeacherProbs.Meta m = TeacherProbs.open(inputs, dir.toString(), "--teacher-probs").meta();
        assertTrue(Double.isNaN(m.seconds()));
        assertEquals(10L, m.rows());
        Files.writeString(dir.resolve(TeacherProbs.META), "{\"teacher\": \"t\", \"temperature\": 2, \"num_classes\": 2}");
        BadInputException e = assertThrows(BadInputException.class,
                () -> TeacherProbs.open(inputs, dir.toString(), "--teacher-probs"));
        assertTrue(e.getMessage().endsWith(TeacherProbs.META + ": not a teacher_probs.json (no rows)"), e.getMessage());
    }
}
