package io.readout.jobs.featurize;

import io.readout.common.BadInputException;

import java.util.Locale;

/**
 * What the networks read of a text: {@link #TFIDF} a TF-IDF vector over the vocabulary (an MLP's input) or
 * {@link #TOKENS} the token ids in order (an embedding bag's input).
 */
public enum TextInput {
    TFIDF("tfidf", "vector"),
    TOKENS("tokens", "tokens");

    private final String flag;
    private final String features;

    TextInput(String flag, String features) {
        this.flag = flag;
        this.features = features;
    }

    /** The value of {@code --input}. */
    public String flag() {
        return flag;
    }

    /** The {@code features} kind dataset.json gives a table of this input. */
    public String features() {
        return features;
    }

    /** The input of a table whose dataset.json says {@code features}: null for other kinds (image, text). */
    public static TextInput ofFeatures(String features) {
        for (TextInput t : values()) {
            if (t.features.equals(features)) {
                return t;
            }
        }
        return null;
    }

    public static TextInput parse(String value) {
        for (TextInput t : values()) {
            if (t.flag.equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                return t;
            }
        }
        throw new BadInputException("--input '" + value + "' is not one of tfidf, tokens");
    }
}
