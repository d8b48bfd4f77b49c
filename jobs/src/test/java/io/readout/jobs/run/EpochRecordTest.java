package io.readout.jobs.run;

import io.readout.jobs.TestResources;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.readout.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * history.json as {@link TrainingHistory} and {@link EpochRecord}: the histories of runs written before the
 * records (erm, kd, dedier, sifer, jtt under {@code io/readout/jobs/train/runs}) read back and come out byte for
 * byte as they were, the methods' figures in their place and order.
 */
class EpochRecordTest {
    private static final TypeReference<List<EpochRecord>> EPOCHS = new TypeReference<>() {
    };

    static String fixture(String path) {
        return TestResources.text(EpochRecordTest.class, "/io/readout/jobs/train/runs/" + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"erm", "erm-init", "kd", "dedier", "sifer", "sifer-noforget", "jtt", "jtt/stage1"})
    void historiesWrittenBeforeReadAndWriteBackTheSameBytes(String run) throws IOException {
        String text = fixture(run + "/history.json");
        TrainingHistory h = Json.mapper().readValue(text, TrainingHistory.class);
        assertEquals(text, Json.write(h));
        for (EpochRecord e : h.epochs()) {
            assertNull(e.valLoss(), "not recorded then");
            assertFalse(e.figures().containsKey(EpochRecord.VAL_LOSS));
        }
        assertEquals(h.epochs().size(), Json.readObject(text, run).get("epochs") instanceof List<?> l ? l.size() : -1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"erm", "dedier", "sifer"})
    void checkpointHistoriesReadAndWriteBackTheSameBytes(String run) throws IOException {
        String text = fixture(run + "/checkpoints/epoch=0002/history.json");
        List<EpochRecord> epochs = Json.mapper().readValue(text, EPOCHS);
        assertEquals(2, epochs.size());
        assertEquals(text, Json.write(epochs));
    }

    @Test
    void siferWithoutForgettingStepsWritesANullLoss() {
        Map<String, Number> figures = new LinkedHashMap<>();
        figures.put("val_aux_accuracy", 0.5);
        figures.put("forget_steps", 0L);
        figures.put("forget_loss", null);
        EpochRecord e = new EpochRecord(1, 0.7481580674648285, null, 0.46875, 0.0, 0.46875, figures, 3.787565321,
                1.834894384, 256, 256 / 1.834894384);
        assertEquals(fixture("sifer-noforget/history.json"),
                Json.write(new TrainingHistory("val_accuracy", 1, List.of(e))));
    }

    @Test
    void theValidationLossIsWrittenAfterTheTrainingLossAndReadBack() throws IOException {
        Map<String, Number> figures = new LinkedHashMap<>();
        figures.put("val_readout_accuracy", 0.40625);
        EpochRecord e = new EpochRecord(2, 0.5, 0.6931471805599453, 0.75, 0.5, 0.625, figures, 2.5, 2.0, 256, 128.0);
        String text = Json.write(List.of(e));
        Map<?, ?> line = (Map<?, ?>) ((List<?>) Json.readObject(Json.write(new TrainingHistory("val_wga", 2,
                List.of(e))), "history").get("epochs")).get(0);
        assertEquals(List.of("epoch", "loss", "val_loss", "val_accuracy", "val_wga", "val_group_mean",
                "val_readout_accuracy", "seconds", "fit_seconds", "train_rows", "examples_per_second"),
                List.copyOf(line.keySet()));
        EpochRecord back = Json.mapper().readValue(text, EPOCHS).get(0);
        assertEquals(e, back);
        assertEquals(0.6931471805599453, back.value(EpochRecord.VAL_LOSS));
        assertEquals(text, Json.write(List.of(back)));
    }

    @Test
    void aLineWithoutValidationLossReadsAsNotRecorded() throws IOException {
        String text = fixture("erm/checkpoints/epoch=0002/history.json");
        EpochRecord old = Json.mapper().readValue(text, EPOCHS).get(0);
        assertNull(old.valLoss());
        assertEquals("epoch 1 has no figure 'val_loss'",
                assertThrows(IllegalArgumentException.class, () -> old.value(EpochRecord.VAL_LOSS)).getMessage());
        String withNull = text.replaceFirst("(\"loss\" : [0-9.E-]+,)", "$1\n  \"val_loss\" : null,");
        assertNull(Json.mapper().readValue(withNull, EPOCHS).get(0).valLoss(), "null: not recorded either");
        assertEquals(text, Json.write(Json.mapper().readValue(withNull, EPOCHS)), "and is left out when written");
    }

    @Test
    void dedierFiguresComeBetweenValidationAndTimings() throws IOException {
        EpochRecord first = Json.mapper().readValue(fixture("dedier/history.json"), TrainingHistory.class).epochs().get(0);
        assertEquals(List.of("val_readout_accuracy", "weights_seconds", "weights_epoch", "readout_flagged_fraction",
                "readout_error_confidence"), List.copyOf(first.figures().keySet()));
        assertEquals(Integer.class, first.figures().get("weights_epoch").getClass(), "an int stays an int");
        assertEquals(0.40625, first.value("val_readout_accuracy"));
        assertEquals(0.5, first.value(EpochRecord.VAL_GROUP_MEAN));
        assertEquals(0.0, first.value(EpochRecord.VAL_WGA));
        assertEquals(256, first.trainRows());
    }

    @Test
    void nonFiniteFiguresKeepTheirSpelling() throws IOException {
        String line = fixture("sifer-noforget/history.json").replace("\"forget_loss\" : null", "\"forget_loss\" : \"NaN\"")
                .replace("\"val_wga\" : 0.0", "\"val_wga\" : \"NaN\"");
        TrainingHistory h = Json.mapper().readValue(line, TrainingHistory.class);
        assertEquals(Double.NaN, h.epochs().get(0).figures().get("forget_loss"));
        assertEquals(line, Json.write(h));
    }

    @Test
    void aLineWithoutTrainJobsFiguresIsRefused() {
        String noLoss = fixture("erm/checkpoints/epoch=0002/history.json").replaceFirst("\"loss\" : [0-9.E-]+,\n", "");
        assertEquals("an epoch of history.json has no 'loss'", assertThrows(JsonMappingException.class,
                () -> Json.mapper().readValue(noLoss, EPOCHS)).getOriginalMessage());
        String text = fixture("erm/checkpoints/epoch=0002/history.json").replaceFirst("\"val_wga\" : [0-9.E-]+",
                "\"val_wga\" : \"high\"");
        assertThrows(JsonMappingException.class, () -> Json.mapper().readValue(text, EPOCHS));
    }
}
