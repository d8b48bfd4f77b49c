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
