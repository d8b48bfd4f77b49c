package io.readout.jobs.train;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchScopeTest {
    @Test
    void aGlobalBatchIsSharedByTheWorkers() {
        assertEquals(64, BatchScope.GLOBAL.workerBatch(64, 1));
        assertEquals(32, BatchScope.GLOBAL.workerBatch(64, 2));
        assertEquals(21, BatchScope.GLOBAL.workerBatch(64, 3), "64 / 3 = 21.3, rounded");
        assertEquals(16, BatchScope.GLOBAL.workerBatch(64, 4));
        assertEquals(8, BatchScope.GLOBAL.workerBatch(64, 8));
        assertEquals(1, BatchScope.GLOBAL.workerBatch(64, 200), "never below one example");
    }

    @Test
    void adaptiveRatesGrowWithTheSquareRootOfTheBatchRatio() {
        assertEquals(1.0, BatchScope.GLOBAL.adaptiveLrScale(64, 1), 0.0);
        assertEquals(Math.sqrt(2), BatchScope.GLOBAL.adaptiveLrScale(64, 2), 1e-15);
        assertEquals(Math.sqrt(64 / 21.0), BatchScope.GLOBAL.adaptiveLrScale(64, 3), 1e-15, "of the rounded batch");
        assertEquals(Math.sqrt(8), BatchScope.GLOBAL.adaptiveLrScale(64, 8), 1e-15);
        assertEquals(1.0, BatchScope.WORKER.adaptiveLrScale(64, 8), 0.0);
    }

    @Test
    void aWorkerBatchIsEachWorkers() {
        assertEquals(64, BatchScope.WORKER.workerBatch(64, 8));
    }

    @Test
    void flagsNameTheScopes() {
        assertEquals(BatchScope.GLOBAL, BatchScope.of("global", "--batch-scope"));
        assertEquals(BatchScope.WORKER, BatchScope.of("worker", "--batch-scope"));
        assertEquals("--batch-scope 'node' is not one of global, worker",
                assertThrows(BadInputException.class, () -> BatchScope.of("node", "--batch-scope")).getMessage());
    }
}
