package io.readout.datasets;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import io.readout.common.nets.NetworkConfig;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.JavaConverters;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /** An array column's value as Spark's rows hold it. */
    private static Object seq(Float... values) {
        return JavaConverters.asScalaBuffer(List.of(values)).toSeq();
    }

    /** Token ids reach the network as the exact integers they are, the largest id included. */
    @Test
    void tokenIdsArriveAsExactFloats(@TempDir Path dir) throws IOException {
        int top = NetworkConfig.MAX_VOCAB_SIZE - 1;
        ExamplesTable table = DatasetFolders.open(dir, DatasetFolders.tokensJson(4, String.valueOf(top + 1)));
        StructType schema = new StructType()
                .add(ExamplesSchema.LABEL, DataTypes.IntegerType)
                .add(ExamplesSchema.FEATURES, DataTypes.createArrayType(DataTypes.FloatType));
        List<Row> rows = List.of(
                new GenericRowWithSchema(new Object[] {0, seq(2f, 17f, 0f, 0f)}, schema),
                new GenericRowWithSchema(new Object[] {1, seq((float) top, 1f, (float) (top - 1), 0f)}, schema));
        DataSet d = Minibatches.dataSet(rows, table);
        assertArrayEquals(new long[] {2, 4}, d.getFeatures().shape());
        assertArrayEquals(new double[] {2, 17, 0, 0, top, 1, top - 1, 0},
                d.getFeatures().reshape(8).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).toDoubleVector());
        assertArrayEquals(new float[] {1, 0, 0, 1}, d.getLabels().reshape(4).toFloatVector());
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
