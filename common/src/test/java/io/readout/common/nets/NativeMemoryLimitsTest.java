package io.readout.common.nets;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeMemoryLimitsTest {

    @Test
    void describesBothLimitsAndWhetherEveryAllocationReadsTheResidentSize() {
        NativeMemoryLimits off = new NativeMemoryLimits(4L << 30, 0);
        assertFalse(off.checksResidentSize());
        assertEquals("JavaCPP maxbytes 4.0 GiB; maxphysicalbytes 0 (no resident-size check per allocation)",
                off.describe());
        NativeMemoryLimits on = new NativeMemoryLimits(1536L << 20, 10L << 30);
        assertTrue(on.checksResidentSize());
        assertEquals("JavaCPP maxbytes 1.5 GiB; maxphysicalbytes 10.0 GiB (resident size read on every allocation)",
                on.describe());
        assertEquals("JavaCPP maxbytes 0 (no cap); maxphysicalbytes 0 (no resident-size check per allocation)",
                new NativeMemoryLimits(0, 0).describe());
    }

    @Test
    void theJsonFormNamesBothLimitsInBytes() {
        assertEquals(Map.of("max_bytes", 4294967296L, "max_physical_bytes", 10737418240L, "checks_resident_size", true),
                new NativeMemoryLimits(4L << 30, 10L << 30).toJson());
    }

    @Test
    void currentIsWhatJavaCppEnforcesInThisJvm() {
        NativeMemoryLimits current = NativeMemoryLimits.current();
        assertEquals(Pointer.maxBytes(), current.maxBytes());
        assertEquals(Pointer.maxPhysicalBytes(), current.maxPhysicalBytes());
    }
}
