package io.readout.jobs.bench.tables;

import io.readout.common.BadInputException;
import io.readout.common.MachineCpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BenchTables} on the committed docs/BENCHMARKS.md and docs/bench/results/ (tests run in the
 * module folder: the repository root is {@code ..}), on copies of them, and on small documents.
 */
class BenchTablesTest {
    static final Path DOC = Path.of("../docs/BENCHMARKS.md");
    static final Path RESULTS = Path.of("../docs/bench/results");
    /** Files under docs/bench/results that are not measurements: a sweep's config and reference bands. */
    private static final Set<String> NOT_MEASURED = Set.of("sifer-sweep-config.json", "dominoes-bands.json");
    /** Files measured before the cpu field existed: it was added afterwards, and its source says how. */
    private static final Set<String> BEFORE_THE_FIELD = Set.of("backends.json", "eval-scale-1e8.json",
            "eval-scale.json", "kernel-probes.txt", "sifer-sweep-summary.json", "throughput-real-passes.json",
            "throughput-weights-one-job.json", "throughput.json", "training-student-k10.json",
            "training-student-k20.json", "training-student-k5.json", "training-teacher-k10.json");

    @TempDir
    Path tmp;

    @Test
    void theCommittedDocumentMatchesItsResultsFiles() {
        BenchTables.Result r = BenchTables.run(new BenchTables.Config(RESULTS, DOC, true));
        assertTrue(r.matches(), () -> r.firstDifferent().map(t -> t.where() + ": " + t.firstDifference().orElseThrow())
                .orElse(""));
        assertEquals(List.of(), r.unbacked(), "every table is generated or marked as not regenerated");
        assertFalse(r.written());
        assertTrue(Set.copyOf(r.tables().stream().map(t -> t.marker().kind()).toList()).containsAll(Set.of(
                SparkVsSingleTable.KIND, PassesTable.KIND, EvalScaleTable.KIND, BackendsTable.KIND,
                KernelProbesTable.KIND, SweepWinnerTable.KIND, SweepSeedsTable.KIND)), r.tables().toString());
        assertTrue(r.tables().size() >= 7, r.tables().toString());
    }

    @Test
    void everyCommittedResultsFileNamesItsCpu() throws IOException {
        try (Stream<Path> files = Files.list(RESULTS)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.size() >= 12, names.toString());
            for (String name : names) {
                if (NOT_MEASURED.contains(name)) {
                    continue;
                }
                MachineCpu cpu = ResultsFile.read(RESULTS, name, true).cpu();
                assertNotNull(cpu, name);
                assertFalse(cpu.model() == null || cpu.model().isBlank(), name + ": names its CPU model");
                if (BEFORE_THE_FIELD.contains(name)) {
                    assertEquals("AMD EPYC", cpu.model(), name);
                    assertFalse(cpu.live(), name + ": measured before the field, so its source says how it was added");
                }
            }
        }
    }

    @Test
    void aChangedFigureIsFoundAndTheRewriteRestoresIt() throws IOException {
        Path doc = copyRepository();
        String original = Files.readString(doc);
        String tampered = original.replace("| 4,747 (4,747, 4,193, 4,922) |", "| 4,800 (4,747, 4,193, 4,922) |");
        assertFalse(tampered.equals(original), "the figure is in the document");
        Files.writeString(doc, tampered);
        Path results = doc.resolveSibling("bench/results");

        BenchTables.Result check = BenchTables.run(new BenchTables.Config(results, doc, true));
        BenchTables.Table first = check.firstDifferent().orElseThrow();
        assertEquals(SparkVsSingleTable.KIND, first.marker().kind());
        int line = lineOf(tampered, "4,800");
        assertTrue(first.firstDifference().orElseThrow().startsWith("line " + line + ", column "),
                first.firstDifference().orElseThrow());
        assertTrue(first.firstDifference().orElseThrow().contains("4,800") && first.firstDifference().get()
                .contains("4,747 (4,747"), first.firstDifference().get());
        assertEquals(1, check.tables().stream().filter(t -> !t.matches()).count());
        assertFalse(check.written());
        assertEquals(tampered, Files.readString(doc), "--check writes nothing");

        BenchTables.Result rewrite = BenchTables.run(new BenchTables.Config(results, doc, false));
        assertTrue(rewrite.written());
        assertEquals(original, Files.readString(doc));
        try (Stream<Path> left = Files.list(doc.getParent())) {
            assertEquals(List.of("BENCHMARKS.md", "bench"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file left beside the document");
        }
        assertFalse(BenchTables.run(new BenchTables.Config(results, doc, false)).written(), "nothing left to rewrite");
    }

    @Test
    void aChangedResultsFileChangesItsTable() throws IOException {
        Path doc = copyRepository();
        Path results = doc.resolveSibling("bench/results");
        Path file = results.resolve("training-student-k10.json");
        Files.writeString(file, Files.readString(file).replace("\"examples_per_second_median\" : 4746.521804593225",
                "\"examples_per_second_median\" : 4800.0"));
        BenchTables.Result rewrite = BenchTables.run(new BenchTables.Config(results, doc, false));
        assertTrue(rewrite.written());
        assertTrue(Files.readString(doc).contains("| `training-student-k10.json` | student | 10,000 | 10 | 4,485 | 2,862 | "
                + "local[2] | 4,800 (4,747, 4,193, 4,922) | 1.06 | 1.66 |"), "the median from the file, the runs too");
    }

    @Test
    void everyTableOutsideTheMarkersMustBeMarkedAsNotRegenerated() throws IOException {
        Path results = Files.createDirectories(tmp.resolve("results"));
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, """
                # Doc

                | a | b |
                |---|---|
                | 1 | 2 |

                Not yet regenerated from committed files: being re-measured.

                | c |
                |---|
                | 3 |

                ```
                | not a table: in a code fence |
                ```
                text right above
                | d |
                |---|
                """);
        BenchTables.Result r = BenchTables.run(new BenchTables.Config(results, doc, true));
        assertEquals(List.of(3, 17), r.unbacked());
        assertEquals(List.of(), r.tables());
        assertTrue(r.summary(true).contains("doc.md:17: a table neither generated"), r.summary(true));
    }

    @Test
    void badMarkersAndFilesAreOneLineNamingThem() throws IOException {
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.writeString(results.resolve("no-cpu.json"), "{\"config\": {}}");
        Files.writeString(results.resolve("broken.json"), "{\"config\": ");
        Path doc = tmp.resolve("doc.md");

        assertEquals(doc + ":2: the table marker has no <!-- /table --> before the next marker or the end",
                bad(results, doc, "x\n<!-- table: passes files=a.json -->\n| a |\n"));
        assertEquals(doc + ":3: <!-- /table --> without a table marker before it",
                bad(results, doc, "x\n\n<!-- /table -->\n"));
        assertEquals(doc + ":1 (table nonsense): no such kind of table (kinds: spark-vs-single, passes, eval-scale, "
                + "backends, pytorch-vs-dl4j, compare, sweep-winner, sweep-seeds, accuracy, paired, study, spark-rounds)",
                bad(results, doc, "<!-- table: nonsense files=a.json -->\n<!-- /table -->\n"));
        assertEquals(doc + ":1 (table passes): no option 'split' (it takes only files)",
                bad(results, doc, "<!-- table: passes files=a.json split=test -->\n<!-- /table -->\n"));
        assertEquals(doc + ":1: table passes names no files (files=a.json,b.json)",
                bad(results, doc, "<!-- table: passes -->\n<!-- /table -->\n"));
        assertEquals(doc + ":1: table passes: files '../x.json' must be names inside the results folder",
                bad(results, doc, "<!-- table: passes files=../x.json -->\n<!-- /table -->\n"));
        assertEquals(doc + ":1: table passes gives files twice",
                bad(results, doc, "<!-- table: passes files=a.json files=b.json -->\n<!-- /table -->\n"));
        assertEquals(results.resolve("missing.json") + ": no such file",
                bad(results, doc, "<!-- table: passes files=missing.json -->\n<!-- /table -->\n"));
        assertTrue(bad(results, doc, "<!-- table: passes files=broken.json -->\n<!-- /table -->\n")
                .startsWith(results.resolve("broken.json") + ": not valid JSON: "));
        assertEquals(results.resolve("no-cpu.json") + ": no cpu object (model, cores, isa, source)",
                bad(results, doc, "<!-- table: passes files=no-cpu.json -->\n<!-- /table -->\n"));
        assertEquals(doc + ": a code fence (```) is never closed", bad(results, doc, "```\n| a |\n"));
        assertEquals("--doc " + tmp.resolve("none.md") + ": no such file", assertThrows(BadInputException.class,
                () -> BenchTables.run(new BenchTables.Config(results, tmp.resolve("none.md"), true))).getMessage());
        Files.writeString(doc, "text\n");
        assertEquals("--results " + tmp.resolve("none") + ": no such folder", assertThrows(BadInputException.class,
                () -> BenchTables.run(new BenchTables.Config(tmp.resolve("none"), doc, true))).getMessage());
    }

    @Test
    void markerOptionsMayBeQuoted() {
        TableMarker m = TableMarker.parse(Path.of("d.md"), 4,
                "<!-- table: accuracy files=a.json bands=b.json runs=\"teacher erm,student kd\" decimals=3 -->");
        assertEquals("accuracy", m.kind());
        assertEquals(List.of("a.json"), m.files());
        assertEquals(List.of("teacher erm", "student kd"), m.listOption("runs", List.of()));
        assertEquals("3", m.option("decimals", "4"));
        assertEquals("b.json", m.option("bands", null));
        assertEquals("d.md:4: table accuracy: cannot read 'runs=\"open' (options are key=value or key=\"value\")",
                assertThrows(BadInputException.class, () -> TableMarker.parse(Path.of("d.md"), 4,
                        "<!-- table: accuracy files=a.json runs=\"open -->")).getMessage());
    }

    @Test
    void theSourcesLineLinksTheFilesFromTheDocumentAndGroupsThemByCpu() {
        assertEquals(Path.of("bench/results"), BenchTables.relativeLink(DOC, RESULTS));
        ResultsFile a = ResultsFile.read(RESULTS, "throughput.json", true);
        ResultsFile b = ResultsFile.read(RESULTS, "training-student-k5.json", true);
        ResultsFile c = ResultsFile.read(RESULTS, "eval-scale.json", true);
        assertEquals("Generated by `readout bench tables` from [`throughput.json`](bench/results/throughput.json), "
                + "[`training-student-k5.json`](bench/results/training-student-k5.json), "
                + "[`eval-scale.json`](bench/results/eval-scale.json). CPU: AMD EPYC, 2 cores, avx2 avx512f (added after "
                + "the run: see `cpu.source`) for `throughput.json`, `training-student-k5.json`; AMD EPYC, 2 cores, ISA "
                + "flags not recorded (added after the run: see `cpu.source`) for `eval-scale.json`.",
                BenchTables.sources(new TableRenderer.Rendered("", List.of(a, b, c)), Path.of("bench/results")));
    }

    private String bad(Path results, Path doc, String text) {
        try {
            Files.writeString(doc, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return assertThrows(BadInputException.class, () -> BenchTables.run(new BenchTables.Config(results, doc, true)))
                .getMessage();
    }

    /** docs/BENCHMARKS.md and docs/bench/results/ copied to tmp/docs; returns the copied document. */
    private Path copyRepository() throws IOException {
        Path docs = Files.createDirectories(tmp.resolve("docs/bench/results"));
        try (Stream<Path> files = Files.list(RESULTS)) {
            for (Path f : files.toList()) {
                Files.copy(f, docs.resolve(f.getFileName()));
            }
        }
        Path doc = tmp.resolve("docs/BENCHMARKS.md");
        Files.copy(DOC, doc);
        return doc;
    }

    private static int lineOf(String text, String needle) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle + " not found");
    }
}
