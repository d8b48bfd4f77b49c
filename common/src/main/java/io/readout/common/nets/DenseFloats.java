package io.readout.common.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.ref.Reference;

/**
 * A float array's values as one c-order buffer, for the Java kernels that copy them to and from heap arrays
 * ({@link MaxPooling2x2}, {@link ConvolutionWeightGradient}).
 */
final class DenseFloats {
    private DenseFloats() {
    }

    /**
     * An array whose buffer holds the values of {@code a} in c order from index 0: {@code a} itself when its buffer
     * holds exactly them, else a copy. The caller keeps it reachable while it reads its buffer
     * ({@link java.lang.ref.Reference#reachabilityFence}): a NIO view of ND4J's memory does not, and a copy that the
     * garbage collector finds unreachable has its memory freed under the reader (a JVM crash, seen in
     * MaxPooling2x2Test on a view).
     */
    static INDArray dense(INDArray a) {
        return isDense(a) ? a : a.dup('c');
    }

    /**
     * {@code a} itself when its buffer holds exactly its values in c order, else a new float array of its shape to
     * write into and then {@code assign} to {@code a}.
     */
    static INDArray writable(INDArray a) {
        return isDense(a) ? a : Nd4j.createUninitialized(DataType.FLOAT, a.shape(), 'c');
    }

    /**
     * Copies the values of {@code a} (float, c order, within an int) into {@code into} from index 0, through
     * {@link #dense} and with the copy kept reachable while its buffer is read.
     */
    static void read(INDArray a, float[] into) {
        INDArray source = dense(a);
        source.data().asNioFloat().get(0, into, 0, (int) a.length());
        Reference.reachabilityFence(source);
    }

    /** {@code array} if it holds at least {@code length} floats, else a new (zeroed) array of that length: scratch. */
    static float[] atLeast(float[] array, int length) {
        return array.length >= length ? array : new float[length];
    }

    private static boolean isDense(INDArray a) {
        return a.ordering() == 'c' && !a.isView() && a.offset() == 0 && a.data().length() == a.length();
    }
}
