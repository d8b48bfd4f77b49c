package io.readout.jobs.spark;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J array in the form Java serialization carries fastest: its data type, shape, order and its values' bytes
 * (little-endian) in one {@code byte[]}, which {@code ObjectOutputStream} writes in one block. The array read back
 * has the same bits.
 *
 * <p>Why: ND4J's own {@code writeObject} writes an array value by value ({@code DataOutputStream.writeFloat}, four
 * single-byte writes into the object stream each), and reads it the same way. An averaging round moves every worker's
 * parameters and updater state to the driver, and the driver's next broadcast to the executors: 10 MB each for the
 * teacher. In the Spark event logs of {@code readout bench compare} on the Intel Xeon, a teacher worker's result
 * took 26 ms to serialize this way and 4–5 ms as these bytes, and a round's overhead outside the workers' fitting fell
 * from about 175–205 ms to 95–105 ms ({@code docs/bench/results/spark-rounds-intel-teacher-*.json}).
 */
public final class ArrayBytes implements Serializable {
    /**
     * Set to true (on the driver and every executor) to send the arrays in ND4J's own form instead, as before this
     * class existed: a lever for side-by-side measurements, not a setting users need.
     */
    public static final String ND4J_FORM_PROPERTY = "readout.nd4j.serialization";

    @Serial
    private static final long serialVersionUID = 1L;

    private final DataType dataType;
    private final long[] shape;
    private final char order;
    private final byte[] values;

    private ArrayBytes(DataType dataType, long[] shape, char order, byte[] values) {
        this.dataType = dataType;
        this.shape = shape;
        this.order = order;
        this.values = values;
    }

    /** The bytes of an array (null for null). A view or an offset array is copied into a dense one first. */
    public static ArrayBytes of(INDArray array) {
        if (array == null) {
            return null;
        }
        if (array.isEmpty()) {
            return new ArrayBytes(array.dataType(), array.shape(), array.ordering(), new byte[0]);
        }
        if (!fits(array)) {
            throw new IllegalArgumentException("an array of " + array.length() + " values of "
                    + array.dataType().width() + " bytes does not fit one Java byte array");
        }
        INDArray dense = isDense(array) ? array : array.dup(array.ordering());
        int width = dense.dataType().width();
        byte[] values = new byte[(int) (dense.length() * width)];
        dense.data().asNio().duplicate().get(values);
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            reverseEachValue(values, width);
        }
        return new ArrayBytes(dense.dataType(), dense.shape(), dense.ordering(), values);
    }

    /** A new array with the bytes' values, outside any workspace. */
    public INDArray array() {
        byte[] bytes = values;
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            bytes = values.clone();
            reverseEachValue(bytes, dataType.width());
        }
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            if (bytes.length == 0) {
                return Nd4j.create(dataType, shape);
            }
            INDArray array = Nd4j.createUninitialized(dataType, shape, order);
            ByteBuffer target = array.data().asNio();
            target.put(bytes);
            return array;
        }
    }

    /**
     * Whether a serialized form should carry these arrays (nulls allowed) as {@code ArrayBytes}: unless
     * {@link #ND4J_FORM_PROPERTY} is set, or one of them is too large for a Java array (2 GB), which ND4J's own form
     * still writes.
     */
    public static boolean carries(INDArray... arrays) {
        if (Boolean.getBoolean(ND4J_FORM_PROPERTY)) {
            return false;
        }
        for (INDArray a : arrays) {
            if (a != null && !fits(a)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the array's values fit one Java byte array. */
    static boolean fits(INDArray a) {
        return a.length() <= (Integer.MAX_VALUE - 8L) / a.dataType().width();
    }

    /** Null for null, else {@link #array()}. */
    public static INDArray array(ArrayBytes bytes) {
        return bytes == null ? null : bytes.array();
    }

    /** Whether the array's buffer holds exactly its values in its own order, from the start. */
    private static boolean isDense(INDArray a) {
        return !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    }

    /** Little-endian ↔ big-endian, each value of {@code width} bytes in place. */
    static void reverseEachValue(byte[] values, int width) {
        for (int start = 0; start + width <= values.length; start += width) {
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                byte t = values[start + i];
                values[start + i] = values[start + j];
                values[start + j] = t;
            }
        }
    }
}
