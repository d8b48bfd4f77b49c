package io.readout.jobs.spark;

import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingMasters;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerBlockUpdated;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.BlockId;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A measurement (docs/BENCHMARKS.md, "Parameter-averaging communication"; in the probes module, outside
 * the default build: {@code -Pprobes}). For the dominoes teacher and student
 * (56x28x1, 2 classes, Adam): P = numParams, the updater state's length, the serialized size of the
 * object dl4j-spark broadcasts each round (NetBroadcastTuple: configuration, parameters, updater state)
 * with Spark's serializer, and then two real averaging rounds on local[2] (2 rounds x 2 workers x K=10 x 64 random
 * examples, the product's training master): the broadcast blocks the driver stored (a listener on block
 * updates) and the result bytes each task returned (task metrics).
 */
class AveragingTrafficProbe extends SharedSparkSession {
    @Test
    void probe() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("readout.probe"), "traffic probe: run with -Dreadout.probe=true");
        for (Architecture arch : List.of(Architecture.STUDENT, Architecture.TEACHER)) {
            measure(arch);
        }
    }

    /**
     * How many partial results reach the driver in dl4j-spark's treeAggregate (aggregationDepth 2, and 3)
     * for W partitions: the task count of the job's last stage.
     */
    @Test
    void treeAggregateFanIn() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("readout.probe"), "traffic probe: run with -Dreadout.probe=true");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int depth : new int[] {2, 3}) {
            for (int w : new int[] {2, 8, 64}) {
                List<Integer> stageTasks = new CopyOnWriteArrayList<>();
                SparkListener listener = new SparkListener() {
                    @Override
                    public void onStageCompleted(SparkListenerStageCompleted event) {
                        stageTasks.add(event.stageInfo().numTasks());
                    }
                };
                spark.sparkContext().addSparkListener(listener);
                List<Integer> ones = new ArrayList<>();
                for (int i = 0; i < w; i++) {
                    ones.add(1);
                }
                int total = sc.parallelize(ones, w).treeAggregate(0, Integer::sum, Integer::sum, depth);
                spark.sparkContext().listenerBus().waitUntilEmpty();
                spark.sparkContext().removeSparkListener(listener);
                System.out.printf("PROBE treeAggregate depth %d, W=%d: sum %d, tasks per stage %s "
                        + "(the last stage's tasks send their partial sums to the driver)%n", depth, w, total, stageTasks);
            }
        }
    }

    private static void measure(Architecture arch) throws Exception {
        ComputationGraph net = Networks.build(NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
        long p = net.numParams();
        long updater = net.getUpdater().getStateViewArray().length();
        NetBroadcastTuple tuple = new NetBroadcastTuple(net.getConfiguration(), net.params(),
                net.getUpdater().getStateViewArray());
        ByteBuffer serialized = SparkEnv.get().serializer().newInstance()
                .serialize(tuple, scala.reflect.ClassTag$.MODULE$.apply(NetBroadcastTuple.class));
        System.out.printf("PROBE %s: P=%d updater=%d (%.2f P) params dtype %s; NetBroadcastTuple serialized %d bytes"
                        + " (%.3f x 12P)%n", arch.id(), p, updater, (double) updater / p, net.params().dataType(),
                serialized.remaining(), serialized.remaining() / (12.0 * p));

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, Long> pieceBytes = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<long[]> tasks = new ConcurrentLinkedQueue<>();
        SparkListener listener = new SparkListener() {
            @Override
            public void onBlockUpdated(SparkListenerBlockUpdated event) {
                BlockId id = event.blockUpdatedInfo().blockId();
                if (id.isBroadcast() && id.name().contains("piece")) {
                    long size = event.blockUpdatedInfo().memSize() + event.blockUpdatedInfo().diskSize();
                    pieceBytes.merge(id.name(), size, Math::max);
                }
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd event) {
                if (event.taskMetrics() != null) {
                    tasks.add(new long[] {event.stageId(), event.taskMetrics().resultSize(),
                        event.taskMetrics().shuffleWriteMetrics().bytesWritten(),
                        event.taskMetrics().executorRunTime()});
                }
            }
        };
        int workers = 2;
        int k = 10;
        int batch = 64;
        int rounds = 2;
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < workers * k * rounds; i++) {
            DataSet d = new DataSet(Nd4j.rand(DataType.FLOAT, batch, 1, 56, 28),
                    Nd4j.eye(2).getRows(new int[batch]).castTo(DataType.FLOAT));
            batches.add(d);
        }
        JavaRDD<DataSet> data = sc.parallelize(batches, workers);
        data.count();
        TrainingMaster<?, ?> master = TrainingMasters.build(
                new AveragingConfig(workers, batch, k, AveragingConfig.DIRECT, 0, 1, 0L, null));
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, net, master);
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(listener);
        long start = System.nanoTime();
        sparkNet.fit(data);
        double seconds = (System.nanoTime() - start) / 1e9;
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().removeSparkListener(listener);
        Map<String, Long> broadcastBytes = new TreeMap<>();
        pieceBytes.forEach((piece, size) -> broadcastBytes.merge(piece.substring(0, piece.indexOf("_piece")), size,
                Long::sum));
        System.out.printf("PROBE %s: %d rounds (W=%d, K=%d, batch %d) %.2f s; broadcasts stored by the driver "
                + "(compressed bytes): %s%n", arch.id(), rounds, workers, k, batch, seconds, broadcastBytes);
        for (long[] t : tasks) {
            System.out.printf("PROBE %s:   task of stage %d: result %d bytes, shuffle write %d bytes, run %d ms%n",
                    arch.id(), t[0], t[1], t[2], t[3]);
        }
    }
}
