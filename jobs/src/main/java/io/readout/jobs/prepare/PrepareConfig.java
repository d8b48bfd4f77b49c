package io.readout.jobs.prepare;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;

/**
 * Configuration of {@link PrepareJob}: which dataset, where its table goes, how many files per
 * split, the seed of every random choice, and the dataset's own options.
 */
public record PrepareConfig(String dataset, String out, int shards, long seed, boolean overwrite,
                            SourceOptions source) {
    public static final int DEFAULT_SHARDS = 4;

    /** Cross-field rules, in one place; throws {@link BadInputException} naming the flag. */
    public PrepareConfig validate() {
        if (dataset == null || !DatasetSources.NAMES.contains(dataset)) {
            throw new BadInputException("--dataset '" + dataset + "' is not one of " + String.join(", ", DatasetSources.NAMES));
        }
        if (out == null || out.isBlank()) {
            throw new BadInputException("--out is required");
        }
        if (shards < 1 || shards > 10_000) {
            throw new BadInputException("--shards " + shards + " is outside [1, 10000]");
        }
        DatasetSources.requireApplicable(dataset, source);
        return this;
    }

    /** The config as saved in dataset.json. */
    public Described describe() {
        return new Described(dataset, out, shards, seed, source.given());
    }

    /** The config as dataset.json saves it ({@code config}): the dataset's options as given on the command line. */
    @JsonPropertyOrder({"dataset", "out", "shards", "seed", "options"})
    public record Described(String dataset, String out, int shards, long seed, ObjectNode options) {
    }
}
