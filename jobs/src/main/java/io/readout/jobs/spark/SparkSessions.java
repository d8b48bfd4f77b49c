package io.readout.jobs.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.Map;

/**
 * The one place that holds the Spark settings of readout's jobs. The master is never hard-coded:
 * {@code --master}, else {@code spark.master} as spark-submit or {@code -Dspark.master} set it,
 * else {@code local[*]} for a laptop or CI run.
 */
public final class SparkSessions {
    public static final String LOCAL = "local[*]";
    /** The largest task result sent to the driver with the task's status, unless the user sets another. */
    static final String DIRECT_RESULT_SIZE = "64m";

    private SparkSessions() {
    }

    /**
     * The active session if one exists (tests, a notebook), otherwise a new one.
     *
     * @param master null to keep what spark-submit or the system properties say
     * @param conf   extra settings from {@code --conf KEY=VALUE}
     */
    public static SparkSession getOrCreate(String appName, String master, Map<String, String> conf) {
        return getOrCreate(appName, master, Map.of(), conf);
    }

    /**
     * As {@link #getOrCreate(String, String, Map)}, with a command's own settings ({@code defaults}),
     * which spark-submit and {@code conf} override.
     */
    public static SparkSession getOrCreate(String appName, String master, Map<String, String> defaults,
                                           Map<String, String> conf) {
        SparkSession active = SparkSession.getActiveSession().getOrElse(() -> null);
        if (active != null) {
            return active;
        }
        SparkConf sparkConf = new SparkConf(true);
        if (master != null) {
            sparkConf.setMaster(master);
        } else if (!sparkConf.contains("spark.master")) {
            sparkConf.setMaster(LOCAL);
        }
        sparkConf.setIfMissing("spark.app.name", appName);
        // Our tables commit by rename with their own _SUCCESS; Spark's marker would only be a second one.
        sparkConf.setIfMissing("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false");
        sparkConf.setIfMissing("spark.sql.parquet.compression.codec", "snappy");
        // Each averaging round returns every worker's parameters and updater state (10 MB for the teacher). Above
        // 1 MB (Spark's default) a result is put in the executor's block manager and fetched from there by the
        // driver; sent with the task's status instead, a teacher round's results reached the driver in 32 ms
        // instead of 43-75 ms (docs/bench/issue17-profile.md). Spark caps this at spark.rpc.message.maxSize.
        sparkConf.setIfMissing("spark.task.maxDirectResultSize", DIRECT_RESULT_SIZE);
        defaults.forEach(sparkConf::setIfMissing);
        if (conf != null) {
            conf.forEach(sparkConf::set);
        }
        return SparkSession.builder().config(sparkConf).getOrCreate();
    }
}
