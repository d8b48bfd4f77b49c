package io.readout.jobs.io;

import io.readout.common.BadInputException;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Spark's failures on a damaged Parquet shard, as Spark 3.5 words them, become one line naming the file. */
class UnreadableInputTest {
    private static final String SHARD = "file:/data/syn/examples/split=train/part-00000-da03.c000.snappy.parquet";
    private static final String ADVICE = "; the table it belongs to is damaged: write it again (e.g. readout prepare --overwrite)";

    private static SparkException jobFailure(Throwable cause) {
        return new SparkException("Job aborted due to stage failure: Task 0 in stage 2.0 failed 1 times, most recent"
                + " failure: Lost task 0.0 in stage 2.0 (TID 2) (192.0.2.2 executor driver): " + cause, cause);
    }

    @Test
    void aChecksumError() {
        SparkException e = jobFailure(new SparkException("Encountered error while reading file " + SHARD
                + ". Details:", new ChecksumException("Checksum error: " + SHARD + " at 12800 exp: -37 got: 19", 12800)));
        BadInputException bad = UnreadableInput.find(e);
        assertEquals("/data/syn/examples/split=train/part-00000-da03.c000.snappy.parquet: corrupted: fails its"
                + " checksum at byte 12800" + ADVICE, bad.getMessage());
    }

    @Test
    void aTruncatedShard() {
        BadInputException bad = UnreadableInput.find(jobFailure(new RuntimeException(SHARD + " is not a Parquet file."
                + " Expected magic number at tail, but found [20, 26, 8, 91]")));
        assertEquals("/data/syn/examples/split=train/part-00000-da03.c000.snappy.parquet: not a Parquet file (Expected"
                + " magic number at tail, but found [20, 26, 8, 91]): truncated or overwritten" + ADVICE, bad.getMessage());
    }

    @Test
    void onlyTheMessageReachedTheDriver() {
        BadInputException bad = UnreadableInput.find(new SparkException("Job aborted due to stage failure: ... "
                + "org.apache.spark.SparkException: Encountered error while reading file " + SHARD + ". Details: "));
        assertEquals("/data/syn/examples/split=train/part-00000-da03.c000.snappy.parquet: corrupted: cannot be read"
                + ADVICE, bad.getMessage());
    }

    @Test
    void otherFailuresAreNotAboutInput() {
        assertNull(UnreadableInput.find(new IllegalStateException("executor lost")));
    }
}
