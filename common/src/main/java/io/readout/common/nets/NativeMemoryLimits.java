package io.readout.common.nets;

import org.bytedeco.javacpp.Pointer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JavaCPP's limits on ND4J's native memory in this JVM, as a benchmark records them: they change the speed of a
 * small network's training step.
 *
 * <p>{@code -Dorg.bytedeco.javacpp.maxbytes} caps the native bytes JavaCPP tracks (ND4J's arrays and
 * workspaces): past it, an allocation runs the garbage collector first, which frees arrays nobody holds.
 * {@code -Dorg.bytedeco.javacpp.maxphysicalbytes}, when above 0, also caps the process's resident size, and to
 * enforce it JavaCPP reads {@code /proc/self/statm} (a system call) on <em>every</em> allocation it tracks,
 * inside a lock all threads share. ND4J makes such an allocation for every array it creates, views included
 * (the array's shape information): about 280 per training step of the student at batch 32 (counted with
 * {@code strace}), about 0.5 ms or 4–6 % of that step (docs/bench/issue17-profile.md).
 * {@code deploy/bin/readout} runs with {@code maxphysicalbytes=0} (no resident-size check; {@code maxbytes} still
 * applies); readout-submit keeps the check on a cluster, where it turns a container about to be killed into an
 * {@code OutOfMemoryError} naming the limits.
 *
 * @param maxBytes         JavaCPP's {@code maxbytes}: tracked native bytes before a collection is forced (0: none)
 * @param maxPhysicalBytes JavaCPP's {@code maxphysicalbytes}: the resident size checked on every allocation
 *                         (0: not checked)
 */
public record NativeMemoryLimits(long maxBytes, long maxPhysicalBytes) {

    /** This JVM's limits (JavaCPP reads them once, when its {@code Pointer} class loads). */
    public static NativeMemoryLimits current() {
        return new NativeMemoryLimits(Pointer.maxBytes(), Pointer.maxPhysicalBytes());
    }

    /** Whether every tracked allocation reads the process's resident size. */
    public boolean checksResidentSize() {
        return maxPhysicalBytes > 0;
    }

    /** {@code JavaCPP maxbytes 4.0 GiB; maxphysicalbytes 0 (no resident-size check per allocation)}. */
    public String describe() {
        return "JavaCPP maxbytes " + (maxBytes > 0 ? gib(maxBytes) : "0 (no cap)") + "; maxphysicalbytes "
                + (checksResidentSize() ? gib(maxPhysicalBytes) + " (resident size read on every allocation)"
                : "0 (no resident-size check per allocation)");
    }

    /** The results files' form: {@code {"max_bytes": ..., "max_physical_bytes": ..., "checks_resident_size": ...}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("max_bytes", maxBytes);
        json.put("max_physical_bytes", maxPhysicalBytes);
        json.put("checks_resident_size", checksResidentSize());
        return json;
    }

    private static String gib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
