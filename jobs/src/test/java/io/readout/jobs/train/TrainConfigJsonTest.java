package io.readout.jobs.train;

import io.readout.jobs.TestResources;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * config.json as Jackson reads and writes {@link TrainConfig}: the files of runs written before the records
 * ({@code runs/*}) read back and come out byte for byte as they were; keys older runs lack take their defaults.
 */
class TrainConfigJsonTest {

    /** A file of the committed runs, under this package's test resources. */
    static String fixture(String path) {
        return TestResources.text(TrainConfigJsonTest.class, "runs/" + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"erm", "erm-init", "kd", "dedier", "sifer", "sifer-noforget", "jtt", "jtt/stage1"})
    void configsWrittenBeforeReadAndWriteBackTheSameBytes(String run) {
        String text = fixture(run + "/config.json");
        TrainConfig c = TrainConfig.fromJson(text, run);
        assertEquals(c, c.validate());
        assertEquals(text, c.write());
        assertEquals(text, Json.write(c.toJson()));
        assertEquals(Json.readObject(text, run).toString(), c.toJson().toString());
        assertEquals(Long.class, c.toJson().get("seed").getClass(), "as the map built by hand held it");
    }

    @Test
    void readsEveryField() {
        TrainConfig dedier = TrainConfig.fromJson(fixture("dedier/config.json"), "dedier");
        assertEquals(new TrainConfig(TrainConfig.DEDIER, Architecture.STUDENT, "/tmp/typed-a/work/syn",
                "/tmp/typed-a/work/dedier", 2, 32, "adam", 0.01, 0, "relu", 2, 2, "direct", 0, 5, "val_group_mean", 64,
                new DistillOptions("/tmp/typed-a/work/erm", null, 0.7, 2, 1, 2, "mean", 2, "kd", "block1", 1e-3),
                null, null, null, BatchScope.GLOBAL), dedier);
        TrainConfig init = TrainConfig.fromJson(fixture("erm-init/config.json"), "erm-init");
        assertEquals("/tmp/typed-a/work/erm/model.zip", init.init());
        assertEquals(BatchScope.WORKER, init.batchScope());
        assertEquals(new JttOptions(1, 3), TrainConfig.fromJson(fixture("jtt/config.json"), "jtt").jtt());
        assertEquals(new SiferOptions("block1", 0, 32, 0.01, 2, 0.01, "workers"),
                TrainConfig.fromJson(fixture("sifer/config.json"), "sifer").sifer());
    }

    @Test
    void keysOlderRunsLackTakeTheirDefaults() {
        String text = fixture("sifer/config.json").replace("  \"batch_scope\" : \"global\",\n", "")
                .replace("  \"activation\" : \"relu\",\n", "").replace(",\n    \"forget_lr_scaling\" : \"workers\"", "")
                .replace("\"method\"", "\"future_key\" : [1, {\"a\": 2}],\n  \"method\"");
        TrainConfig c = TrainConfig.fromJson(text, "old");
        assertEquals(BatchScope.WORKER, c.batchScope(), "runs from before --batch-scope fitted the batch per worker");
        assertEquals("relu", c.activation());
        assertEquals(SiferOptions.DEFAULT_FORGET_LR_SCALING, c.sifer().forgetLrScaling());
        assertNull(c.init());
    }

    @Test
    void refusesAConfigItCannotRead() {
        String sifer = fixture("sifer/config.json");
        assertEquals("c.json: not a readout training config ('epochs' is missing or not a number)",
                assertThrows(BadInputException.class,
                        () -> TrainConfig.fromJson(sifer.replace("\"epochs\" : 2,", ""), "c.json")).getMessage());
        assertEquals("c.json: not a readout training config ('forget_lr' is missing or not a number)",
                assertThrows(BadInputException.class, () -> TrainConfig.fromJson(
                        sifer.replace("\"forget_lr\" : 0.01,", ""), "c.json")).getMessage());
        assertEquals("c.json: batch_scope 'all' is not one of global, worker", assertThrows(BadInputException.class,
                () -> TrainConfig.fromJson(sifer.replace("\"global\"", "\"all\""), "c.json")).getMessage());
        assertEquals("c.json: not valid JSON: Unexpected end-of-input: expected close marker for Object",
                assertThrows(BadInputException.class, () -> TrainConfig.fromJson("{", "c.json")).getMessage()
                        .replaceAll(" \\(.*", ""));
    }
}
