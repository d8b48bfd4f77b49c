package io.readout.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.readout.common.BarsProblem;
import io.readout.jobs.train.AveragingConfig;
import io.readout.jobs.train.TrainingMasters;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Kryo with {@link ReadoutKryoRegistrator}: INDArrays (including a strided view), a
 * {@link DataSet} with masks and a network's parameter vector survive Spark's
 * {@link KryoSerializer} exactly; a Spark job under Kryo maps, shuffles and collects INDArrays;
 * and dl4j-spark accepts the configuration (its own Kryo check runs in the
 * {@link SparkComputationGraph} constructor) and trains through it.
 */
class KryoRoundTripIT {
    private static final long SEED = 7L;
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("readout-kryo-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.serializer", KryoSerializer.class.getName())
                .config("spark.kryo.registrator", ReadoutKryoRegistrator.class.getName())
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
    }

    @AfterAll
    static void stopSpark() {
        if (spark != null) {
            spark.stop();
            spark = null;
        }
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** A Kryo serializer configured like a job would be, with every type registered. */
    private static KryoSerializer kryoSerializer() {
        return new KryoSerializer(new SparkConf(false)
                .set("spark.kryo.registrator", ReadoutKryoRegistrator.class.getName())
                .set("spark.kryo.registrationRequired", "true"));
    }

    private static <T> T roundTrip(T value, Class<T> type) {
        ClassTag<T> tag = ClassTag$.MODULE$.apply(type);
        SerializerInstance kryo = kryoSerializer().newInstance();
        ByteBuffer bytes = kryo.serialize(value, tag);
        T copy = kryo.deserialize(bytes, tag);
        assertNotSame(value, copy);
        return copy;
    }

    @Test
    void arraysUseTheNd4jSerializer() {
        INDArray array = Nd4j.rand(DataType.FLOAT, 3, 4);
        assertInstanceOf(Nd4jSerializer.class,
                kryoSerializer().newKryo().getSerializer(array.getClass()));
    }

    @Test
    void indArraysSurviveTheRoundTrip() {
        Nd4j.getRandom().setSeed(SEED);
        INDArray floats = Nd4j.rand(DataType.FLOAT, 3, 4, 5);
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 7);
        INDArray longs = Nd4j.createFromArray(1L, -2L, 3L);
        INDArray view = floats.get(NDArrayIndex.all(), NDArrayIndex.point(1), NDArrayIndex.all());
        assertTrue(view.isView());

        for (INDArray original : List.of(floats, doubles, longs, view)) {
            INDArray copy = roundTrip(original, INDArray.class);
            assertEquals(original.dataType(), copy.dataType());
            assertArrayEquals(original.shape(), copy.shape());
            assertEquals(original, copy);
        }
    }

    @Test
    void dataSetWithMasksSurvivesTheRoundTrip() {
        DataSet original = BarsProblem.examples(10, SEED);
        original.setLabelsMaskArray(Nd4j.createFromArray(1f, 0f, 1f, 1f, 0f, 1f, 1f, 1f, 0f, 1f)
                .reshape(10, 1));
        DataSet copy = roundTrip(original, DataSet.class);
        assertEquals(original.getFeatures(), copy.getFeatures());
        assertEquals(original.getLabels(), copy.getLabels());
        assertEquals(original.getLabelsMaskArray(), copy.getLabelsMaskArray());
        assertNull(copy.getFeaturesMaskArray());
        assertEquals(original, copy);
    }

    @Test
    void parameterVectorSurvivesTheRoundTrip() {
        ComputationGraph net = new ComputationGraph(BarsProblem.network(SEED));
        net.init();
        INDArray params = net.params();
        INDArray copy = roundTrip(params, INDArray.class);
        assertEquals(net.numParams(), copy.length());
        assertEquals(params, copy);
        // Bit for bit: the copy carries the same network.
        ComputationGraph restored = new ComputationGraph(BarsProblem.network(SEED + 1));
        restored.init(copy, true);
        DataSet probe = BarsProblem.examples(8, SEED);
        assertEquals(net.outputSingle(probe.getFeatures()),
                restored.outputSingle(probe.getFeatures()));
    }

    @Test
    void sparkJobMapsAndShufflesArraysUnderKryo() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        assertEquals(KryoSerializer.class, sc.env().serializer().getClass());
        List<INDArray> arrays = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            arrays.add(Nd4j.valueArrayOf(new long[] {2, 3}, (double) i, DataType.DOUBLE));
        }
        JavaRDD<INDArray> rdd = sc.parallelize(arrays, 4);

        List<INDArray> doubled = rdd.map(a -> a.mul(2)).collect();
        for (int i = 0; i < 20; i++) {
            assertEquals(arrays.get(i).mul(2), doubled.get(i));
        }
        // reduceByKey moves the arrays through a Kryo-serialized shuffle.
        Map<Integer, INDArray> sums = rdd
                .mapToPair(a -> new Tuple2<>((int) a.getDouble(0) % 2, a))
                .reduceByKey(INDArray::add, 3)
                .collectAsMap();
        // Even values 0+2+...+18 = 90, odd values 1+3+...+19 = 100, in every cell.
        assertEquals(Nd4j.valueArrayOf(new long[] {2, 3}, 90.0, DataType.DOUBLE), sums.get(0));
        assertEquals(Nd4j.valueArrayOf(new long[] {2, 3}, 100.0, DataType.DOUBLE), sums.get(1));
    }

    /** A record as the averaging rounds' sums are: arrays and numbers in final fields. */
    record Carried(INDArray params, double score, int count) implements java.io.Serializable {
    }

    @Test
    void recordsSurviveTheRoundTrip() {
        Carried original = new Carried(Nd4j.rand(DataType.FLOAT, 5, 3), 0.25, 2);
        ClassTag<Carried> tag = ClassTag$.MODULE$.apply(Carried.class);
        SerializerInstance kryo = new KryoSerializer(new SparkConf(false)
                .set("spark.kryo.registrator", ReadoutKryoRegistrator.class.getName())).newInstance();
        Carried copy = kryo.deserialize(kryo.serialize(original, tag), tag);
        assertNotSame(original, copy);
        assertEquals(original, copy);
    }

    /** readout's own training master (its rounds' results summed by WorkerResults) trains under Kryo. */
    @Test
    void readoutsTrainingMasterTrainsUnderKryo() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> train = sc.parallelize(BarsProblem.examples(256, SEED).batchBy(16), 2);
        ParameterAveragingTrainingMaster master = TrainingMasters.build(
                new AveragingConfig(2, 16, 2, AveragingConfig.DIRECT, 0, 1, SEED, null));
        SparkComputationGraph sparkNet = new SparkComputationGraph(sc, BarsProblem.network(SEED), master);
        double initialLoss = sparkNet.calculateScore(train, true);
        sparkNet.fit(train);
        sparkNet.fit(train);
        double finalLoss = sparkNet.calculateScore(train, true);
        assertTrue(finalLoss <= 0.7 * initialLoss,
                "loss " + initialLoss + " -> " + finalLoss + " under Kryo, readout's training master");
    }

    @Test
    void dl4jSparkTrainsUnderKryo() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<DataSet> train = sc.parallelize(BarsProblem.examples(256, SEED).batchBy(16), 2);
        ParameterAveragingTrainingMaster master =
                new ParameterAveragingTrainingMaster.Builder(2, 16)
                        .batchSizePerWorker(16)
                        .averagingFrequency(2)
                        .saveUpdater(true)
                        .rngSeed(SEED)
                        // Direct: the DataSets themselves are repartitioned, through Kryo.
                        .rddTrainingApproach(RDDTrainingApproach.Direct)
                        .build();
        // The constructor round-trips an INDArray through Spark's serializer and throws if broken.
        SparkComputationGraph sparkNet =
                new SparkComputationGraph(sc, BarsProblem.network(SEED), master);
        double initialLoss = sparkNet.calculateScore(train, true);
        sparkNet.fit(train);
        sparkNet.fit(train);
        double finalLoss = sparkNet.calculateScore(train, true);
        System.out.printf("under Kryo: loss %.4f -> %.4f%n", initialLoss, finalLoss);
        assertTrue(finalLoss <= 0.7 * initialLoss,
                "loss " + initialLoss + " -> " + finalLoss + " under Kryo");
    }
}
