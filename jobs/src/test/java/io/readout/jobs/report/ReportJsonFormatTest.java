package io.readout.jobs.report;

import io.readout.common.Json;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.SeedSummary;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static io.readout.jobs.aggregate.GoldenFiles.assertSameBytes;

/** summary.json, of a root of runs and of a root with a seed list, byte for byte as written before it was records. */
class ReportJsonFormatTest {
    @TempDir
    Path root;

    /** The run folders of {@link ReportModelTest}. */
    private ReportModel model() throws IOException {
        ReportModelTest runs = new ReportModelTest();
        runs.root = root;
        runs.pipelineRoot();
        return ReportModel.read(new Configuration(), root.toString());
    }

    /** The temporary root's path, which differs on every run, as ROOT. */
    private String portable(String json) {
        return json.replace(root.toUri().getPath().replaceAll("/$", ""), "/ROOT");
    }

    @Test
    void theSummaryOfRunsIsWrittenAsBefore() throws IOException {
        assertSameBytes(getClass(), "summary.json", portable(Json.write(ReportJob.summary(model(), "2026-01-02T03:04:05Z"))));
    }

    @Test
    void theSummaryOverSeedsIsWrittenAsBefore() throws IOException {
        List<AggregateFiles.Method> methods = List.of(
                new AggregateFiles.Method("student erm", "final", "test", "wga", new SeedSummary(0.5, 0.25, 0.25, 0.75, 3)),
                new AggregateFiles.Method("student kd", "final", "test", "wga", new SeedSummary(0.5, 0.1, 0.4, 0.6, 3)),
                new AggregateFiles.Method("student kd", "final", "val", "accuracy", new SeedSummary(0.8, null, 0.8, 0.8, 1)),
                new AggregateFiles.Method("student erm", "best", "val", "accuracy", new SeedSummary(0.9, 0.0, 0.9, 0.9, 3)));
        List<AggregateFiles.Paired> paired = List.of(new AggregateFiles.Paired("student kd", "student erm", "final",
                "test", "wga", new SeedSummary(-0.125, 0.0625, -0.25, 0.0, 3)));
        SeedsReport seeds = new SeedsReport("/ROOT", List.of(3L, 1L, 2L), 3, new AggregateFiles.Aggregate(methods, paired),
                List.of());
        assertSameBytes(getClass(), "summary-seeds.json", portable(Json.write(ReportJob.summary(seeds, model(),
                "2026-01-02T03:04:05Z"))));
    }
}
