package io.readout.jobs.registry;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link PromotionPolicy} on hand values: each rule, the boundaries, and the reasons it gives. */
class PromotionPolicyTest {
    static ValidationScores val(double wga, double acc) {
        return new ValidationScores(wga, acc);
    }

    @Test
    void theFirstCandidateIsPromotedWhateverItsFigures() {
        PromotionPolicy.Verdict v = PromotionPolicy.defaults().decide(val(0.0, 0.1), null, null);
        assertTrue(v.promote());
        assertEquals("no current version", v.reason());
    }

    @Test
    void aLowerWorstGroupAccuracyIsRefusedAndTheReasonNamesTheFiguresAndTheVersion() {
        PromotionPolicy.Verdict v = PromotionPolicy.defaults().decide(val(0.612, 0.95), "v000003", val(0.7, 0.80));
        assertFalse(v.promote());
        assertEquals("val worst-group accuracy 0.612 < 0.700 - 0.000 (v000003)", v.reason());
        // Four decimals where three would hide the difference.
        PromotionPolicy.Verdict close = PromotionPolicy.defaults().decide(val(0.6995, 0.95), "v000003", val(0.7, 0.80));
        assertFalse(close.promote());
        assertEquals("val worst-group accuracy 0.6995 < 0.700 - 0.000 (v000003)", close.reason());
    }

    @Test
    void equalAtTheToleranceIsPromoted() {
        // 0.70 - 0.01 is 0.6899999999999999 in doubles; 0.69 must still count as equal.
        PromotionPolicy policy = new PromotionPolicy(0.01, 0.02);
        PromotionPolicy.Verdict v = policy.decide(val(0.69, 0.83), "v000001", val(0.70, 0.85));
        assertTrue(v.promote(), v.reason());
        assertEquals("val worst-group accuracy 0.690 >= 0.700 - 0.010 (v000001); val accuracy 0.830 >= 0.850 - 0.020 (v000001)",
                v.reason());
        assertTrue(PromotionPolicy.defaults().decide(val(0.7, 0.84), "v000001", val(0.7, 0.85)).promote(),
                "same worst group, one point less average: allowed by default");
        assertTrue(new PromotionPolicy(0.1, 0.3).decide(val(0.6, 0.6), "v000001", val(0.7, 0.9)).promote());
        assertFalse(new PromotionPolicy(0.01, 0.0).decide(val(0.6899, 0.85), "v000001", val(0.70, 0.85)).promote());
    }

    @Test
    void aBetterWorstGroupDoesNotBuyMoreThanTheAccuracyTolerance() {
        PromotionPolicy.Verdict v = PromotionPolicy.defaults().decide(val(0.75, 0.83), "v000002", val(0.70, 0.85));
        assertFalse(v.promote());
        assertEquals("val accuracy 0.830 < 0.850 - 0.010 (v000002)", v.reason());
        PromotionPolicy.Verdict strict = new PromotionPolicy(0, 0).decide(val(0.75, 0.8499), "v000002", val(0.70, 0.85));
        assertFalse(strict.promote());
        assertEquals("val accuracy 0.8499 < 0.850 - 0.000 (v000002)", strict.reason());
        PromotionPolicy.Verdict loose = new PromotionPolicy(0, 0.05).decide(val(0.75, 0.83), "v000002", val(0.70, 0.85));
        assertTrue(loose.promote(), loose.reason());
    }

    @Test
    void theWorstGroupRuleIsReportedFirstWhenBothRefuse() {
        PromotionPolicy.Verdict v = PromotionPolicy.defaults().decide(val(0.5, 0.5), "v000009", val(0.7, 0.9));
        assertEquals("val worst-group accuracy 0.500 < 0.700 - 0.000 (v000009)", v.reason());
    }

    @Test
    void tolerancesMustLieBetweenZeroAndOne() {
        assertEquals(0.0, PromotionPolicy.defaults().tolerance());
        assertEquals(0.01, PromotionPolicy.defaults().accuracyTolerance());
        BadInputException neg = assertThrows(BadInputException.class, () -> new PromotionPolicy(-0.1, 0));
        assertEquals("--tolerance -0.1 must lie between 0 and 1", neg.getMessage());
        BadInputException nan = assertThrows(BadInputException.class, () -> new PromotionPolicy(0, Double.NaN));
        assertEquals("--accuracy-tolerance NaN must lie between 0 and 1", nan.getMessage());
    }
}
