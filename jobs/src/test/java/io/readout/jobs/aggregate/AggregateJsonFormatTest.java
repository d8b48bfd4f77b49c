package io.readout.jobs.aggregate;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.jobs.cli.TrainCommand;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.readout.jobs.aggregate.GoldenFiles.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** methods.json, paired.json and results.json byte for byte as written before they were records, and read back. */
class AggregateJsonFormatTest {
    static final List<AggregateFiles.Method> METHODS = List.of(
            new AggregateFiles.Method("student erm", "final", "test", "wga", new SeedSummary(0.5, 0.25, 0.25, 0.75, 3)),
            new AggregateFiles.Method("student kd", "best", "val", "accuracy", new SeedSummary(0.8, null, 0.8, 0.8, 1)),
            new AggregateFiles.Method("student kd", "final", "test", "wga",
                    new SeedSummary(0.30000000000000004, 1e-17, 0.1, 1.0, 2)));
    static final List<AggregateFiles.Paired> PAIRED = List.of(new AggregateFiles.Paired("student kd",
            "student erm", "final", "test", "wga", new SeedSummary(-0.125, 0.0625, -0.25, 0.0, 3)));
    static final MachineCpu CPU = new MachineCpu("Test CPU @ 2.00GHz", 2, List.of("avx2"), "/proc/cpuinfo");

    @Test
    void methodsAndPairedAreWrittenAsBefore() {
        assertSameBytes(getClass(), "methods.json", Json.write(METHODS));
        assertSameBytes(getClass(), "paired.json", Json.write(PAIRED));
    }

    @Test
    void resultsAreWrittenAsBefore() {
        assertSameBytes(getClass(), "results.json", Json.write(AggregateJob.results(
                AggregateFiles.tree("{\"epochs\": 3, \"data\": \"/d\"}", "config.json"),
                AggregateFiles.tree("{\"name\": \"waterbirds\", \"source\": {\"rho\": 0.95, \"n\": 10}}", "dataset.json"),
                List.of(0L, 1L, 2L), CPU, "/r/pipeline.json", METHODS, PAIRED)));
        assertSameBytes(getClass(), "results-no-source.json", Json.write(AggregateJob.results(
                AggregateFiles.tree("{\"data\": \"/d\"}", "config.json"),
                AggregateFiles.tree("{\"name\": \"colored-mnist\", \"source\": \"synthetic\"}", "dataset.json"),
                List.of(4L), new MachineCpu("x", null, null, "os.arch"), "/r/pipeline.json", List.of(), List.of())));
    }

    /** config.json as readout train writes it today, and a dataset.json: the figures of the header of results.json. */
    @Test
    void theHeaderIsReadFromTheFirstStudentsConfigAndItsData(@TempDir Path root) throws IOException {
        Path data = root.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("dataset.json"), "{\n  \"name\" : \"waterbirds\",\n  \"source\" : {\n"
                + "    \"rho\" : 0.95\n  }\n}\n");
        Path student = root.resolve("seed=3/students/erm");
        Files.createDirectories(student);
        Files.writeString(student.resolve("config.json"), Json.write(TrainCommand.flags().parse(List.of("--method=erm",
                "--arch=student", "--data=" + data, "--out=" + student, "--epochs=4")).config().toJson()));
        AggregateJob.Results r = AggregateJob.results(new Configuration(), new RunDir(new Configuration(),
                root.toString()), new PipelineRoot.Record(true, List.of(3L, 1L), List.of("erm")), List.of(3L, 1L),
                METHODS, PAIRED);
        assertEquals("waterbirds", r.dataset());
        assertEquals("0.95", r.rho().toString());
        assertEquals("4", r.epochs().toString());
        assertEquals("readout pipeline --config " + root.resolve("pipeline.json") + " --seeds 3,1", r.command());
        assertEquals(MachineCpu.current(), r.cpu());
    }

    @Test
    void filesWrittenBeforeReadBack(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(AggregateFiles.METHODS_JSON), GoldenFiles.read(getClass(), "methods.json"));
        Files.writeString(dir.resolve(AggregateFiles.PAIRED_JSON), GoldenFiles.read(getClass(), "paired.json"));
        Files.writeString(dir.resolve("_SUCCESS"), "");
        AggregateFiles.Aggregate a = AggregateFiles.read(new Configuration(), dir.toString());
        assertEquals(METHODS, a.methods());
        assertEquals(PAIRED, a.paired());
    }
}
