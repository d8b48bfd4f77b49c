package io.readout.datasets.text;

import io.readout.datasets.Split;

import java.util.Map;

/**
 * One generated comment, as {@link SyntheticComments} made it and {@link WildsCommentsCsv} writes it.
 *
 * @param id                 WILDS' {@code id} (prepared as {@code cc-<id>})
 * @param label              1 toxic, 0 not: {@code toxicity >= 0.5}
 * @param attribute          1 when an identity is mentioned (a term in the text, its column {@code >= 0.5})
 * @param noisy              its core words come from the other class's list (label noise)
 * @param toxicity           the toxicity cell, a fraction of {@code toxicityAnnotators}
 * @param identities         the eight identity cells by WILDS column, in WILDS' order; empty when not annotated
 * @param identityAnnotators annotators of the identity columns, 0 when not annotated
 * @param createdDate        the {@code created_date} cell
 */
public record SyntheticComment(int id, Split split, int label, int attribute, boolean noisy, String text,
                               String toxicity, int toxicityAnnotators, Map<String, String> identities,
                               int identityAnnotators, String createdDate) {

    /** The (label, attribute) group as {@code prepare} numbers it: {@code 2 label + attribute}. */
    public int group() {
        return 2 * label + attribute;
    }

    /** The same comment under another id (ids follow the order of the file). */
    SyntheticComment withId(int newId) {
        return new SyntheticComment(newId, split, label, attribute, noisy, text, toxicity, toxicityAnnotators,
                identities, identityAnnotators, createdDate);
    }
}
