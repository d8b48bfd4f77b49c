package io.readout.jobs.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.util.ArrayList;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Lets Spark's Kryo serializer carry ND4J arrays. An {@code INDArray}'s data lives off-heap, so
 * Kryo's default field-by-field serializer loses it; {@link Nd4jSerializer} (nd4j-kryo) writes
 * the array with {@code Nd4j.write} instead. Enable with
 * {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} and
 * {@code spark.kryo.registrator=io.readout.jobs.spark.ReadoutKryoRegistrator}.
 *
 * <p>Registers the backend's array class (CPU or CUDA, whichever is loaded) with that serializer
 * and makes it the default for any other {@code INDArray} implementation. Registers
 * {@link DataSet}, whose array fields then go through the same serializer, and the
 * {@code ArrayList} it keeps names in, so {@code spark.kryo.registrationRequired=true} works for
 * DataSets built here.
 *
 * <p>Records (e.g. the worker results that one averaging round sums, {@code WorkerResults.Sum}) travel by Java
 * serialization: Kryo 4's field serializer cannot set a record's final fields, and a training job under Kryo
 * failed in its first round. So does the round's broadcast ({@link CompactNetBroadcast}). Both are written with
 * their arrays as {@link ArrayBytes}, which Kryo's field serializer would not do.
 *
 * <p>dl4j-spark M2 ships an {@code org.nd4j.kryo.Nd4jRegistrator} of its own (in the dl4j-spark
 * jar, not in nd4j-kryo). It registers only the backend array class, plus javakaffee serializers
 * for JDK collection wrappers that reflect into {@code java.util} internals.
 */
public class ReadoutKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        Nd4jSerializer arrays = new Nd4jSerializer();
        kryo.register(Nd4j.getBackend().getNDArrayClass(), arrays);
        kryo.addDefaultSerializer(INDArray.class, arrays);
        kryo.register(DataSet.class);
        // DataSet's column names, label names and metadata lists.
        kryo.register(ArrayList.class);
        kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
        kryo.register(CompactNetBroadcast.class, new JavaSerializer());
    }
}
