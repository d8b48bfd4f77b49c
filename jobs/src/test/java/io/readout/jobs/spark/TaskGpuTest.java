package io.readout.jobs.spark;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TaskGpuTest {
    @Test
    void theFirstAddressIsTheDeviceWhenNothingIsHidden() {
        assertEquals(OptionalInt.of(3), TaskGpu.device(new String[] {"3", "5"}, null));
        assertEquals(OptionalInt.of(0), TaskGpu.device(new String[] {" 0 "}, ""));
    }

    @Test
    void cudaVisibleDevicesRenumbersTheAddresses() {
        assertEquals(OptionalInt.of(1), TaskGpu.device(new String[] {"6"}, "4, 6"));
        // An address the list does not name is taken as it is.
        assertEquals(OptionalInt.of(2), TaskGpu.device(new String[] {"2"}, "4,6"));
    }

    @Test
    void noUsableAddressMeansNoPinning() {
        assertEquals(OptionalInt.empty(), TaskGpu.device(new String[0], null));
        assertEquals(OptionalInt.empty(), TaskGpu.device(null, null));
        assertEquals(OptionalInt.empty(), TaskGpu.device(new String[] {"GPU-8f3c"}, null));
    }
}
