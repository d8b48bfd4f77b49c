package io.readout.jobs.cli;

import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every preset under deploy/config is a config its command accepts: each pipeline preset plans its stages and
 * each sweep preset its trials ({@code --dry-run}: every train command parsed, nothing written).
 */
class DeployConfigsTest {
    static final Path CONFIGS = Path.of("../deploy/config");

    @TempDir
    Path tmp;

    static List<Path> presets(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(CONFIGS)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)
                    && f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void everyPipelinePresetPlansItsStages() throws IOException {
        List<Path> pipelines = presets("pipeline-");
        assertTrue(pipelines.size() >= 3, "the dominoes and the two synthetic presets: " + pipelines);
        for (Path config : pipelines) {
            Path out = tmp.resolve(config.getFileName().toString().replace(".json", ""));
            CliRun dry = CliRun.of("pipeline", "--config", config.toString(), "--out", out.toString(), "--dry-run");
            assertEquals(0, dry.code(), config + ": " + dry.err());
            assertTrue(dry.out().contains("/students/dedier: would run"), config + ": " + dry.out());
            assertFalse(Files.exists(out), config + " wrote " + out);
        }
    }

    @Test
    void everySweepPresetListsItsTrialsOverThreeSeeds() throws IOException {
        List<Path> sweeps = presets("sweep-");
        assertEquals(2, sweeps.size(), "the DEDIER and SIFER study presets: " + sweeps);
        for (Path config : sweeps) {
            CliRun dry = CliRun.of("sweep", "--config", config.toString(), "--dry-run");
            assertEquals(0, dry.code(), config + ": " + dry.err());
            long trials = dry.out().lines().filter(l -> l.startsWith("trial ")).count();
            assertTrue(trials >= 12, config + ": " + dry.out());
            for (int seed = 0; seed < 3; seed++) {
                String tail = " seed=" + seed;
                assertEquals(trials / 3, dry.out().lines().filter(l -> l.startsWith("trial ") && l.endsWith(tail)).count(),
                        config + ": every configuration over seeds 0, 1 and 2");
            }
        }
    }
}
