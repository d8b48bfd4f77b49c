package io.readout.jobs.featurize;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;

/**
 * Configuration of {@link FeaturizeJob}: the prepared text table, the output folder, what the networks read
 * ({@code --input}), the vocabulary's cap and minimum document frequency, the token ids per text
 * ({@code tokens} only) and the Parquet files per split.
 */
@JsonPropertyOrder({"data", "out", "input", "vocab_size", "min_df", "max_length", "shards"})
public record FeaturizeConfig(String data, String out, String input,
                              @JsonProperty("vocab_size") int vocabSize, @JsonProperty("min_df") int minDf,
                              @JsonProperty("max_length") int maxLength, int shards,
                              @com.fasterxml.jackson.annotation.JsonIgnore boolean overwrite) {
    public static final int DEFAULT_VOCAB_SIZE = 10_000;
    public static final int DEFAULT_MIN_DF = 2;
    public static final int DEFAULT_MAX_LENGTH = 64;
    public static final int DEFAULT_SHARDS = 4;
    /** Larger dense TF-IDF rows than this many floats are refused: use --input tokens. */
    static final int MAX_DENSE_FEATURES = 200_000;

    /** Checks every flag; returns this. */
    public FeaturizeConfig validate() {
        if (data == null || data.isBlank()) {
            throw new BadInputException("--data is required");
        }
        if (out == null || out.isBlank()) {
            throw new BadInputException("--out is required");
        }
        TextInput in = kind();
        if (vocabSize < 1 || vocabSize > 10_000_000) {
            throw new BadInputException("--vocab-size " + vocabSize + " is outside [1, 10000000]");
        }
        if (in == TextInput.TFIDF && vocabSize > MAX_DENSE_FEATURES / 2) {
            throw new BadInputException("--vocab-size " + vocabSize + " with --input tfidf stores " + vocabSize
                    + " floats per text and example; at most " + MAX_DENSE_FEATURES / 2 + " (use --input tokens for a"
                    + " larger vocabulary)");
        }
        if (minDf < 1) {
            throw new BadInputException("--min-df " + minDf + " must be at least 1");
        }
        if (maxLength < 1 || maxLength > 4096) {
            throw new BadInputException("--max-length " + maxLength + " is outside [1, 4096]");
        }
        if (shards < 1 || shards > 10_000) {
            throw new BadInputException("--shards " + shards + " is outside [1, 10000]");
        }
        return this;
    }

    public TextInput kind() {
        return TextInput.parse(input);
    }
}
