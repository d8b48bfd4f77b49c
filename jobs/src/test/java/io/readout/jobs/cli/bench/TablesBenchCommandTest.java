package io.readout.jobs.cli.bench;

import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout bench tables} on the command line: its exit codes and one-line messages; no Spark. */
class TablesBenchCommandTest {
    private static final String DOC = "../docs/BENCHMARKS.md";
    private static final String RESULTS = "../docs/bench/results";

    @TempDir
    Path tmp;

    @Test
    void checksTheCommittedDocument() {
        CliRun run = CliRun.of("bench", "tables", "--check", "--doc", DOC, "--results", RESULTS);
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().matches(Pattern.quote(DOC) + ": \\d+ tables from "
                + Pattern.quote(RESULTS) + ", all match their files\\R"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void aDifferentTableIsExitCodeOneNamingItThenTheRewriteFixesIt() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.copy(Path.of(RESULTS, "throughput.json"), results.resolve("throughput.json"));
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "# t\n\n<!-- table: passes files=throughput.json -->\n| old |\n<!-- /table -->\n");

        CliRun check = CliRun.of("bench", "tables", "--check", "--doc", doc.toString(), "--results", results.toString());
        assertEquals(1, check.code(), check.err());
        assertArrayEquals(new String[] {"readout bench tables: " + doc + ":3 (table passes) differs from its files, line "
                + "4, column 3: the document has '| old |', the files give '| file | master | Spark / single 1 t, teacher "
                + "/ student | Spark epoch, teacher / student | predict (…'; run 'readout bench tables' to regenerate it"},
                check.errLines());

        CliRun rewrite = CliRun.of("bench", "tables", "--doc", doc.toString(), "--results", results.toString());
        assertEquals(0, rewrite.code(), rewrite.err());
        assertEquals(doc + ": 1 table from " + results + ", 1 rewritten" + System.lineSeparator(), rewrite.out());
        assertEquals(0, CliRun.of("bench", "tables", "--check", "--doc", doc.toString(), "--results",
                results.toString()).code());
    }

    @Test
    void anUnmarkedTableIsExitCodeOne() throws Exception {
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "| a |\n|---|\n");
        CliRun run = CliRun.of("bench", "tables", "--doc", doc.toString(), "--results", tmp.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.out().contains(doc + ":1: a table neither generated"), run.out());
    }

    @Test
    void aMissingFileIsOneLineAndExitCodeTwo() throws Exception {
        Path doc = tmp.resolve("doc.md");
        Files.writeString(doc, "<!-- table: passes files=gone.json -->\n<!-- /table -->\n");
        CliRun run = CliRun.of("bench", "tables", "--doc", doc.toString(), "--results", tmp.toString());
        assertEquals(2, run.code(), run.err());
        assertArrayEquals(new String[] {"readout bench tables: " + tmp.resolve("gone.json") + ": no such file"},
                run.errLines());
        assertEquals("<!-- table: passes files=gone.json -->\n<!-- /table -->\n", Files.readString(doc), "untouched");
    }
}
