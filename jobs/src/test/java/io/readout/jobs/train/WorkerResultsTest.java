package io.readout.jobs.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

class WorkerResultsTest {

    private static WorkerResults.Sum roundTrip(WorkerResults.Sum sum) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(sum);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (WorkerResults.Sum) in.readObject();
        }
    }

    @Test
    void aSumTravelsWithItsExactValues() throws Exception {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 1000).subi(0.5).muli(1e-3);
        INDArray updater = Nd4j.rand(DataType.FLOAT, 1, 2000);
        WorkerResults.Sum sum = new WorkerResults.Sum(params, updater, 0.375, 2);
        WorkerResults.Sum copy = roundTrip(sum);
        assertNotSame(params, copy.params());
        assertEquals(params, copy.params());
        assertEquals(0, params.sub(copy.params()).amaxNumber().doubleValue());
        assertEquals(0, updater.sub(copy.updaterState()).amaxNumber().doubleValue());
        assertEquals(0.375, copy.score());
        assertEquals(2, copy.count());

        WorkerResults.Sum noUpdater = roundTrip(new WorkerResults.Sum(params, null, 1.5, 1));
        assertNull(noUpdater.updaterState());
    }

    @Test
    void partialSumsAreAddedInPartitionOrder() {
        // In floats, (1e8 + 1) - 1e8 = 0 but (1e8 - 1e8) + 1 = 1: the index order decides.
        List<Tuple2<Integer, WorkerResults.Sum>> arrived = List.of(
                new Tuple2<>(2, new WorkerResults.Sum(Nd4j.createFromArray(1f), null, 3, 1)),
                new Tuple2<>(0, new WorkerResults.Sum(Nd4j.createFromArray(1e8f), null, 1, 1)),
                new Tuple2<>(1, new WorkerResults.Sum(Nd4j.createFromArray(-1e8f), null, 2, 1)));
        WorkerResults.Sum total = WorkerResults.inOrder(arrived);
        assertEquals(1f, total.params().getFloat(0));
        assertEquals(6, total.score());
        assertEquals(3, total.count());
    }
}
