package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark SQL evaluation at scale, one row per size of each {@code readout bench eval-scale} file:
 * Parquet size, generation time, evaluation seconds (median and runs), rows/s, and from the file's
 * steps the time per row against the previous size and the growth exponent, then its check.
 */
final class EvalScaleTable implements TableRenderer {
    static final String KIND = "eval-scale";

    @Override
    public String kind() {
        return KIND;
    }


    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        MarkdownTable table = new MarkdownTable(List.of("file", "rows", "partitions", "Parquet", "write s",
                "evaluate s, median (runs)", "rows/s", "time per row vs previous size", "exponent", "check"));
        for (String name : marker.files()) {
            ResultsFile f = ResultsFile.read(results, name, true);
            files.add(f);
            List<JsonNode> sizes = f.list(f.json(), "", "sizes");
            List<JsonNode> steps = f.list(f.json(), "", "steps");
            if (steps.size() != Math.max(0, sizes.size() - 1)) {
                throw f.bad("steps", "has " + steps.size() + " entries for " + sizes.size() + " sizes");
            }
            for (int i = 0; i < sizes.size(); i++) {
                JsonNode s = sizes.get(i);
                String at = "sizes[" + i + "]";
                long rows = (long) f.number(s, at, "rows");
                List<String> runs = f.list(s, at, "seconds").stream().map(n -> MarkdownTable.fixed(n.doubleValue(), 2))
                        .toList();
                String perRow = "";
                String exponent = "";
                if (i > 0) {
                    JsonNode step = steps.get(i - 1);
                    String stepAt = "steps[" + (i - 1) + "]";
                    if ((long) f.number(step, stepAt, "to_rows") != rows) {
                        throw f.bad(stepAt + ".to_rows", "is not " + at + ".rows (" + rows + ")");
                    }
                    perRow = MarkdownTable.fixed(f.number(step, stepAt, "time_per_row_ratio"), 3);
                    exponent = MarkdownTable.fixed(f.number(step, stepAt, "exponent"), 2);
                }
                JsonNode check = f.field(s, at, "check");
                String checkAt = at + ".check";
                String checked = (f.bool(check, checkAt, "exact") ? "exact" : "MISMATCH") + ", max |z| "
                        + MarkdownTable.fixed(f.number(check, checkAt, "max_abs_z"), 2)
                        + (f.bool(check, checkAt, "passed") ? "" : ", failed");
                table.row(List.of(i == 0 ? MarkdownTable.code(f.name()) : "", MarkdownTable.count(rows),
                        String.valueOf(f.integer(s, at, "partitions")),
                        MarkdownTable.fixed(f.number(s, at, "parquet_bytes") / 1e6, 1) + " MB",
                        MarkdownTable.fixed(f.number(s, at, "write_seconds"), 1),
                        MarkdownTable.fixed(f.number(s, at, "seconds_median"), 2) + " (" + String.join(", ", runs) + ")",
                        MarkdownTable.count(f.number(s, at, "rows_per_second")), perRow, exponent, checked));
            }
        }
        return new Rendered(table.render(), files);
    }
}
