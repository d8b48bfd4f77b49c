package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The Runs table's settings from config.json files as readout train writes them (keys in their order). */
class RunSettingsTest {
    private static JsonNode json(String text) {
        return Json.mapper().valueToTree(Json.readObject(text, "config.json"));
    }

    private static final String TEACHER = """
            {"method":"erm","arch":"teacher","data":"/d","out":"/r/teacher","epochs":8,"batch":64,"batch_scope":"global",
             "updater":"adam","lr":0.001,"weight_decay":0.0,"activation":"relu","workers":2,"averaging_frequency":4,
             "approach":"export","prefetch":2,"seed":3,"select":"val_accuracy","eval_batch":256}""";
    private static final String DEDIER = """
            {"method":"dedier","arch":"student","data":"/d","out":"/r/dedier","epochs":8,"batch":64,"batch_scope":"global",
             "updater":"adam","lr":0.01,"weight_decay":0.0,"activation":"relu","workers":2,"averaging_frequency":4,
             "approach":"export","prefetch":2,"seed":3,"select":"val_accuracy","eval_batch":256,
             "distill":{"teacher":"/r/teacher","teacher_probs":null,"lambda":0.7,"temperature":2.0,"alpha":1.0,
             "beta":2.5,"normalise":"mean","refresh":1,"weight_target":"kd","aux_at":"block1","aux_lr":1.0E-4}}""";
    private static final String JTT = """
            {"method":"jtt","arch":"student","data":"/d","out":"/r/jtt","epochs":8,"batch":64,"batch_scope":"global",
             "updater":"adam","lr":0.001,"weight_decay":0.0,"activation":"relu","workers":2,"averaging_frequency":4,
             "approach":"direct","prefetch":2,"seed":4,"select":"val_accuracy","eval_batch":64,
             "jtt":{"epochs":2,"upweight":6.0}}""";

    @Test
    void sharedSettingsOnceAndPerRunWhatDiffersAndTheMethodsOptions() {
        RunSettings s = RunSettings.of(List.of(json(TEACHER), json(DEDIER), json(JTT)));
        assertEquals("epochs=8, batch=64, batch_scope=global, updater=adam, weight_decay=0, activation=relu, "
                + "workers=2, averaging_frequency=4, select=val_accuracy", RunSettings.format(s.shared()));
        assertEquals(Map.of("lr", "0.001"), s.perRun().get(0));
        assertEquals("lr=0.01, lambda=0.7, temperature=2, alpha=1, beta=2.5, normalise=mean, refresh=1, "
                + "weight_target=kd, aux_at=block1, aux_lr=0.0001", RunSettings.format(s.perRun().get(1)));
        // jtt's epochs collide with the run's: prefixed
        assertEquals("lr=0.001, jtt_epochs=2, upweight=6", RunSettings.format(s.perRun().get(2)));
    }

    @Test
    void aKdRunShowsTheDistillationOptionsKdReads() {
        RunSettings s = RunSettings.of(List.of(json(DEDIER.replace("\"dedier\"", "\"kd\""))));
        assertEquals("lambda=0.7, temperature=2", RunSettings.format(s.perRun().get(0)));
    }

    @Test
    void oneRunSharesEverythingButItsMethodsOptions() {
        RunSettings s = RunSettings.of(List.of(json(DEDIER)));
        assertEquals("0.01", s.shared().get("lr"));
        assertEquals("beta", s.perRun().get(0).keySet().stream().filter("beta"::equals).findFirst().orElseThrow());
        assertNull(s.shared().get("data"));
        assertNull(s.shared().get("seed"));
    }

    @Test
    void theSeedAndNumbersAsWritten() {
        assertEquals("3", RunSettings.seed(json(TEACHER)));
        assertNull(RunSettings.seed(json("{\"method\":\"erm\"}")));
        assertEquals("0.00001", RunSettings.text(json("{\"x\":1e-5}").get("x")));
        assertEquals("1200", RunSettings.text(json("{\"x\":1.2e3}").get("x")));
        assertEquals("7", RunSettings.text(json("{\"x\":7}").get("x")));
    }
}
