package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.jobs.CliRun;
import io.readout.jobs.pipeline.PipelineSpec;
import io.readout.jobs.pipeline.Stage;
import io.readout.jobs.pipeline.StagePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --seed and --seeds against the config's seed and seeds; the demo's seeds; refusals before anything runs. */
class PipelineOptionsTest {
    private static final String ONE_SEED = "{\"out\": \"/r\", \"seed\": 3, \"prepare\": {\"dataset\": \"synthetic\"}}";
    private static final String SEED_LIST = "{\"out\": \"/r\", \"seeds\": [0, 1], \"prepare\": {\"dataset\": \"synthetic\"}}";

    private static PipelineSpec spec(String json, String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return PipelineSpec.parse(json, "p.json", demo.options.overrides(List.of()));
    }

    @Test
    void theFlagsWinOverTheConfigsSeedAndSeedsAlike() {
        assertEquals(List.of(3L), spec(ONE_SEED).seeds());
        assertFalse(spec(ONE_SEED).hasSeedList());
        PipelineSpec list = spec(ONE_SEED, "--seeds", "2,0,5");
        assertTrue(list.hasSeedList());
        assertEquals(List.of(2L, 0L, 5L), list.seeds());
        PipelineSpec one = spec(SEED_LIST, "--seed", "7");
        assertFalse(one.hasSeedList());
        assertEquals(7, one.seed());
        assertEquals(List.of(4L), spec(SEED_LIST, "--seeds", "4").seeds());
        assertTrue(spec(SEED_LIST, "--seeds", "4").hasSeedList());
    }

    @Test
    void theDemoRunsSeedsZeroOneAndTwoUnlessTold() {
        String demo = PipelineCommand.embedded(PipelineCommand.DEMO_CONFIG);
        assertEquals(List.of(0L, 1L, 2L), spec(demo, "--out", "/x").seeds());
        assertEquals(List.of(0L, 1L, 2L), spec(PipelineCommand.embedded(DemoCommand.DOMINOES_CONFIG), "--out", "/x")
                .seeds());
        assertEquals(List.of(1L, 2L), spec(demo, "--out", "/x", "--seeds", "1,2").seeds());
        assertFalse(spec(demo, "--out", "/x", "--seed", "4").hasSeedList());
    }

    @Test
    void theTextDemoPreparesFeaturizesOnceAndTrainsEveryMethodOnTheFeatures(@TempDir Path tmp) {
        PipelineSpec text = spec(PipelineCommand.embedded(DemoCommand.COMMENTS_CONFIG), "--out", "/x");
        assertEquals(List.of(0L, 1L, 2L), text.seeds());
        assertTrue(text.featurizes());
        List<String> names = StagePlan.of(spec(PipelineCommand.embedded(DemoCommand.COMMENTS_CONFIG), "--out", "/x",
                "--set", "prepare.source=/src"), "/x").stream().map(Stage::name).toList();
        assertEquals(List.of("prepare", "features", "seed=0/teacher"), names.subList(0, 3));
        CliRun dry = CliRun.of("demo", "--text", "--dry-run", "--out", tmp.resolve("d").toString());
        assertEquals(0, dry.code(), dry.err());
        assertTrue(dry.out().contains("featurize --input=tfidf"), dry.out());
        CliRun both = CliRun.of("demo", "--text", "--data-dir", tmp.toString(), "--out", tmp.resolve("e").toString());
        assertEquals(2, both.code(), both.err());
    }

    @Test
    void badSeedFlagsAreRefusedNamingTheFlag() {
        assertEquals("--seeds: seed 0 is given twice", assertThrows(BadInputException.class,
                () -> spec(ONE_SEED, "--seeds", "0,0")).getMessage());
        assertEquals("--seeds: seed -1 is negative", assertThrows(BadInputException.class,
                () -> spec(ONE_SEED, "--seeds", "-1")).getMessage());
        assertEquals("--seed and --seeds: give one (--seed S for one seed, --seeds S,S for a list)",
                assertThrows(BadInputException.class, () -> spec(ONE_SEED, "--seed", "1", "--seeds", "0,1")).getMessage());
    }

    @Test
    void theCommandLineRefusesInOneLineWithExitCodeTwoBeforeAnythingRuns(@TempDir Path tmp) throws IOException {
        Path config = Files.writeString(tmp.resolve("p.json"), SEED_LIST.replace("/r", tmp.resolve("root").toString()));
        CliRun dup = CliRun.of("pipeline", "--config", config.toString(), "--seeds", "1,1");
        assertEquals(2, dup.code(), dup.err());
        assertEquals(List.of("readout pipeline: --seeds: seed 1 is given twice"), List.of(dup.errLines()));

        CliRun both = CliRun.of("demo", "--out", tmp.resolve("demo").toString(), "--seed", "1", "--seeds", "0,1");
        assertEquals(2, both.code(), both.err());
        assertEquals(1, both.errLines().length, both.err());
        assertTrue(both.err().startsWith("readout demo: --seed and --seeds: give one"), both.err());

        CliRun notNumbers = CliRun.of("pipeline", "--config", config.toString(), "--seeds", "0,x");
        assertEquals(2, notNumbers.code(), notNumbers.err());
        assertEquals(1, notNumbers.errLines().length, notNumbers.err());
        assertTrue(notNumbers.err().contains("'--seeds'"), notNumbers.err());

        Path bothKeys = Files.writeString(tmp.resolve("both.json"), SEED_LIST.replace("\"seeds\"", "\"seed\": 1, \"seeds\""));
        CliRun config2 = CliRun.of("pipeline", "--config", bothKeys.toString());
        assertEquals(2, config2.code(), config2.err());
        assertEquals(List.of("readout pipeline: " + bothKeys + ": seed and seeds: give one (seed: one seed; seeds: a list"
                + " of them)"), List.of(config2.errLines()));

        // Retrain decides about one run: a seed list, from the config or the flag, is refused.
        CliRun retrain = CliRun.of("retrain", "--config", config.toString(), "--registry", tmp.resolve("reg").toString());
        assertEquals(2, retrain.code(), retrain.err());
        assertEquals(List.of("readout retrain: " + config + ": seeds: retrain takes one seed (--seed S, or seed in the"
                + " config), not a seed list"), List.of(retrain.errLines()));
        CliRun retrainFlag = CliRun.of("retrain", "--config", bothKeys.toString().replace("both", "p"), "--registry",
                tmp.resolve("reg").toString(), "--seeds", "0,1");
        assertEquals(2, retrainFlag.code(), retrainFlag.err());
        assertTrue(retrainFlag.err().startsWith("readout retrain: --seeds: retrain takes one seed"), retrainFlag.err());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("both.json", "p.json"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "nothing written");
        }
    }
}
