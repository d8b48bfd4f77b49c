package io.readout.common.distill;

import java.util.Arrays;

/** Checks that a float vector is a probability distribution, shared by teacher and early-readout inputs. */
final class Probabilities {
    /** How far from 1 a sum of float probabilities may be (float softmax outputs sum to 1 within ~1e-6). */
    static final double SUM_TOLERANCE = 1e-3;

    private Probabilities() {
    }

    /**
     * Throws IllegalArgumentException, naming {@code what} and the values, unless {@code probs} holds
     * {@code numClasses} finite, non-negative numbers that sum to 1 within {@link #SUM_TOLERANCE}.
     */
    static void requireDistribution(float[] probs, int numClasses, String what) {
        if (probs == null) {
            throw new IllegalArgumentException(what + " are missing");
        }
        if (probs.length != numClasses) {
            throw new IllegalArgumentException(what + " " + Arrays.toString(probs) + " have " + probs.length
                    + " classes, expected " + numClasses);
        }
        double sum = 0;
        for (float p : probs) {
            if (!Float.isFinite(p) || p < 0) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(probs)
                        + " hold " + p + ", not a probability");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException(what + " " + Arrays.toString(probs) + " sum to " + sum + ", not 1");
        }
    }

    /** Throws IllegalArgumentException unless {@code 0 <= label < numClasses}. */
    static void requireLabel(int label, int numClasses, String what) {
        if (label < 0 || label >= numClasses) {
            throw new IllegalArgumentException(what + " is " + label + ", not a class in [0, " + numClasses + ")");
        }
    }
}
