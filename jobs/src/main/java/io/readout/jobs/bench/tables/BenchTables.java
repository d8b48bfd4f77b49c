package io.readout.jobs.bench.tables;

import io.readout.common.BadInputException;
import io.readout.common.MachineCpu;
import io.readout.jobs.io.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The measured tables of a markdown document (docs/BENCHMARKS.md), regenerated from the committed
 * results files they come from. Each generated table sits between
 * {@code <!-- table: KIND files=F,F [key=value]... -->} and {@value TableMarker#END}; the renderer of
 * {@code KIND} writes the table from the files, followed by one line naming the files (linked,
 * relative to the document) and the CPU they were measured on. Every other table in the document must
 * be marked as not backed by files: its last non-blank line before it starts with
 * {@value #NOT_REGENERATED}. Stages: read the document → render every marked table → compare → write
 * the document atomically (or, checking, report the first table that differs).
 */
public final class BenchTables {
    /** The line that marks a table whose raw figures are not committed (yet). */
    public static final String NOT_REGENERATED = "Not yet regenerated from committed files:";
    /** The generator named under every table. */
    static final String GENERATOR = "readout bench tables";

    private static final Map<String, TableRenderer> RENDERERS = renderers(List.of(new SparkVsSingleTable(),
            new PassesTable(), new EvalScaleTable(), new BackendsTable(), new KernelProbesTable(), new CompareTable(),
            new SweepWinnerTable(), new SweepSeedsTable(), new AccuracyTable(), new PairedTable(), new StudyTable(),
            new SparkRoundsTable()));

    /**
     * @param results the folder the markers' file names are relative to
     * @param doc     the markdown document
     * @param check   only compare; never write
     */
    public record Config(Path results, Path doc, boolean check) {
    }

    /**
     * One generated table.
     *
     * @param firstDifference the first line (1-based, in the document) where the document differs from
     *                        what the files give, with both versions; empty when they agree
     */
    public record Table(TableMarker marker, Optional<String> firstDifference) {
        public boolean matches() {
            return firstDifference.isEmpty();
        }

        public String where() {
            return marker.where();
        }
    }

    /**
     * @param tables    every generated table, in document order
     * @param unbacked  lines (1-based) of tables neither generated nor marked {@value #NOT_REGENERATED}
     * @param written   whether the document was rewritten
     */
    public record Result(Path doc, Path results, List<Table> tables, List<Integer> unbacked, boolean written) {
        public boolean matches() {
            return tables.stream().allMatch(Table::matches);
        }

        public Optional<Table> firstDifferent() {
            return tables.stream().filter(t -> !t.matches()).findFirst();
        }

        /** What the command prints. */
        public String summary(boolean check) {
            long different = tables.stream().filter(t -> !t.matches()).count();
            StringBuilder b = new StringBuilder();
            b.append(doc).append(": ").append(tables.size()).append(tables.size() == 1 ? " table" : " tables")
                    .append(" from ").append(results).append(", ");
            if (check) {
                b.append(different == 0 ? "all match their files" : different + " differ");
            } else {
                b.append(different == 0 ? "none changed" : different + " rewritten");
            }
            b.append('\n');
            for (int line : unbacked) {
                b.append(doc).append(':').append(line).append(": a table neither generated (<!-- table: ... -->) nor ")
                        .append("marked '").append(NOT_REGENERATED).append(" ...'\n");
            }
            return b.toString();
        }
    }

    private BenchTables() {
    }

    public static Result run(Config config) {
        if (!Files.isDirectory(config.results())) {
            throw new BadInputException("--results " + config.results() + ": no such folder");
        }
        List<String> lines = readDoc(config.doc());
        Scan scan = scan(config.doc(), lines, config.results(), relativeLink(config.doc(), config.results()));
        boolean write = !config.check() && scan.tables().stream().anyMatch(t -> !t.matches());
        if (write) {
            AtomicFile.write(config.doc().toString(), String.join("\n", scan.lines()) + "\n", "--doc");
        }
        return new Result(config.doc(), config.results(), scan.tables(), scan.unbacked(), write);
    }

    /** The document with every generated table rendered afresh, how each compared, and the unbacked tables. */
    private record Scan(List<String> lines, List<Table> tables, List<Integer> unbacked) {
    }

    private static Scan scan(Path doc, List<String> lines, Path results, Path linkBase) {
        List<Table> tables = new ArrayList<>();
        List<String> out = new ArrayList<>();
        List<Integer> unbacked = new ArrayList<>();
        boolean inFence = false;
        boolean previousWasTable = false;
        String lastNonBlank = "";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inFence = !inFence;
            }
            if (!inFence && TableMarker.opens(line)) {
                TableMarker marker = TableMarker.parse(doc, i + 1, line);
                int end = endOf(doc, lines, i);
                List<String> expected = block(marker, results, linkBase);
                tables.add(new Table(marker, difference(i + 2, lines.subList(i + 1, end), expected)));
                out.add(line);
                out.addAll(expected);
                out.add(lines.get(end));
                i = end;
                previousWasTable = false;
                lastNonBlank = TableMarker.END;
                continue;
            }
            if (!inFence && TableMarker.closes(line)) {
                throw new BadInputException(doc + ":" + (i + 1) + ": " + TableMarker.END + " without a table marker before it");
            }
            boolean isTable = !inFence && line.startsWith("|");
            if (isTable && !previousWasTable && !lastNonBlank.startsWith(NOT_REGENERATED)) {
                unbacked.add(i + 1);
            }
            previousWasTable = isTable;
            if (!line.isBlank()) {
                lastNonBlank = line.strip();
            }
            out.add(line);
        }
        if (inFence) {
            throw new BadInputException(doc + ": a code fence (```) is never closed");
        }
        return new Scan(out, List.copyOf(tables), List.copyOf(unbacked));
    }

    /** The lines between a marker and its end: the rendered table, a blank line, the sources line. */
    static List<String> block(TableMarker marker, Path results, Path linkBase) {
        TableRenderer renderer = RENDERERS.get(marker.kind());
        if (renderer == null) {
            throw marker.bad("no such kind of table (kinds: " + String.join(", ", RENDERERS.keySet()) + ")");
        }
        for (String key : marker.options().keySet()) {
            if (!renderer.options().contains(key)) {
                throw marker.bad("no option '" + key + "' (" + (renderer.options().isEmpty() ? "it takes only files"
                        : "options: files, " + String.join(", ", renderer.options().stream().sorted().toList())) + ")");
            }
        }
        TableRenderer.Rendered rendered = renderer.render(marker, results);
        List<String> lines = new ArrayList<>(rendered.table().lines().toList());
        lines.add("");
        lines.add(sources(rendered, linkBase));
        return lines;
    }

    /** The line under a table: which files it came from and the CPU they were measured on. */
    static String sources(TableRenderer.Rendered rendered, Path linkBase) {
        Function<ResultsFile, String> link = f -> "[`" + f.name() + "`](" + linkBase.resolve(f.name()).toString()
                .replace('\\', '/') + ")";
        StringBuilder b = new StringBuilder("Generated by `" + GENERATOR + "` from ");
        b.append(rendered.measured().stream().map(link).collect(Collectors.joining(", ")));
        Map<String, List<ResultsFile>> byCpu = new LinkedHashMap<>();
        for (ResultsFile f : rendered.measured()) {
            MachineCpu cpu = f.cpu();
            String key = cpu.describe() + (cpu.live() ? "" : " (added after the run: see `cpu.source`)");
            byCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        b.append(". CPU: ");
        if (byCpu.size() == 1) {
            b.append(byCpu.keySet().iterator().next());
        } else {
            b.append(byCpu.entrySet().stream().map(e -> e.getKey() + " for " + e.getValue().stream()
                    .map(f -> "`" + f.name() + "`").collect(Collectors.joining(", "))).collect(Collectors.joining("; ")));
        }
        if (!rendered.references().isEmpty()) {
            b.append(". Reference: ").append(rendered.references().stream().map(link).collect(Collectors.joining(", ")));
        }
        return b.append('.').toString();
    }

    /** The first line where {@code actual} and {@code expected} differ, numbered from {@code firstLine}. */
    private static Optional<String> difference(int firstLine, List<String> actual, List<String> expected) {
        for (int k = 0; k < Math.max(actual.size(), expected.size()); k++) {
            String a = k < actual.size() ? actual.get(k) : null;
            String e = k < expected.size() ? expected.get(k) : null;
            if (a == null || !a.equals(e)) {
                int c = a == null || e == null ? 0 : firstDifferentChar(a, e);
                return Optional.of("line " + (firstLine + k) + (c == 0 ? "" : ", column " + (c + 1))
                        + ": the document has " + (a == null ? "no line" : "'" + around(a, c) + "'")
                        + ", the files give " + (e == null ? "no line" : "'" + around(e, c) + "'"));
            }
        }
        return Optional.empty();
    }

    private static int firstDifferentChar(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    /** Up to 100 characters of a line around column {@code c} (0-based), for a one-line message. */
    static String around(String line, int c) {
        int from = Math.max(0, Math.min(c - 30, line.length() - 100));
        int to = Math.min(line.length(), from + 100);
        return (from > 0 ? "…" : "") + line.substring(from, to) + (to < line.length() ? "…" : "");
    }

    private static int endOf(Path doc, List<String> lines, int start) {
        for (int j = start + 1; j < lines.size(); j++) {
            if (TableMarker.closes(lines.get(j))) {
                return j;
            }
            if (TableMarker.opens(lines.get(j))) {
                break;
            }
        }
        throw new BadInputException(doc + ":" + (start + 1) + ": the table marker has no " + TableMarker.END + " before the next marker or the end");
    }

    /** The results folder as a link from the document's folder: {@code bench/results} for docs/BENCHMARKS.md. */
    static Path relativeLink(Path doc, Path results) {
        Path docDir = doc.toAbsolutePath().normalize().getParent();
        return docDir.relativize(results.toAbsolutePath().normalize());
    }

    private static List<String> readDoc(Path doc) {
        try {
            return Files.readString(doc, StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException e) {
            throw new BadInputException("--doc " + doc + ": no such file");
        } catch (IOException e) {
            throw new BadInputException("--doc " + doc + ": cannot read (" + e + ")", e);
        }
    }

    private static Map<String, TableRenderer> renderers(List<TableRenderer> list) {
        Map<String, TableRenderer> m = new LinkedHashMap<>();
        list.forEach(r -> m.put(r.kind(), r));
        return m;
    }
}
