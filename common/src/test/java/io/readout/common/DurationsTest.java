package io.readout.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {
    @Test
    void formatsSecondsMinutesAndHours() {
        assertEquals("4.2 s", Durations.format(4.24));
        assertEquals("1 min 05 s", Durations.format(65.2));
        assertEquals("59 min 59 s", Durations.format(3599.4));
        assertEquals("1 h 02 min", Durations.format(3725));
        assertEquals("?", Durations.format(Double.NaN));
    }

    @Test
    void etaIsTheMeanPaceTimesWhatIsLeft() {
        assertEquals(30.0, Durations.eta(20, 2, 5), 1e-12);
        assertEquals(0.0, Durations.eta(20, 5, 5), 1e-12);
        assertEquals(Double.NaN, Durations.eta(0, 0, 5));
    }
}
