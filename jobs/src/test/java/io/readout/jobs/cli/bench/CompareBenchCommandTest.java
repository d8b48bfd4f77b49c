package io.readout.jobs.cli.bench;

import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout bench compare}'s bad input: one line, exit code 2, before any Spark session or measurement. */
class CompareBenchCommandTest {
    @TempDir
    Path tmp;

    @Test
    void aComparisonAskedForWithoutItsScriptOrPythonIsBadInput() {
        Path missing = tmp.resolve("missing.py");
        CliRun noScript = CliRun.of("bench", "compare", "--script", missing.toString());
        assertEquals(2, noScript.code(), noScript.err());
        assertEquals("readout bench compare: --script " + missing + ": no such file" + System.lineSeparator(),
                noScript.err());

        String none = tmp.resolve("no-python").toString();
        CliRun noPython = CliRun.of("bench", "compare", "--python", none, "--script", "../docs/bench/pytorch_baseline.py");
        assertEquals(2, noPython.code(), noPython.err());
        assertEquals(1, noPython.err().lines().count(), noPython.err());
        assertTrue(noPython.err().startsWith("readout bench compare: --python " + none
                + ": no Python with torch: " + none + " (cannot run: "), noPython.err());
    }

    @Test
    void badFlagsAreOneLine() {
        CliRun run = CliRun.of("bench", "compare", "--workers", "0");
        assertEquals(2, run.code(), run.err());
        assertEquals("readout bench compare: --workers 0 must be at least 1" + System.lineSeparator(), run.err());
    }
}
