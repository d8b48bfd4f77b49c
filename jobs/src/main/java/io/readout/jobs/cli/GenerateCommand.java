package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.text.CivilCommentsSource;
import io.readout.datasets.text.SyntheticComment;
import io.readout.datasets.text.SyntheticComments;
import io.readout.datasets.text.WildsCommentsCsv;
import io.readout.jobs.io.AtomicOutput;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code readout generate}: writes a generated text benchmark in a released dataset's layout, so that
 * {@code readout prepare} reads it as it reads the release. One dataset so far, {@code civilcomments}
 * ({@link SyntheticComments}): {@code DIR/all_data_with_identities.csv}, {@code DIR/generate.json} (options, seed,
 * counts per split and group) and {@code DIR/_SUCCESS}, written into a hidden sibling and renamed into place. A
 * driver-side program: no Spark.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Write generated text data in a released dataset's layout.",
            "civilcomments: comments whose label (toxic) rests on a few core words and",
            "whose spurious attribute is an identity term, agreeing with the label in --rho",
            "of train, as WILDS' all_data_with_identities.csv; read it with 'readout",
            "prepare --dataset civilcomments --source DIR'. The same options and seed give",
            "the same bytes. No Spark."},
        footer = {"", "Example:",
            "  readout generate --dataset civilcomments --out /tmp/cc-gen --rho 0.95",
            "  readout prepare --dataset civilcomments --source /tmp/cc-gen --out /tmp/cc"})
public final class GenerateCommand implements Callable<Integer> {
    /** The generation summary beside the data file. */
    public static final String SUMMARY = "generate.json";
    private static final List<String> DATASETS = List.of(CivilCommentsSource.NAME);

    @ParentCommand
    private CommandContext context;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "civilcomments.")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (any Hadoop file system URI); new or empty unless --overwrite.")
    String out;

    @Option(names = "--overwrite", description = "Replace an output folder that is not empty.")
    boolean overwrite;

    @Option(names = "--n-train", paramLabel = "N", defaultValue = "" + SyntheticComments.DEFAULT_N_TRAIN,
            description = "Training comments, half toxic (default: ${DEFAULT-VALUE}).")
    int nTrain;

    @Option(names = "--n-val", paramLabel = "N", defaultValue = "" + SyntheticComments.DEFAULT_N_VAL,
            description = "Validation comments (default: ${DEFAULT-VALUE}).")
    int nVal;

    @Option(names = "--n-test", paramLabel = "N", defaultValue = "" + SyntheticComments.DEFAULT_N_TEST,
            description = "Test comments (default: ${DEFAULT-VALUE}).")
    int nTest;

    @Option(names = "--rho", paramLabel = "R", defaultValue = "" + SyntheticComments.DEFAULT_RHO,
            description = "Fraction of train where an identity is mentioned exactly when the comment is toxic;"
                    + " val and test: 0.5 (default: ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--noise", paramLabel = "X", defaultValue = "" + SyntheticComments.DEFAULT_NOISE,
            description = "Fraction of each class whose core words come from the other class, in [0, 0.5]"
                    + " (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--core-words", paramLabel = "N", defaultValue = "" + SyntheticComments.DEFAULT_CORE_WORDS,
            description = "Core words per class, in [1, 40]; each comment has one or two (default: ${DEFAULT-VALUE}).")
    int coreWords;

    @Option(names = "--length", paramLabel = "MIN-MAX", defaultValue = SyntheticComments.DEFAULT_LENGTH,
            description = "Filler words per comment, drawn uniformly (default: ${DEFAULT-VALUE}).")
    String length;

    /** The generator's options from the flags, validated; an unknown {@code --dataset} is refused first. */
    SyntheticComments.Options options() {
        if (!DATASETS.contains(dataset)) {
            throw new BadInputException("--dataset '" + dataset + "' is not one of " + String.join(", ", DATASETS));
        }
        int[] words = SyntheticComments.Options.parseLength(length);
        return new SyntheticComments.Options(nTrain, nVal, nTest, rho, noise, coreWords, words[0], words[1], seed)
                .validate();
    }

    @Override
    public Integer call() {
        SyntheticComments.Options options = options();
        Map<Split, SyntheticComments.SplitCounts> counts = write(HadoopInputs.local().conf(), options, out, overwrite);
        context.out().print(format(counts) + "wrote " + HadoopInputs.display(new Path(out)) + System.lineSeparator());
        return ExitCodes.OK;
    }

    /**
     * Generates the comments and writes the folder: the CSV streamed into the temporary sibling, then
     * {@link #SUMMARY}, then the rename. Returns the counts per split.
     */
    static Map<Split, SyntheticComments.SplitCounts> write(Configuration conf, SyntheticComments.Options options,
                                                          String out, boolean overwrite) {
        requireNewOrEmpty(conf, out, overwrite);
        List<SyntheticComment> comments = SyntheticComments.generate(options);
        try (AtomicOutput output = AtomicOutput.begin(conf, out, overwrite, "--out")) {
            Path csv = new Path(output.tmp(), CivilCommentsSource.FILE);
            try (OutputStream stream = csv.getFileSystem(conf).create(csv, false)) {
                WildsCommentsCsv.write(comments, stream);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + csv, e);
            }
            output.writeText(SUMMARY, Json.write(SyntheticComments.describe(options, comments)));
            output.commit();
        }
        return SyntheticComments.counts(comments);
    }

    /** Refuses an {@code --out} folder that holds anything, unless {@code overwrite}. */
    private static void requireNewOrEmpty(Configuration conf, String out, boolean overwrite) {
        Path p = new Path(out);
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!overwrite && fs.exists(p) && fs.getFileStatus(p).isDirectory() && fs.listStatus(p).length > 0) {
                throw new BadInputException("--out " + out + ": already exists and is not empty; pass --overwrite"
                        + " to replace it");
            }
        } catch (IOException e) {
            throw new BadInputException("--out " + out + ": " + e.getMessage(), e);
        }
    }

    /** The printed table: per split, one line per group with its label and attribute, then the total. */
    static String format(Map<Split, SyntheticComments.SplitCounts> counts) {
        StringBuilder b = new StringBuilder(String.format("%-6s %6s %6s %10s %8s%n", "split", "group", "label",
                "attribute", "n"));
        counts.forEach((split, c) -> {
            c.groups().forEach((g, n) -> b.append(String.format("%-6s %6d %6d %10d %8d%n", split.column(), g, g / 2,
                    g % 2, n)));
            b.append(String.format("%-6s %6s %6s %10s %8d%n", split.column(), "all", "", "", c.total()));
        });
        return b.toString();
    }
}
