package io.readout.common.metrics;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link CrossEntropy} against losses worked out by hand (the probabilities are exact in a float). */
class CrossEntropyTest {
    private static final double EXACT = 0.0;
    private static final float[] HALF_QUARTER_QUARTER = {0.5f, 0.25f, 0.25f};

    @Test
    void oneExampleCostsMinusTheLogOfItsLabelsProbability() {
        assertEquals(Math.log(2), CrossEntropy.of(HALF_QUARTER_QUARTER, 0), EXACT);
        assertEquals(0.6931471805599453, CrossEntropy.of(HALF_QUARTER_QUARTER, 0), EXACT);
        assertEquals(1.3862943611198906, CrossEntropy.of(HALF_QUARTER_QUARTER, 1), EXACT, "ln 4");
        assertEquals(0.0, CrossEntropy.of(new float[] {0f, 0f, 1f}, 2), EXACT, "certain and right: nothing");
    }

    @Test
    void aProbabilityBelowTheFloorCostsMinusTheLogOfTheFloor() {
        assertEquals(7 * Math.log(10), CrossEntropy.of(new float[] {1f, 0f}, 1), 1e-14, "ln 10^7");
        assertEquals(16.11809565095832, CrossEntropy.of(new float[] {1f, 0f}, 1), EXACT);
        assertEquals(16.11809565095832, CrossEntropy.of(new float[] {1f, 1e-30f}, 1), EXACT);
        assertEquals(Double.NaN, CrossEntropy.of(new float[] {Float.NaN, Float.NaN}, 0), "a diverged network");
    }

    @Test
    void theMeanOfFourExamples() {
        // (ln 2 + ln 4 + 0 + 7 ln 10) / 4 = (3 ln 2 + 7 ln 10) / 4, summed exactly as the Spark pass sums it.
        double[] losses = {CrossEntropy.of(HALF_QUARTER_QUARTER, 0), CrossEntropy.of(HALF_QUARTER_QUARTER, 1),
            CrossEntropy.of(new float[] {0f, 0f, 1f}, 2), CrossEntropy.of(new float[] {1f, 0f}, 1)};
        BigDecimal sum = BigDecimal.ZERO;
        for (double l : losses) {
            sum = sum.add(new BigDecimal(l));
        }
        assertEquals(4.549384298159539, CrossEntropy.mean(sum.doubleValue(), losses.length), EXACT);
        assertEquals((3 * Math.log(2) + 7 * Math.log(10)) / 4, CrossEntropy.mean(sum.doubleValue(), 4), 1e-14);
        assertEquals(Double.NaN, CrossEntropy.mean(0, 0), "no examples");
    }

    @Test
    void aLabelOutsideTheClassesIsRefused() {
        assertEquals("label 3 is not one of the 3 classes",
                assertThrows(IllegalArgumentException.class, () -> CrossEntropy.of(HALF_QUARTER_QUARTER, 3)).getMessage());
    }
}
