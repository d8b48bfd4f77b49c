package io.readout.jobs.registry;

import io.readout.common.BadInputException;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Whether a retrained candidate replaces the registry's current version, judged on validation only
 * (test figures never choose a model). Promote iff there is no current version, or both
 * <ul>
 *   <li>candidate val worst-group accuracy ≥ current val worst-group accuracy − {@code tolerance}, and</li>
 *   <li>candidate val average accuracy ≥ current val average accuracy − {@code accuracyTolerance}.</li>
 * </ul>
 * Worst-group accuracy is the figure the project is judged by, so by default it may not drop at all;
 * average accuracy may drop a little (one point) for a better worst group. Comparisons allow
 * {@link #SLACK} for floating-point rounding, far below the resolution of an accuracy over any
 * split (1 / n), so "equal at the tolerance" promotes. Pure: no file system.
 *
 * @param tolerance         how far val worst-group accuracy may fall below the current version's ({@code --tolerance})
 * @param accuracyTolerance how far val average accuracy may fall ({@code --accuracy-tolerance})
 */
public record PromotionPolicy(double tolerance, double accuracyTolerance) {
    public static final double DEFAULT_TOLERANCE = 0.0;
    public static final double DEFAULT_ACCURACY_TOLERANCE = 0.01;
    static final double SLACK = 1e-9;

    /** What the policy says, and why, in one line that names the figures and the version compared with. */
    public record Verdict(boolean promote, String reason) {
    }

    public static PromotionPolicy defaults() {
        return new PromotionPolicy(DEFAULT_TOLERANCE, DEFAULT_ACCURACY_TOLERANCE);
    }

    public PromotionPolicy {
        requireTolerance("--tolerance", tolerance);
        requireTolerance("--accuracy-tolerance", accuracyTolerance);
    }

    private static void requireTolerance(String flag, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new BadInputException(flag + " " + value + " must lie between 0 and 1");
        }
    }

    /**
     * @param candidate      the candidate's val figures
     * @param currentVersion the current version's name, or null when nothing was promoted yet
     * @param current        its val figures (ignored when {@code currentVersion} is null)
     */
    public Verdict decide(ValidationScores candidate, String currentVersion, ValidationScores current) {
        if (currentVersion == null) {
            return new Verdict(true, "no current version");
        }
        String wga = comparison("val worst-group accuracy", candidate.worstGroupAccuracy(),
                current.worstGroupAccuracy(), tolerance, currentVersion);
        if (candidate.worstGroupAccuracy() < current.worstGroupAccuracy() - tolerance - SLACK) {
            return new Verdict(false, wga);
        }
        String acc = comparison("val accuracy", candidate.accuracy(), current.accuracy(), accuracyTolerance,
                currentVersion);
        if (candidate.accuracy() < current.accuracy() - accuracyTolerance - SLACK) {
            return new Verdict(false, acc);
        }
        return new Verdict(true, wga + "; " + acc);
    }

    /** E.g. {@code val worst-group accuracy 0.612 < 0.700 - 0.000 (v000003)}. */
    private static String comparison(String what, double candidate, double current, double tolerance, String version) {
        String op = candidate < current - tolerance - SLACK ? "<" : ">=";
        return what + " " + figure(candidate) + " " + op + " " + figure(current) + " - " + figure(tolerance)
                + " (" + version + ")";
    }

    /** Three decimals, or four when the fourth is needed (0.612, 0.6995), so a refusal never reads "0.700 < 0.700". */
    static String figure(double v) {
        BigDecimal four = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN);
        return four.stripTrailingZeros().scale() <= 3 ? four.setScale(3, RoundingMode.HALF_EVEN).toPlainString()
                : four.toPlainString();
    }
}
