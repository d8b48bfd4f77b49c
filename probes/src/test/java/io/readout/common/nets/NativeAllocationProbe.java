package io.readout.common.nets;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What one native allocation costs with and without JavaCPP's resident-size check (docs/bench/issue17-profile.md,
 * "Ninth session"): run it twice, with {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=10G} and {@code =0}, through
 * {@code docs/bench/profile/run.sh} ({@code PROBE=NativeAllocationProbe}). Prints, per round: microseconds per
 * {@code Pointer.physicalBytesInaccurate} call (the read of /proc/self/statm), per small {@code LongPointer}
 * allocated and freed, and per view ND4J creates ({@code INDArray.get}-free: {@code reshape} of a fresh array, a
 * new shape-information buffer each time), with the limits this JVM runs with.
 */
public class NativeAllocationProbe {
    public static void main(String[] args) throws Exception {
        int n = Integer.getInteger("readout.probe.calls", 200_000);
        long sink = 0;
        INDArray a = Nd4j.create(DataType.FLOAT, 64, 8, 28, 14);
        System.out.println(ProbeLines.cpu());
        System.out.println("PROBE native memory: " + NativeMemoryLimits.current().describe());
        for (int r = 0; r < Integer.getInteger("readout.probe.repeats", 5); r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += Pointer.physicalBytesInaccurate(10L << 30);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                try (LongPointer p = new LongPointer(4)) {
                    sink += p.address() & 1;
                }
            }
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += a.reshape(64, 8 * 28 * 14).length() & 1;
            }
            long t3 = System.nanoTime();
            System.out.printf("PROBE round %d: statm read %.2f us, LongPointer(4) allocated and freed %.2f us, "
                    + "a reshaped view %.2f us%n", r, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n);
        }
        System.out.println(sink == 42 ? "PROBE sink" : "PROBE done");
    }
}
