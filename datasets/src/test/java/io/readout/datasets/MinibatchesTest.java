package io.readout.datasets;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MinibatchesTest {
    private static List<Row> rows(long... keys) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            rows.add(RowFactory.create("r" + i, keys[i]));
        }
        return rows;
    }

    /** Each batch as its row ids, e.g. "r0 r1". */
    private static List<String> batches(List<Row> rows, int batchSize) {
        List<String> out = new ArrayList<>();
        Iterator<List<Row>> it = Minibatches.batchesByKey(rows.iterator(), 1, batchSize);
        while (it.hasNext()) {
            out.add(String.join(" ", it.next().stream().map(r -> r.getString(0)).toList()));
        }
        return out;
    }

    @Test
    void batchesNeverMixKeysAndNeverExceedTheSize() {
        // keys 7 7 7 | 2 | 5 5 5 5 5, batch size 2
        assertEquals(List.of("r0 r1", "r2", "r3", "r4 r5", "r6 r7", "r8"), batches(rows(7, 7, 7, 2, 5, 5, 5, 5, 5), 2));
        assertEquals(List.of("r0 r1 r2", "r3", "r4 r5 r6 r7 r8"), batches(rows(7, 7, 7, 2, 5, 5, 5, 5, 5), 10));
    }

    @Test
    void aKeyGroupIsCutTheSameWayWhateverCameBeforeIt() {
        // The rows of key 5 form the same batches whether or not other keys precede them in the partition.
        List<String> alone = batches(rows(5, 5, 5), 2);
        List<String> after = batches(rows(1, 5, 5, 5), 2);
        assertEquals(List.of("r0 r1", "r2"), alone);
        assertEquals(List.of("r0", "r1 r2", "r3"), after);
    }

    @Test
    void noRowsNoBatchesAndABadSizeIsRefused() {
        assertFalse(Minibatches.batchesByKey(List.<Row>of().iterator(), 1, 4).hasNext());
        assertEquals(List.of("r0"), batches(rows(3), 1));
        assertThrows(IllegalArgumentException.class, () -> Minibatches.batchesByKey(List.<Row>of().iterator(), 1, 0));
    }
}
