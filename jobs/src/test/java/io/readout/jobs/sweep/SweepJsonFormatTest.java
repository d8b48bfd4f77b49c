package io.readout.jobs.sweep;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.jobs.aggregate.GoldenFiles;
import io.readout.jobs.cli.TrainCommand;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.readout.jobs.aggregate.GoldenFiles.assertSameBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * sweep.json specs as users write them planned as before, and trial.json and the summary sweep.json byte for
 * byte as written before they were records.
 */
class SweepJsonFormatTest {
    private static final MachineCpu CPU = new MachineCpu("Test CPU @ 2.00GHz", 2, List.of("avx2", "avx512f"),
            "/proc/cpuinfo");

    private static SweepConfig plan(String name) {
        return SweepConfig.plan(name, GoldenFiles.read(SweepJsonFormatTest.class, name), TrainCommand.flags(), null,
                false);
    }

    /** The spec as the summary records it, then every trial: id, values, arguments. */
    private static String planned(SweepConfig c) {
        StringBuilder b = new StringBuilder(Json.write(c.spec().toJson()));
        for (Trial t : c.plan()) {
            b.append(t.label()).append(' ').append(t.describe()).append(' ').append(Json.write(t.values()).strip()
                    .replaceAll("\\s+", " ")).append('\n').append(t.commandLine()).append('\n');
        }
        return b.toString();
    }

    @Test
    void specsWrittenBeforePlanTheSameTrials() {
        assertSameBytes(getClass(), "sweep-grid.planned", planned(plan("sweep-grid.json")));
        assertSameBytes(getClass(), "sweep-random.planned", planned(plan("sweep-random.json")));
    }

    private static List<TrialResult> results(SweepConfig c) {
        List<TrialResult> out = new ArrayList<>();
        for (Trial t : c.plan()) {
            int i = t.id();
            if (i == 3) {
                out.add(new TrialResult(i, t.config().out(), TrialResult.DIVERGED, t.values(),
                        SweepSpec.compactJson(t.config().toJson()), null, null, null, null, null, 1.25,
                        "epoch 1: the training loss is NaN"));
            } else if (i != 5) {
                TrialResult.Scores s = new TrialResult.Scores(0.5 + i / 20.0, 0.25 + i / 40.0, 0.1 * i);
                out.add(new TrialResult(i, t.config().out(), TrialResult.COMPLETE, t.values(),
                        SweepSpec.compactJson(t.config().toJson()), i % 2 + 1, s, new TrialResult.Scores(0.7, 0.3, 0.5),
                        i == 0 ? null : s, i == 0 ? null : new TrialResult.Scores(Double.NaN, 0.2, 1.0 / 3), 2.5 * i,
                        null));
            }
        }
        return out;
    }

    @Test
    void trialRecordsAreWrittenAsBeforeAndReadBack() throws IOException {
        SweepConfig c = plan("sweep-grid.json");
        List<TrialResult> results = results(c);
        StringBuilder b = new StringBuilder();
        for (TrialResult r : results) {
            b.append(Json.write(r.toJson()));
        }
        assertSameBytes(getClass(), "trials.json", b.toString());
        for (String name : List.of("trial-complete.json", "trial-diverged.json")) {
            TrialResult r = results.get(name.contains("complete") ? 1 : 3);
            assertSameBytes(getClass(), name, Json.write(r.toJson()));
            Trial t = c.plan().get(r.trial());
            assertEquals(r, TrialResult.fromJson(Json.mapper().readTree(GoldenFiles.read(getClass(), name)), t, r.run(),
                    name));
        }
    }

    @Test
    void theSummaryIsWrittenAsBefore() {
        SweepConfig c = plan("sweep-grid.json");
        List<TrialResult> results = results(c);
        assertSameBytes(getClass(), "summary-grid.json", Json.write(SweepJob.summary(c, CPU, "file:/s", "file:/s/sweep.parquet",
                results)));
        assertSameBytes(getClass(), "summary-none.json", Json.write(SweepJob.summary(c, CPU, "file:/s",
                "file:/s/sweep.parquet", results.subList(3, 4))));
        SweepConfig random = plan("sweep-random.json");
        assertSameBytes(getClass(), "summary-random.json", Json.write(SweepJob.summary(random, CPU, "hdfs:///sweeps/random",
                "hdfs:///sweeps/random/sweep.parquet", results(random))));
    }
}
