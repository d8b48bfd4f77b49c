package io.readout.common.metrics;

/**
 * The validation loss without Spark: the cross-entropy of a softmax output against the true label,
 * {@code −ln p(label)}, for one example, and its mean over a split. Input: the probabilities the predictions pass
 * gives (floats, as the network outputs them) and the label; the probability is clipped below at
 * {@link #PROBABILITY_FLOOR}, so an example the model is certain of getting wrong (a softmax that underflowed to 0)
 * costs {@code ln 10^7 ≈ 16.1} rather than infinity, and one example cannot make the mean infinite. The callers sum
 * the per-example losses exactly (in any order, the same bits) and divide once ({@link #mean}).
 */
public final class CrossEntropy {
    /** The smallest probability the loss takes: {@code −ln} of it bounds one example's loss. */
    public static final double PROBABILITY_FLOOR = 1e-7;

    private CrossEntropy() {
    }

    /**
     * {@code −ln max(probs[label], PROBABILITY_FLOOR)}; NaN when the probability is NaN (a diverged network).
     *
     * @throws IllegalArgumentException when the label is not a class of {@code probs}
     */
    public static double of(float[] probs, int label) {
        if (label < 0 || label >= probs.length) {
            throw new IllegalArgumentException("label " + label + " is not one of the " + probs.length + " classes");
        }
        double p = probs[label];
        return Double.isNaN(p) ? Double.NaN : -Math.log(Math.max(p, PROBABILITY_FLOOR));
    }

    /** The mean loss of {@code n} examples whose losses sum to {@code sum}; NaN when there are none. */
    public static double mean(double sum, long n) {
        return n == 0 ? Double.NaN : sum / n;
    }
}
