package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Spark averaging fit's time goes, one row per {@code docs/bench/profile/spark_rounds.py} summary of an event
 * log: the medians of its rounds (milliseconds) and their overhead outside the workers' fitting (the job's wall time
 * less its tasks' run time, plus the driver's gap before the next round).
 */
final class SparkRoundsTable implements TableRenderer {
    static final String KIND = "spark-rounds";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        MarkdownTable table = new MarkdownTable(List.of("file", "fit", "rounds", "round job", "tasks fitting",
                "result serialization", "result to the driver", "driver between rounds", "overhead outside fitting",
                "result size"));
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            JsonNode m = f.field(f.json(), "", "round_medians_ms");
            String at = "round_medians_ms";
            double job = f.number(m, at, "job");
            double run = f.number(m, at, "task_run");
            double gap = f.number(m, at, "gap_before");
            table.row(List.of(MarkdownTable.code(name), f.text(f.json(), "", "label"),
                    Integer.toString(f.integer(f.json(), "", "rounds")), ms(job), ms(run),
                    ms(f.number(m, at, "result_serialization")), ms(f.number(m, at, "task_rest")), ms(gap),
                    ms(job - run + gap), MarkdownTable.fixed(f.number(m, at, "result_bytes") / 1e6, 2) + " MB"));
        }
        return new Rendered(table.render(), files);
    }

    private static String ms(double value) {
        return MarkdownTable.fixed(value, 1) + " ms";
    }
}
