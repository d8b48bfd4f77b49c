package io.readout.jobs.train;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The two averaging rules on hand-computed values (small integers and halves: exact in float). */
class AveragingTest {
    private static final INDArray START = Nd4j.createFromArray(1f, -2f, 0.5f);
    /** Three workers ended at (2, -2, 0.5), (1, -1, 1.5) and (0, -2, 2.5): their sum. */
    private static INDArray workerSum() {
        return Nd4j.createFromArray(3f, -5f, 4.5f);
    }

    @Test
    void meanIsTheWorkersAverage() {
        assertArrayEquals(new float[] {1f, -5f / 3, 1.5f}, Averaging.MEAN.next(START, workerSum(), 3).toFloatVector(),
                1e-6f);
    }

    @Test
    void sumAddsEveryWorkersDisplacementToTheStart() {
        // Displacements (1, 0, 0), (0, 1, 1), (-1, 0, 2): start + their sum = (1, -1, 3.5).
        assertArrayEquals(new float[] {1f, -1f, 3.5f}, Averaging.SUM.next(START, workerSum(), 3).toFloatVector());
        assertArrayEquals(new float[] {1f, -2f, 0.5f}, START.toFloatVector(), "the start is not modified");
    }

    @Test
    void oneWorkerIsTheSameUnderBothRules() {
        INDArray one = Nd4j.createFromArray(4f, 5f, 6f);
        assertArrayEquals(one.toFloatVector(), Averaging.MEAN.next(START, one.dup(), 1).toFloatVector());
        assertArrayEquals(one.toFloatVector(), Averaging.SUM.next(START, one.dup(), 1).toFloatVector());
    }

    @Test
    void flagsNameTheRules() {
        assertEquals(Averaging.SUM, Averaging.of("sum", "--averaging"));
        assertEquals(Averaging.MEAN, Averaging.of("mean", "--averaging"));
        assertEquals("--averaging 'median' is not one of mean, sum",
                assertThrows(BadInputException.class, () -> Averaging.of("median", "--averaging")).getMessage());
    }
}
