package io.readout.jobs.report;

import io.readout.common.BadInputException;


/**
 * {@code readout report}: the pipeline root whose runs are reported (the report goes to
 * {@code ROOT/report/}), and how many test examples per bias-conflicting group get Grad-CAM maps (0: none).
 */
public record ReportConfig(String root, int examplesPerGroup) {
    public static final int DEFAULT_EXAMPLES_PER_GROUP = 2;
    public static final int MAX_EXAMPLES_PER_GROUP = 16;

    /** Checks every field; returns this. */
    public ReportConfig validate() {
        if (root == null || root.isBlank()) {
            throw new BadInputException("ROOT: give the pipeline root folder");
        }
        if (examplesPerGroup < 0 || examplesPerGroup > MAX_EXAMPLES_PER_GROUP) {
            throw new BadInputException("--examples-per-group " + examplesPerGroup + " must be 0 to "
                    + MAX_EXAMPLES_PER_GROUP);
        }
        return this;
    }
}
