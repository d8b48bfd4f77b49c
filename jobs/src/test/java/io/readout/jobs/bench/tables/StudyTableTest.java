package io.readout.jobs.bench.tables;

import io.readout.common.BadInputException;
import io.readout.jobs.aggregate.SeedSummary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The study table on three hand-written sweeps, against differences and verdicts worked out by hand. */
class StudyTableTest {
    private static final String CPU = """
            {"model": "Test CPU", "cores": 2, "isa": ["avx2"], "source": "/proc/cpuinfo"}""";

    @TempDir
    Path results;

    @BeforeEach
    void writeSweeps() throws IOException {
        write("erm.json", sweep("erm", group("{}", new double[] {0.5, 0.6, 0.7}, new double[] {0.5, 0.6, 0.7})));
        write("kd.json", sweep("kd", group("{}", new double[] {0.6, 0.6, 0.6}, new double[] {0.55, 0.6, 0.85})));
        // beta 1 is better on test, beta 2 on validation: validation chooses
        write("dedier.json", sweep("dedier",
                group("{\"beta\": 1}", new double[] {0.6, 0.6, 0.6}, new double[] {0.9, 0.9, 0.9}),
                group("{\"beta\": 2}", new double[] {0.7, 0.7, 0.7}, new double[] {0.60, 0.72, 0.81})));
    }

    @Test
    void validationChoosesAndEachMethodIsComparedSeedBySeed() {
        assertEquals("""
                | method | configs searched | chosen on val | seeds | val WGA | test avg | test WGA | Δ test WGA vs erm (paired) | Δ test WGA vs kd (paired) |
                |---|---|---|---|---|---|---|---|---|
                | erm | 1 | (defaults) | 3 | 0.6000 ± 0.1000 | 0.9000 ± 0.0000 | 0.6000 ± 0.1000 | | -0.0667 ± 0.0764 (within noise) |
                | kd | 1 | (defaults) | 3 | 0.6000 ± 0.0000 | 0.9000 ± 0.0000 | 0.6667 ± 0.1607 | +0.0667 ± 0.0764 (within noise) | |
                | dedier | 2 | `beta=2` | 3 | 0.7000 ± 0.0000 | 0.9000 ± 0.0000 | 0.7100 ± 0.1054 | +0.1100 ± 0.0100 (gain) | +0.0433 ± 0.0802 (within noise) |
                """, table("study files=erm.json,kd.json,dedier.json"));
    }

    @Test
    void theVerdictNeedsOneSignOnEverySeedAndAMeanAboveTheSpread() {
        assertEquals(StudyTable.GAIN, StudyTable.verdict(SeedSummary.of(new double[] {0.10, 0.12, 0.11})));
        assertEquals(StudyTable.LOSS, StudyTable.verdict(SeedSummary.of(new double[] {-0.10, -0.12, -0.11})));
        assertEquals(StudyTable.NOISE, StudyTable.verdict(SeedSummary.of(new double[] {0.10, 0.30, -0.01})),
                "one seed of the other sign");
        assertEquals(StudyTable.NOISE, StudyTable.verdict(SeedSummary.of(new double[] {0.01, 0.30, 0.02})),
                "one sign, but the mean below the spread");
        assertEquals(StudyTable.NOISE, StudyTable.verdict(SeedSummary.of(new double[] {0.5})), "one seed");
    }

    @Test
    void aMissingBaselineOrATwiceSweptMethodIsOneLineNamingIt() {
        assertEquals("d.md:7 (table study): baseline kd has no file (methods: [erm, dedier])",
                bad("study files=erm.json,dedier.json"));
        assertTrue(bad("study files=erm.json,kd.json,erm.json").contains("two files sweep method erm"));
        assertTrue(table("study files=erm.json,dedier.json baselines=erm").contains("+0.1100 ± 0.0100 (gain)"));
    }

    /** One configuration: its values, and per seed 0, 1, 2 its validation and test worst-group accuracy. */
    private static String group(String values, double[] valWga, double[] testWga) {
        List<String> runs = new ArrayList<>();
        for (int s = 0; s < valWga.length; s++) {
            String val = scores(0.9, valWga[s]);
            String test = scores(0.9, testWga[s]);
            runs.add("{\"seed\": %d, \"trial\": %d, \"val\": %s, \"test\": %s, \"final_val\": %s, \"final_test\": %s}"
                    .formatted(s, s, val, test, val, test));
        }
        String mean = "{\"accuracy\": {\"mean\": 0.9}, \"worst_group_accuracy\": {\"mean\": %s}}"
                .formatted(String.format(Locale.ROOT, "%.6f", SeedSummary.of(valWga).mean()));
        String model = "{\"val\": %s}".formatted(mean);
        return "{\"values\": %s, \"n\": 3, \"seeds\": [0, 1, 2], \"best\": %s, \"final\": %s, \"runs\": [%s]}"
                .formatted(values, model, model, String.join(", ", runs));
    }

    private static String scores(double accuracy, double wga) {
        return String.format(Locale.ROOT, "{\"accuracy\": %s, \"worst_group_accuracy\": %s, \"group_mean_accuracy\": %s}",
                accuracy, wga, accuracy);
    }

    private static String sweep(String method, String... groups) {
        return "{\"cpu\": %s, \"sweep\": {\"base\": {\"method\": \"%s\"}}, \"by_seed\": [%s]}"
                .formatted(CPU, method, String.join(", ", groups));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(results.resolve(name), text);
    }

    private static TableMarker marker(String body) {
        return TableMarker.parse(Path.of("d.md"), 7, "<!-- table: " + body + " -->");
    }

    private String table(String marker) {
        return new StudyTable().render(marker(marker), results).table();
    }

    private String bad(String marker) {
        return assertThrows(BadInputException.class, () -> new StudyTable().render(marker(marker), results)).getMessage();
    }
}
