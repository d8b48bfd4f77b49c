package io.readout.jobs.prepare;

import io.readout.common.BadInputException;

import java.util.LinkedHashMap;
import java.util.Map;

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
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", dataset);
        m.put("out", out);
        m.put("shards", shards);
        m.put("seed", seed);
        m.put("options", source.given());
        return m;
    }
}
