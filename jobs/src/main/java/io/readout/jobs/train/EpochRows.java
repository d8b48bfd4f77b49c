package io.readout.jobs.train;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

import java.util.function.IntFunction;

import static org.apache.spark.sql.functions.sum;

/**
 * What the epochs of {@link TrainJob} train on: the rows of the training split, each taken
 * {@code copies(epoch)} times per epoch. ERM takes every row once; JTT's stage two takes its error set
 * λ_up times ({@link Jtt}). The copies are made on the executors, inside the per-epoch shuffle
 * ({@link TrainingMasters#minibatchRdd(Dataset, Column, io.readout.datasets.ExamplesTable, int, int, long)}).
 *
 * @param rows   the distinct training rows
 * @param copies per epoch, an int column over {@code rows}' columns; null: each row once
 */
record EpochRows(Dataset<Row> rows, IntFunction<Column> copies) {

    static EpochRows eachOnce(Dataset<Row> rows) {
        return new EpochRows(rows, null);
    }

    /** The same rows kept by Spark across the epochs. */
    EpochRows persist() {
        return new EpochRows(rows.persist(StorageLevel.MEMORY_AND_DISK()), copies);
    }

    /** How many times each row is taken in {@code epoch}; null when each is taken once. */
    Column copiesIn(int epoch) {
        return copies == null ? null : copies.apply(epoch);
    }

    /** The number of rows {@code epoch} trains on; {@code distinct} is the count of {@link #rows}. */
    long countIn(int epoch, long distinct) {
        if (copies == null) {
            return distinct;
        }
        Row total = rows.agg(sum(copiesIn(epoch))).first();
        return total.isNullAt(0) ? 0 : total.getLong(0);
    }
}
