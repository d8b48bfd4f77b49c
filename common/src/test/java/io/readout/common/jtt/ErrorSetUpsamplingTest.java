package io.readout.common.jtt;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upsampling counts of JTT's stage two: exact for integer λ_up, floor plus a seeded Bernoulli otherwise. */
class ErrorSetUpsamplingTest {
    private static final int N = 20_000;

    private static String id(int i) {
        return "train-" + i;
    }

    @Test
    void anIntegerUpweightRepeatsEachErrorExactlyThatOften() {
        ErrorSetUpsampling up = new ErrorSetUpsampling(6, 11L);
        for (int i = 0; i < 1000; i++) {
            assertEquals(6, up.copies(id(i), true));
            assertEquals(1, up.copies(id(i), false));
        }
        assertEquals(1, new ErrorSetUpsampling(1, 11L).copies(id(0), true));
    }

    @Test
    void aFractionalUpweightAddsOneCopyWithTheRemainderAsProbability() {
        // λ_up = 2.3: 2 or 3 copies, 3 with probability 0.3. Over 20,000 error examples the number with
        // 3 copies is Binomial(20000, 0.3): mean 6,000, sd 64.8; 5 sd is a false alarm once in 3.5 million.
        ErrorSetUpsampling up = new ErrorSetUpsampling(2.3, 5L);
        int three = 0;
        long rows = 0;
        for (int i = 0; i < N; i++) {
            int c = up.copies(id(i), true);
            assertTrue(c == 2 || c == 3, "copies " + c);
            three += c == 3 ? 1 : 0;
            rows += c;
            assertEquals(1, up.copies(id(i), false), "an example outside the error set appears once");
        }
        assertTrue(Math.abs(three - 6000) < 5 * 64.8, "examples with 3 copies: " + three);
        assertEquals(2L * N + three, rows);
    }

    @Test
    void theDrawsAreFixedByTheEpochSeedAndNewEachEpoch() {
        ErrorSetUpsampling epoch1 = new ErrorSetUpsampling(1.5, 101L);
        ErrorSetUpsampling again = new ErrorSetUpsampling(1.5, 101L);
        ErrorSetUpsampling epoch2 = new ErrorSetUpsampling(1.5, 102L);
        int both = 0;
        int first = 0;
        for (int i = 0; i < N; i++) {
            int c = epoch1.copies(id(i), true);
            assertEquals(c, again.copies(id(i), true), "same seed, same draw");
            first += c == 2 ? 1 : 0;
            both += c == 2 && epoch2.copies(id(i), true) == 2 ? 1 : 0;
        }
        // Independent epochs: P(extra copy in both) = 0.25, Binomial(20000, 0.25): mean 5,000, sd 61.2.
        assertTrue(Math.abs(first - N / 2) < 5 * 70.7, "extra copies in epoch 1: " + first);
        assertTrue(Math.abs(both - N / 4) < 5 * 61.2, "extra copies in both epochs: " + both);
    }

    @Test
    void refusesAnUpweightBelowOne() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorSetUpsampling(0.5, 0L));
        assertThrows(IllegalArgumentException.class, () -> new ErrorSetUpsampling(Double.NaN, 0L));
    }
}
