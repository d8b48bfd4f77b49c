package io.readout.jobs.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;

/**
 * How many native threads (libnd4j, OpenBLAS, oneDNN's OpenMP team) a Spark task may use: the task's cores,
 * {@code spark.task.cpus}, so the tasks of an executor do not oversubscribe its cores. Training workers and the
 * forward passes both limit their threads to it.
 */
public final class TaskThreads {
    /**
     * ND4J threads per Spark task: one core per task. Two threads per task on 2 cores (oversubscribed)
     * gave 792 examples/s against 1,089 ({@code readout bench training}, docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_PER_TASK = 1;

    private TaskThreads() {
    }

    /** The threads a task of this session may use: {@code spark.task.cpus} (default 1). */
    public static int perTask(SparkContext sc) {
        return sc.getConf().getInt("spark.task.cpus", DEFAULT_PER_TASK);
    }

    /** The threads of the task this thread runs (its {@code spark.task.cpus}), or the default outside a task. */
    public static int ofThisTask() {
        TaskContext task = TaskContext.get();
        return task == null ? DEFAULT_PER_TASK : task.cpus();
    }
}
