package io.readout.common.metrics;

/**
 * The evaluation counts of one group g = (label, spurious attribute) in one split: its examples
 * {@code n}, how many the model got right, and how many of them are bias-conflicting (attribute
 * differs from the label) with how many of those it got right. Examples whose attribute is unknown
 * count as neither conflicting nor aligned.
 */
public record GroupCount(int group, long n, long correct, long biasConflictingN, long biasConflictingCorrect) {

    public GroupCount {
        if (n < 0 || correct < 0 || correct > n) {
            throw new IllegalArgumentException("group " + group + ": need 0 <= correct <= n, got correct " + correct
                    + " of " + n);
        }
        if (biasConflictingN < 0 || biasConflictingN > n || biasConflictingCorrect < 0
                || biasConflictingCorrect > biasConflictingN || biasConflictingCorrect > correct) {
            throw new IllegalArgumentException("group " + group + ": bias-conflicting counts " + biasConflictingCorrect
                    + " of " + biasConflictingN + " do not fit within " + correct + " of " + n);
        }
    }

    /** A group without bias-conflicting examples (or whose attribute is unknown). */
    public GroupCount(int group, long n, long correct) {
        this(group, n, correct, 0, 0);
    }

    /**
     * A group g = (label, attribute) is either wholly bias-conflicting (attribute ≠ label) or wholly
     * aligned; this is the usual case of a binary attribute.
     */
    public static GroupCount of(int group, long n, long correct, boolean biasConflicting) {
        return biasConflicting ? new GroupCount(group, n, correct, n, correct) : new GroupCount(group, n, correct);
    }

    /** {@code correct / n}; NaN for a group with no examples. */
    public double accuracy() {
        return n == 0 ? Double.NaN : (double) correct / n;
    }
}
