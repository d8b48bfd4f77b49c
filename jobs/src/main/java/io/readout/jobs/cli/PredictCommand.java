package io.readout.jobs.cli;

import io.readout.jobs.passes.NewTexts;
import io.readout.jobs.passes.PredictConfig;
import io.readout.jobs.passes.PredictJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout predict}: parses and validates the flags, then runs {@link PredictJob}. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"A run's predictions on a dataset or new texts, as Parquet.",
            "Columns: id, split, label, group, attribute, pred, confidence, probs.",
            "Texts (a prepared text table, or --text) go through the featurizer of the run's training data;",
            "a --text file's rows have split 'new' and no label."},
        footer = {"", "Examples:",
            "  readout predict --run /tmp/runs/erm --data /tmp/dom --split test \\",
            "      --out /tmp/runs/erm/predictions",
            "  readout predict --run /tmp/runs/cc-teacher --text comments.csv \\",
            "      --text-col comment_text --out /tmp/cc-scores"})
public final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Mixin
    ModelPassOptions pass = new ModelPassOptions();

    @Option(names = "--split", paramLabel = "SPLIT", description = "With --data: train, val, test or all.")
    String split;

    @Option(names = "--text", paramLabel = "FILE",
            description = "New texts instead of --data: a CSV with a header, or JSON lines (.jsonl, .json).")
    String text;

    @Option(names = "--id-col", paramLabel = "NAME", defaultValue = "id",
            description = "--text: the id column (default: ${DEFAULT-VALUE}).")
    String idCol;

    @Option(names = "--text-col", paramLabel = "NAME", defaultValue = "text",
            description = "--text: the text column (default: ${DEFAULT-VALUE}).")
    String textCol;

    @Option(names = "--pair-col", paramLabel = "NAME",
            description = "--text: the second text of a sentence pair (an NLI hypothesis), if any.")
    String pairCol;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--overwrite", description = "Replace an output folder that already holds complete predictions.")
    boolean overwrite;

    @Override
    public Integer call() {
        NewTexts.Source texts = text == null ? null : new NewTexts.Source(text, idCol, textCol, pairCol);
        PredictConfig config = new PredictConfig(pass.run, pass.data, split, texts, out, pass.model, pass.batch,
                overwrite).validate();
        context.out().print(PredictJob.run(context.spark("predict"), config).format());
        return 0;
    }
}
