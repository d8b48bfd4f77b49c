package io.readout.jobs.train;

import io.readout.common.BadInputException;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The master's settings come from the config, and the traps of dl4j-spark M2 are always set. */
class TrainingMastersTest {

    @Test
    void buildsTheMasterOfTheConfig() {
        ParameterAveragingTrainingMaster m = TrainingMasters.build(
                new AveragingConfig(3, 32, 7, AveragingConfig.EXPORT, 2, 1, 11L, "file:///tmp/x"));
        assertTrue(m.isSaveUpdater(), "saveUpdater must be on: it defaults to false in M2");
        assertEquals(3, m.getNumWorkers());
        assertEquals(32, m.getRddDataSetNumExamples());
        assertEquals(7, m.getAveragingFrequency());
        assertEquals(2, m.getPrefetchNumBatches());
        assertEquals(false, m.getIsCollectTrainingStats());
        assertTrue(m.toJson().contains("\"exportDirectory\" : \"file:///tmp/x\""), m.toJson());
        assertTrue(m.toJson().contains("\"rddTrainingApproach\" : \"Export\""), m.toJson());
        assertTrue(m.toJson().contains("\"repartition\" : \"NumPartitionsWorkersDiffers\""), m.toJson());
    }

    @Test
    void defaultsAreTheMeasuredConstants() {
        AveragingConfig c = AveragingConfig.defaults(2, 64, 0L);
        assertEquals(AveragingConfig.DEFAULT_AVERAGING_FREQUENCY, c.averagingFrequency());
        assertEquals(AveragingConfig.DEFAULT_APPROACH, c.approach());
        assertEquals(AveragingConfig.DEFAULT_PREFETCH_BATCHES, c.prefetchBatches());
        assertTrue(TrainingMasters.build(c).toJson().contains("\"rddTrainingApproach\" : \"Direct\"")
                == AveragingConfig.DIRECT.equals(c.approach()));
    }

    @Test
    void rejectsBadValuesNamingTheFlag() {
        assertEquals("--workers 0 must be at least 1", assertThrows(BadInputException.class,
                () -> new AveragingConfig(0, 64, 5, "direct", 0, 1, 0, null)).getMessage());
        assertEquals("--averaging-frequency 0 must be at least 1", assertThrows(BadInputException.class,
                () -> new AveragingConfig(2, 64, 0, "direct", 0, 1, 0, null)).getMessage());
        assertEquals("--approach 'fast' is not one of export, direct", assertThrows(BadInputException.class,
                () -> new AveragingConfig(2, 64, 5, "fast", 0, 1, 0, null)).getMessage());
        assertEquals("--prefetch -1 must be zero or positive", assertThrows(BadInputException.class,
                () -> new AveragingConfig(2, 64, 5, "direct", -1, 1, 0, null)).getMessage());
    }
}
