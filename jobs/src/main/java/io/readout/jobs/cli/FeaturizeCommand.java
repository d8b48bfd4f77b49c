package io.readout.jobs.cli;

import io.readout.jobs.featurize.FeaturizeConfig;
import io.readout.jobs.featurize.FeaturizeJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout featurize}: parses and validates the flags, then runs {@link FeaturizeJob}. */
@Command(name = "featurize", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Featurize a prepared text dataset for the networks (Spark ML).",
            "A civilcomments or multinli table becomes TF-IDF vectors or token ids.",
            "Tokenizer, vocabulary and IDF are fitted on the train split only and saved with the table",
            "(featurizer/, vocabulary.txt), so predict and evaluate featurize new text the same way."},
        footer = {"", "Example:",
            "  readout prepare --dataset civilcomments --source /data/civilcomments_v1.0 \\",
            "      --out /tmp/cc-text",
            "  readout featurize --data /tmp/cc-text --input tfidf --out /tmp/cc"})
public final class FeaturizeCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A prepared text dataset.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--input", paramLabel = "KIND", defaultValue = "tfidf",
            description = "tfidf (a TF-IDF vector, for the MLP) or tokens (token ids, for the embedding bag); default: ${DEFAULT-VALUE}.")
    String input;

    @Option(names = "--vocab-size", paramLabel = "N", defaultValue = "" + FeaturizeConfig.DEFAULT_VOCAB_SIZE,
            description = "At most N tokens, the most frequent in train (default: ${DEFAULT-VALUE}).")
    int vocabSize;

    @Option(names = "--min-df", paramLabel = "N", defaultValue = "" + FeaturizeConfig.DEFAULT_MIN_DF,
            description = "Keep tokens found in at least N training examples (default: ${DEFAULT-VALUE}).")
    int minDf;

    @Option(names = "--max-length", paramLabel = "L", defaultValue = "" + FeaturizeConfig.DEFAULT_MAX_LENGTH,
            description = "tokens: ids per text, longer texts truncated (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "" + FeaturizeConfig.DEFAULT_SHARDS,
            description = "Parquet files per split (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--overwrite", description = "Replace an output folder that already holds a complete table.")
    boolean overwrite;

    FeaturizeConfig config() {
        return new FeaturizeConfig(data, out, input, vocabSize, minDf, maxLength, shards, overwrite).validate();
    }

    @Override
    public Integer call() {
        FeaturizeConfig config = config();
        context.out().print(FeaturizeJob.run(context.spark("featurize"), config).format());
        return 0;
    }
}
