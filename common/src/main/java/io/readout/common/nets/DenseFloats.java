package io.readout.common.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;

/**
 * A float array's values as one c-order buffer, for the Java kernels that copy them to and from heap arrays
 * ({@link MaxPooling2x2}, {@link ConvolutionWeightGradient}).
 */
final class DenseFloats {
    private DenseFloats() {
    }

    /** The values of {@code a} in c order from index 0: its own buffer when that holds exactly them, else a copy's. */
    static FloatBuffer read(INDArray a) {
        return (isDense(a) ? a : a.dup('c')).data().asNioFloat();
    }

    /**
     * {@code a} itself when its buffer holds exactly its values in c order, else a new float array of its shape to
     * write into and then {@code assign} to {@code a}.
     */
    static INDArray writable(INDArray a) {
        return isDense(a) ? a : Nd4j.createUninitialized(DataType.FLOAT, a.shape(), 'c');
    }

    private static boolean isDense(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    }
}
