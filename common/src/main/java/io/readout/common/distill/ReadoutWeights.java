package io.readout.common.distill;

import java.io.Serializable;
import java.util.Arrays;

/**
 * DEDIER's per-example weights from an early readout (Tiwari et al., WACV 2024): an example the
 * readout on an intermediate layer gets wrong with a confidence margin m weighs exp(β·m^α) in the
 * teacher term, any other example 1. Confidently wrong early readouts mark examples the network
 * solves with spurious features.
 *
 * <p>In pieces, so that Spark can compute the mean over the whole training set: {@link #readout} per
 * example, the mean of the raw weights by the caller, then {@link #normalise}. {@link #weights} does
 * all three for an in-memory set.
 *
 * @param alpha         exponent of the margin, > 0 (default 1)
 * @param beta          scale of the exponent, >= 0 (default 4: the best mean validation worst-group accuracy over the
 *                      datasets of docs/BENCHMARKS.md, "Where the methods help", against 1 and 2)
 * @param normalisation {@code none}: the raw weights; {@code mean}: divided by their mean over the set
 */
public record ReadoutWeights(double alpha, double beta, Normalisation normalisation) implements Serializable {
    public static final double DEFAULT_ALPHA = 1;
    public static final double DEFAULT_BETA = 4;

    /** How raw weights are scaled before training. */
    public enum Normalisation {
        /** As computed: 1 for correct readouts, more for confidently wrong ones. */
        NONE,
        /** Divided by the mean raw weight over the training set, so their mean is 1. */
        MEAN;

        /** {@code none} or {@code mean}. */
        public static Normalisation parse(String name) {
            return OptionNames.parse(Normalisation.class, name, "weight normalisation");
        }

        @Override
        public String toString() {
            return OptionNames.of(this);
        }
    }

    public ReadoutWeights {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("readout weight alpha " + alpha + " must be a positive number");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("readout weight beta " + beta + " must be a number >= 0");
        }
        if (normalisation == null) {
            throw new IllegalArgumentException("readout weight normalisation is missing: give none or mean");
        }
    }

    /** α = 1, β = 2 and the given normalisation. */
    public static ReadoutWeights defaults(Normalisation normalisation) {
        return new ReadoutWeights(DEFAULT_ALPHA, DEFAULT_BETA, normalisation);
    }

    /**
     * The readout's verdict on one example.
     *
     * @param probs the early readout's class probabilities (at least 2, summing to 1)
     * @param label the example's class
     */
    public EarlyReadout readout(float[] probs, int label) {
        if (probs == null || probs.length < 2) {
            throw new IllegalArgumentException("early readout probabilities " + Arrays.toString(probs)
                    + " need at least 2 classes for a margin");
        }
        Probabilities.requireDistribution(probs, probs.length, "early readout probabilities");
        Probabilities.requireLabel(label, probs.length, "label");
        int top = 0;
        for (int j = 1; j < probs.length; j++) {
            if (probs[j] > probs[top]) {
                top = j;
            }
        }
        double second = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < probs.length; j++) {
            if (j != top) {
                second = Math.max(second, probs[j]);
            }
        }
        double margin = probs[top] - second;
        boolean wrong = top != label;
        return new EarlyReadout(top, margin, wrong, wrong ? Math.exp(beta * Math.pow(margin, alpha)) : 1);
    }

    /**
     * A raw weight scaled by the normalisation.
     *
     * @param meanRawWeight the mean of {@link EarlyReadout#rawWeight} over the training set (read only
     *                      for {@code mean})
     */
    public double normalise(double rawWeight, double meanRawWeight) {
        if (normalisation == Normalisation.NONE) {
            return rawWeight;
        }
        if (!(meanRawWeight > 0) || Double.isInfinite(meanRawWeight)) {
            throw new IllegalArgumentException("mean readout weight " + meanRawWeight + " must be a positive number");
        }
        return rawWeight / meanRawWeight;
    }

    /** The normalised weight of every example of an in-memory set: readout, mean, normalise. */
    public double[] weights(float[][] probs, int[] labels) {
        if (probs.length != labels.length || labels.length == 0) {
            throw new IllegalArgumentException("readout weights need one label per probability row and at least one "
                    + "example, got " + probs.length + " rows and " + labels.length + " labels");
        }
        double[] raw = new double[labels.length];
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            try {
                raw[i] = readout(probs[i], labels[i]).rawWeight();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("example " + i + ": " + e.getMessage(), e);
            }
            sum += raw[i];
        }
        double mean = sum / raw.length;
        double[] weights = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            weights[i] = normalise(raw[i], mean);
        }
        return weights;
    }
}
