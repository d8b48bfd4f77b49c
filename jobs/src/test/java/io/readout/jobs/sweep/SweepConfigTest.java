package io.readout.jobs.sweep;

import io.readout.common.BadInputException;
import io.readout.jobs.CliRun;
import io.readout.jobs.cli.TrainCommand;
import io.readout.jobs.flags.FlagValues;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainJob;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sweep.json → trials, through readout train's own parsing; no Spark. */
class SweepConfigTest {
    private static final String BASE = "\"base\": {\"method\": \"erm\", \"arch\": \"student\", \"data\": \"/d\", \"epochs\": 8}";

    private static SweepConfig plan(String json) {
        return SweepConfig.plan("sweep.json", json, TrainCommand.flags(), null, false);
    }

    private static String error(String json) {
        String message = assertThrows(BadInputException.class, () -> plan(json)).getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        return message;
    }

    @Test
    void trialsMergeTheBaseWithTheirValuesThroughTrainsParsing() {
        SweepConfig c = plan("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [1e-3, 1e-2], \"epochs\": [2, 3]},"
                + " \"select\": \"val_wga\", \"concurrent\": 2}");
        assertEquals(4, c.plan().size());
        assertEquals(4, c.trials().size());
        assertEquals(2, c.spec().concurrent());
        Trial t = c.plan().get(1);
        assertEquals(1, t.id());
        assertEquals(TestValues.values("lr", 0.001, "epochs", 3), t.values());
        assertEquals("lr=0.001 epochs=3", t.describe());
        assertEquals(List.of("--method=erm", "--arch=student", "--data=/d", "--epochs=3", "--lr=0.001",
                "--out=/s/trials/trial=0001", "--select=val_wga"), t.args());
        TrainConfig config = t.config();
        assertEquals(3, config.epochs(), "the trial's value overrides the base");
        assertEquals(0.001, config.lr());
        assertEquals("/s/trials/trial=0001", config.out());
        assertEquals("val_wga", config.select(), "the sweep's select picks best.zip in every trial");
        assertEquals(64, config.batch(), "train's defaults fill the rest");
        assertEquals(List.of(0.01, 2), List.of(c.plan().get(2).config().lr(), c.plan().get(2).config().epochs()));
    }

    @Test
    void flagNamesMayBeKebabSnakeOrCamelCase() {
        for (String key : List.of("averaging-frequency", "averaging_frequency", "averagingFrequency", "--averaging-frequency")) {
            assertEquals("averaging-frequency", FlagValues.name(key));
            SweepConfig c = plan("{\"out\": \"/s\", " + BASE.replace("\"epochs\": 8", "\"weight_decay\": 0.5")
                    + ", \"space\": {\"" + key + "\": [5, 10]}}");
            assertEquals(List.of(5, 10), c.plan().stream().map(t -> t.config().averagingFrequency()).toList(), key);
            assertEquals(0.5, c.plan().get(0).config().weightDecay());
            assertEquals(TestValues.values("averaging-frequency", 5), c.plan().get(0).values());
        }
        assertEquals("sweep.json: \"base\" names --weight-decay twice",
                error("{\"out\": \"/s\", \"base\": {\"weight_decay\": 0, \"weightDecay\": 1}, \"space\": {\"lr\": [1]}}"));
    }

    @Test
    void aSwitchIsGivenAsTrueOrFalse() {
        JobFlags<TrainJob.Request> flags = new JobFlags<>() {
            @Override
            public boolean isSwitch(String name) {
                return name.equals("--balanced");
            }

            @Override
            public TrainJob.Request parse(List<String> args) {
                throw new UnsupportedOperationException();
            }
        };
        assertEquals(List.of("--balanced", "--lr=0.5"), Trial.arguments(TestValues.values("balanced", true, "lr", 0.5),
                flags));
        assertEquals(List.of("--lr=0.5"), Trial.arguments(TestValues.values("balanced", false, "lr", 0.5), flags).stream()
                .filter(a -> !a.equals("--balanced")).toList());
        assertEquals(List.of(), Trial.arguments(TestValues.values("balanced", false), flags));
        assertThrows(IllegalArgumentException.class, () -> Trial.arguments(TestValues.values("balanced", "yes"), flags));
    }

    @Test
    void randomSearchDrawsTrialsFromTheSeed() {
        String json = "{\"out\": \"/s\", " + BASE + ", \"search\": \"random\", \"trials\": 3, \"seed\": 4,"
                + " \"space\": {\"lr\": [1e-4, 1e-3, 1e-2], \"batch\": [16, 32, 64]}}";
        SweepConfig a = plan(json);
        assertEquals(3, a.plan().size());
        assertEquals(a.plan().stream().map(Trial::values).toList(), plan(json).plan().stream().map(Trial::values).toList());
        assertEquals(3, a.plan().stream().map(Trial::values).distinct().count());
        SweepConfig limited = SweepConfig.plan("sweep.json", json, TrainCommand.flags(), 2, false);
        assertEquals(3, limited.plan().size());
        assertEquals(a.plan().subList(0, 2).stream().map(Trial::values).toList(),
                limited.trials().stream().map(Trial::values).toList(), "--first 2: the first two");
    }

    @Test
    void badTrainFlagsFailWithTrainsOwnMessage() {
        assertEquals("sweep.json: trial 0000 (learning-rate=0.1): Unknown option: '--learning-rate=0.1'"
                + " (see 'readout train --help')",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"learning-rate\": [0.1]}}"));
        assertEquals("sweep.json: trial 0001 (epochs=1.5): Invalid value for option '--epochs': '1.5' is not an int"
                + " (see 'readout train --help')",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"epochs\": [1, 1.5]}}"));
        assertEquals("sweep.json: trial 0000 (lr=fast): Invalid value for option '--lr': 'fast' is not a double"
                + " (see 'readout train --help')",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [\"fast\"]}}"));
        assertEquals("sweep.json: trial 0000 (epochs=0): --epochs 0 must be at least 1",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"epochs\": [0, 1]}}"));
        assertEquals("sweep.json: trial 0000 (lr=0.1): Missing required option: '--arch=A' (see 'readout train --help')",
                error("{\"out\": \"/s\", \"base\": {\"data\": \"/d\"}, \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: trials 0000 (lambda=0.5) and 0001 (lambda=0.9) give readout train the same config;"
                + " is every searched flag used by --method erm?",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lambda\": [0.5, 0.9]}}"));
    }

    @Test
    void badSweepFilesFailInOneLineNamingTheKey() {
        assertEquals("sweep.json: \"space\" is empty: give at least one train flag and its values,"
                + " e.g. \"space\": {\"lr\": [1e-3, 1e-2]}", error("{\"out\": \"/s\", " + BASE + ", \"space\": {}}"));
        assertEquals("sweep.json: \"space\" (train flag → list of values) is required", error("{\"out\": \"/s\", " + BASE + "}"));
        assertEquals("sweep.json: \"space\".\"lr\" must be a non-empty list of values",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": 0.1}}"));
        assertEquals("sweep.json: \"space\".\"lr\" must be a non-empty list of values",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": []}}"));
        assertEquals("sweep.json: \"space\".\"lr\" lists 0.1 twice",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [0.1, 0.1]}}"));
        assertEquals("sweep.json: \"space\".\"lr\": [0.2] is not a string, number or true/false",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [0.1, [0.2]]}}"));
        assertEquals("sweep.json: \"select\" 'test_wga' is not one of val_accuracy, val_wga, val_group_mean",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [0.1]}, \"select\": \"test_wga\"}"));
        assertEquals("sweep.json: unknown key \"spaces\" (expected out, base, search, trials, seed, space, select, concurrent)",
                error("{\"out\": \"/s\", " + BASE + ", \"spaces\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"out\" (the sweep's output folder) is required", error("{" + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"search\" 'bayes' is not one of grid, random",
                error("{\"out\": \"/s\", \"search\": \"bayes\", " + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"trials\" is for \"search\": \"random\" (a grid runs every config)",
                error("{\"out\": \"/s\", \"trials\": 3, " + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"search\": \"random\" needs \"trials\" (how many configs to draw)",
                error("{\"out\": \"/s\", \"search\": \"random\", " + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"concurrent\" must be a whole number from 1 to 64, not \"two\"",
                error("{\"out\": \"/s\", \"concurrent\": \"two\", " + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"concurrent\" must be a whole number from 1 to 64, not 0",
                error("{\"out\": \"/s\", \"concurrent\": 0, " + BASE + ", \"space\": {\"lr\": [0.1]}}"));
        assertEquals("sweep.json: \"base\" must be an object of train flags, not [\"erm\"]",
                error("{\"out\": \"/s\", \"base\": [\"erm\"], \"space\": {\"lr\": [0.1]}}"));
        assertTrue(error("{\"out\": \"/s\", " + BASE.replace("\"epochs\": 8", "\"out\": \"/x\"")
                + ", \"space\": {\"lr\": [0.1]}}").startsWith("sweep.json: \"base\".\"out\": --out is the sweep's to set"));
        assertTrue(error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"select\": [\"val_wga\"]}}")
                .startsWith("sweep.json: \"space\".\"select\": the sweep's top-level \"select\""));
        assertTrue(error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"lr\": [0.1]},}")
                .startsWith("sweep.json: not valid JSON: "));
        assertEquals("--first 0 must be at least 1", assertThrows(BadInputException.class, () -> SweepConfig.plan(
                "sweep.json", "{}", TrainCommand.flags(), 0, false)).getMessage());
    }

    @Test
    void theCommandLineListsSweep() {
        CliRun help = CliRun.of("sweep", "--help");
        assertEquals(0, help.code(), help.err());
        for (String flag : List.of("--config", "--first", "--dry-run", "--overwrite", "\"space\"")) {
            assertTrue(help.out().contains(flag), flag + " in " + help.out());
        }
        assertTrue(CliRun.of("--help").out().contains("sweep"));
        CliRun old = CliRun.of("sweep", "--config", "sweep.json", "--trials", "2");
        assertEquals(2, old.code(), old.err());
        assertTrue(old.err().startsWith("readout sweep: --trials is now --first ("), old.err());
    }

    @Test
    void aGridLargerThanTheLimitIsRefused() {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            values.append(i == 0 ? "" : ",").append(i + 1);
        }
        assertEquals("sweep.json: the grid holds 10201 configs, more than 10000; use \"search\": \"random\" with \"trials\"",
                error("{\"out\": \"/s\", " + BASE + ", \"space\": {\"epochs\": [" + values + "], \"batch\": [" + values + "]}}"));
    }

    @Test
    void aKeyGivenAsNullIsThereForTheSearchChecksAndTakesItsDefaultOtherwise() {
        assertEquals("sweep.json: \"seed\" is for \"search\": \"random\" (a grid runs every config)",
                error("{\"out\": \"/s\", " + BASE + ", \"seed\": null, \"space\": {\"lr\": [0.1]}}"));
        SweepConfig c = plan("{\"out\": \"/s\", " + BASE + ", \"select\": null, \"concurrent\": null,"
                + " \"space\": {\"lr\": [0.1]}}");
        assertEquals(TrainConfig.SELECT.get(0), c.spec().select());
        assertEquals(1, c.spec().concurrent());
    }
}
