package io.readout.jobs.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExactSumTest {

    /** Sums task partials merged in the given order, as the driver merges tasks as they finish. */
    private static double merged(List<double[]> tasks) {
        ExactSum driver = new ExactSum();
        for (double[] task : tasks) {
            ExactSum t = driver.copy();
            t.reset();
            for (double v : task) {
                t.add(v);
            }
            driver.merge(t);
        }
        return driver.value();
    }

    @Test
    void theOrderTasksFinishInDoesNotChangeTheBits() {
        // 0.1 + 0.2 + 0.3: (0.1 + 0.2) + 0.3 = 0.6000000000000001, 0.1 + (0.2 + 0.3) = 0.6 in doubles.
        double[] a = {0.1};
        double[] b = {0.2};
        double[] c = {0.3};
        assertNotEquals((0.1 + 0.2) + 0.3, 0.1 + (0.2 + 0.3));
        double abc = merged(List.of(a, b, c));
        assertEquals(abc, merged(List.of(c, b, a)));
        assertEquals(abc, merged(List.of(b, a, c)));
        // The exact sum 0.6000000000000000055511151231257827 rounds to the double nearest 0.6.
        assertEquals(0.6, abc);
    }

    @Test
    void smallValuesAreNotLostBesideLargeOnes() {
        // In doubles 1e16 + 1 - 1e16 is 0 or 2 by order; the exact sum is 1.
        assertEquals(1.0, merged(List.of(new double[] {1e16, 1.0}, new double[] {-1e16})));
        assertEquals(1.0, merged(List.of(new double[] {-1e16}, new double[] {1.0, 1e16})));
    }

    @Test
    void nonFiniteValuesMakeTheTotalNonFinite() {
        assertTrue(Double.isNaN(merged(List.of(new double[] {1.0, Double.NaN}))));
        assertEquals(Double.POSITIVE_INFINITY, merged(List.of(new double[] {1.0}, new double[] {Double.POSITIVE_INFINITY})));
    }

    @Test
    void aFreshOneIsZero() {
        ExactSum s = new ExactSum();
        assertTrue(s.isZero());
        assertEquals(0.0, s.value());
        s.add(-0.0);
        assertTrue(s.isZero());
        s.add(2.5);
        assertEquals(2.5, s.value());
    }
}
