package io.readout.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ArrayBytesTest {

    @SuppressWarnings("unchecked")
    private static <T> T javaRoundTrip(Object value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An array through Java serialization as {@link ArrayBytes}. */
    private static INDArray throughBytes(INDArray array) {
        ArrayBytes copy = javaRoundTrip(ArrayBytes.of(array));
        return copy.array();
    }

    /** The same data type, shape and the same bits of every value (in c order). */
    private static void assertSameBits(INDArray expected, INDArray actual) {
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(rawBytes(expected), rawBytes(actual));
    }

    private static byte[] rawBytes(INDArray a) {
        ByteBuffer values = a.dup('c').data().asNio();
        byte[] bytes = new byte[values.remaining()];
        values.get(bytes);
        return bytes;
    }

    @Test
    void aFloatArrayComesBackWithTheSameBits() {
        INDArray original = Nd4j.rand(DataType.FLOAT, 7, 5).subi(0.5);
        original.putScalar(0, 0, Float.NaN);
        original.putScalar(1, 1, -0.0f);
        original.putScalar(2, 2, Float.MIN_VALUE);
        ArrayBytes bytes = javaRoundTrip(ArrayBytes.of(original));
        INDArray copy = bytes.array();
        assertNotSame(original, copy);
        assertEquals('c', copy.ordering());
        assertSameBits(original, copy);
    }

    @Test
    void otherTypesOrdersAndViewsComeBackAsTheyWere() {
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 3, 4);
        assertSameBits(doubles, throughBytes(doubles));

        INDArray fOrder = Nd4j.rand(DataType.FLOAT, 4, 3).dup('f');
        INDArray fCopy = throughBytes(fOrder);
        assertEquals('f', fCopy.ordering());
        assertSameBits(fOrder, fCopy);

        INDArray ints = Nd4j.createFromArray(new int[] {1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE});
        INDArray intsCopy = throughBytes(ints);
        assertEquals(DataType.INT, intsCopy.dataType());
        assertEquals(ints, intsCopy);

        // A view into the middle of a larger buffer: only its own values travel.
        INDArray whole = Nd4j.arange(0, 24).castTo(DataType.FLOAT).reshape(4, 6);
        INDArray view = whole.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5));
        assertTrue(view.isView());
        INDArray viewCopy = throughBytes(view);
        assertEquals(Nd4j.createFromArray(new float[][] {{8, 9, 10}, {14, 15, 16}}), viewCopy);

        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 3);
        INDArray emptyCopy = throughBytes(empty);
        assertTrue(emptyCopy.isEmpty());
        assertArrayEquals(new long[] {0, 3}, emptyCopy.shape());

        assertNull(ArrayBytes.of(null));
        assertNull(ArrayBytes.array(null));
    }

    @Test
    void valuesAreWrittenLittleEndian() {
        // 1.0f is 0x3F800000: little-endian bytes 00 00 80 3F; reversed per 4-byte value, the big-endian order.
        byte[] values = {0, 0, (byte) 0x80, 0x3F, 1, 2, 3, 4};
        ArrayBytes.reverseEachValue(values, 4);
        assertArrayEquals(new byte[] {0x3F, (byte) 0x80, 0, 0, 4, 3, 2, 1}, values);
        byte[] pairs = {1, 2, 3, 4, 5};
        ArrayBytes.reverseEachValue(pairs, 2); // a trailing partial value is left alone
        assertArrayEquals(new byte[] {2, 1, 4, 3, 5}, pairs);
    }

    @Test
    void theBroadcastIsReadBackAsDl4jSparksOwnTuple() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).graphBuilder()
                .addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).build(), "in")
                .addLayer("out", new OutputLayer.Builder().nIn(3).nOut(2).build(), "dense")
                .setOutputs("out")
                .build();
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 23);
        INDArray updater = Nd4j.rand(DataType.FLOAT, 1, 46);
        NetBroadcastTuple copy = javaRoundTrip(new CompactNetBroadcast(conf, params, updater));
        assertSame(NetBroadcastTuple.class, copy.getClass());
        assertEquals(conf.toJson(), copy.getGraphConfiguration().toJson());
        assertNull(copy.getConfiguration());
        assertSameBits(params, copy.getParameters());
        assertSameBits(updater, copy.getUpdaterState());

        NetBroadcastTuple noUpdater = javaRoundTrip(new CompactNetBroadcast(conf, params, null));
        assertNull(noUpdater.getUpdaterState());
    }

    @Test
    void theNd4jFormCanBeChosenForMeasurements() {
        INDArray params = Nd4j.rand(DataType.FLOAT, 1, 10);
        System.setProperty(ArrayBytes.ND4J_FORM_PROPERTY, "true");
        try {
            assertFalse(ArrayBytes.carries(params));
            NetBroadcastTuple copy = javaRoundTrip(new CompactNetBroadcast(
                    new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                            .addLayer("out", new OutputLayer.Builder().nIn(10).nOut(2).build(), "in")
                            .setOutputs("out").build(), params, null));
            assertSame(NetBroadcastTuple.class, copy.getClass());
            assertSameBits(params, copy.getParameters());
        } finally {
            System.clearProperty(ArrayBytes.ND4J_FORM_PROPERTY);
        }
        assertTrue(ArrayBytes.carries(params, null));
        assertTrue(ArrayBytes.fits(params));
    }
}
