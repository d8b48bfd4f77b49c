package io.readout.datasets;

import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Rows of the examples table to DL4J minibatches, on the executors: features as float
 * {@code [n, channels, height, width]} scaled to [0, 1] (images) or {@code [n, features]}
 * (vectors, and token ids: the column's floats copied as they are, so an id below 2^24 arrives exact),
 * labels one-hot {@code [n, numClasses]}. The last batch of a partition may be smaller.
 */
public final class Minibatches {
    private Minibatches() {
    }

    /** The input array of a batch of rows. */
    public static INDArray features(List<Row> rows, ExamplesTable table) {
        int n = rows.size();
        int size = table.inputSize();
        float[] buf = new float[n * size];
        for (int i = 0; i < n; i++) {
            fill(rows.get(i), table, buf, i * size);
        }
        if (table.isImage()) {
            ImageShape s = table.shape();
            return Nd4j.create(buf, new long[] {n, s.channels(), s.height(), s.width()}, DataType.FLOAT);
        }
        return Nd4j.create(buf, new long[] {n, size}, DataType.FLOAT);
    }

    /** One-hot labels of a batch of rows. */
    public static INDArray labels(List<Row> rows, int numClasses) {
        float[] buf = new float[rows.size() * numClasses];
        for (int i = 0; i < rows.size(); i++) {
            int label = rows.get(i).getInt(rows.get(i).fieldIndex(ExamplesSchema.LABEL));
            buf[i * numClasses + label] = 1f;
        }
        return Nd4j.create(buf, new long[] {rows.size(), numClasses}, DataType.FLOAT);
    }

    /** A labelled minibatch. */
    public static DataSet dataSet(List<Row> rows, ExamplesTable table) {
        return new DataSet(features(rows, table), labels(rows, table.numClasses()));
    }

    /** Groups an iterator of rows into minibatches of {@code batchSize}, lazily. */
    public static Iterator<List<Row>> batches(Iterator<Row> rows, int batchSize) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public List<Row> next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Row> batch = new ArrayList<>(batchSize);
                while (rows.hasNext() && batch.size() < batchSize) {
                    batch.add(rows.next());
                }
                return batch;
            }
        };
    }

    /**
     * Minibatches of rows that arrive grouped by a key (the long at {@code keyIndex}): each batch holds
     * rows of one key only, at most {@code batchSize} of them, in the order they arrive. Rows placed
     * and sorted by key give the same batches however they were split into partitions.
     */
    public static Iterator<List<Row>> batchesByKey(Iterator<Row> rows, int keyIndex, int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        }
        return new Iterator<>() {
            private Row pending;

            @Override
            public boolean hasNext() {
                return pending != null || rows.hasNext();
            }

            @Override
            public List<Row> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Row> batch = new ArrayList<>(batchSize);
                Row first = pending != null ? pending : rows.next();
                pending = null;
                batch.add(first);
                long key = first.getLong(keyIndex);
                while (batch.size() < batchSize && rows.hasNext()) {
                    Row r = rows.next();
                    if (r.getLong(keyIndex) != key) {
                        pending = r;
                        break;
                    }
                    batch.add(r);
                }
                return batch;
            }
        };
    }

    private static void fill(Row row, ExamplesTable table, float[] buf, int offset) {
        int f = row.fieldIndex(ExamplesSchema.FEATURES);
        if (table.isImage()) {
            byte[] pixels = (byte[]) row.get(f);
            for (int k = 0; k < pixels.length; k++) {
                buf[offset + k] = (pixels[k] & 0xff) / 255f;
            }
        } else {
            List<Object> v = row.getList(f);
            for (int k = 0; k < v.size(); k++) {
                buf[offset + k] = ((Number) v.get(k)).floatValue();
            }
        }
    }
}
