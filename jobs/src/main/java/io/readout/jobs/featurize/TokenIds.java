package io.readout.jobs.featurize;

import io.readout.common.nets.EmbeddingBag;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A vocabulary's token ids, for the embedding-bag networks: id {@value #PADDING} pads a short text, id
 * {@value #UNKNOWN} stands for a token outside the vocabulary, and vocabulary token j has id {@code 2 + j}. Each text
 * becomes exactly {@code length} ids (truncated after its first {@code length} tokens, padded at the end); the ids of
 * a sentence pair's second text are offset by {@link #segmentIds()}, so the premise's "not" and the hypothesis' "not"
 * are different embeddings.
 */
public final class TokenIds implements Serializable {
    public static final int PADDING = EmbeddingBag.PADDING;
    public static final int UNKNOWN = 1;
    /** Ids before the vocabulary's: padding and unknown. */
    public static final int RESERVED = 2;

    private final Map<String, Integer> index;
    private final int length;

    /**
     * @param vocabulary the tokens in vocabulary order
     * @param length     ids per text
     */
    public TokenIds(List<String> vocabulary, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("token length " + length + " must be positive");
        }
        this.index = new HashMap<>(vocabulary.size() * 2);
        for (int j = 0; j < vocabulary.size(); j++) {
            if (index.put(vocabulary.get(j), j) != null) {
                throw new IllegalArgumentException("token '" + vocabulary.get(j) + "' occurs twice in the vocabulary");
            }
        }
        this.length = length;
    }

    /** The ids one text segment may hold: the reserved ones and the vocabulary's. */
    public int segmentIds() {
        return RESERVED + index.size();
    }

    /** The id of a token in the first segment. */
    public int id(String token) {
        Integer j = index.get(token);
        return j == null ? UNKNOWN : RESERVED + j;
    }

    /**
     * Writes the ids of one text's tokens into {@code out[from .. from + length)}, offset by {@code segment}
     * times {@link #segmentIds()}, padding the rest.
     */
    public void write(List<String> tokens, int segment, float[] out, int from) {
        int offset = segment * segmentIds();
        int n = Math.min(tokens.size(), length);
        for (int i = 0; i < n; i++) {
            out[from + i] = offset + id(tokens.get(i));
        }
        for (int i = n; i < length; i++) {
            out[from + i] = PADDING;
        }
    }

    /** The ids of a text (segment 0) and, when {@code pair} is not null, of its second text (segment 1). */
    public float[] ids(List<String> text, List<String> pair) {
        float[] out = new float[pair == null ? length : 2 * length];
        write(text, 0, out, 0);
        if (pair != null) {
            write(pair, 1, out, length);
        }
        return out;
    }
}
