package io.readout.jobs.bench.tables;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Renders one kind of table of docs/BENCHMARKS.md from results files: the kind a
 * {@code <!-- table: KIND files=... -->} marker names, the options it takes, and the table.
 */
interface TableRenderer {
    /** The marker's first word. */
    String kind();

    /** The marker options this kind reads besides {@code files}: none unless it says so. */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * The table's markdown and the files it came from.
     *
     * @param results the results folder the marker's file names are relative to
     */
    Rendered render(TableMarker marker, Path results);

    /**
     * A rendered table.
     *
     * @param table      its markdown lines
     * @param measured   the results files its figures come from (each names its CPU)
     * @param references other files it compares against (reference bands), no CPU of ours
     */
    record Rendered(String table, List<ResultsFile> measured, List<ResultsFile> references) {
        Rendered(String table, List<ResultsFile> measured) {
            this(table, measured, List.of());
        }
    }
}
