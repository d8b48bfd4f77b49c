package io.readout.jobs.cli;

import io.readout.jobs.prepare.PrepareConfig;
import io.readout.jobs.prepare.PrepareJob;
import io.readout.jobs.prepare.SourceOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code readout prepare}: parses and validates the flags, then runs {@link PrepareJob}. */
@Command(name = "prepare", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Write a dataset as the examples table (Parquet + dataset.json).",
            "The table is partitioned by split and sharded into --shards files per split."},
        footer = {"", "Datasets and their options:",
            "  synthetic   generated from --seed: --n-train --n-val --n-test --rho --core-contrast --noise",
            "  dominoes    --mnist DIR --fashion DIR [--rho --val-per-class]",
            "  colored     --images DIR [--classes --label-map --rho --palette --val-fraction --test-fraction]",
            "  idx         --images DIR [--classes --label-map --val-fraction --test-fraction]",
            "  waterbirds  --source DIR (metadata.csv layout) [--image-size]",
            "  celeba      --source DIR (list_attr_celeba.csv layout)",
            "              [--image-size --target-attr --spurious-attr]",
            "  civilcomments",
            "              --source DIR (WILDS all_data_with_identities.csv) [--identities --attribute]",
            "  multinli    --source DIR (multinli_1.0 *.jsonl, metadata_random.csv) [--split-scheme]",
            "  table       --input FILE|DIR --label-col --split-col (--feature-cols ...|--image-col) [...]",
            "", "Example:",
            "  readout prepare --dataset dominoes --mnist ../shared/data/mnist-10k \\",
            "      --fashion ../shared/data/fashion-mnist --out /tmp/dom"})
public final class PrepareCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--dataset", required = true, paramLabel = "NAME",
            description = "synthetic, dominoes, colored, idx, waterbirds, celeba, civilcomments, multinli or table.")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output folder (any Hadoop file system URI).")
    String out;

    @Option(names = "--shards", paramLabel = "N", defaultValue = "" + PrepareConfig.DEFAULT_SHARDS,
            description = "Parquet files per split (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--overwrite", description = "Replace an output folder that already holds a complete table.")
    boolean overwrite;

    @Option(names = "--mnist", paramLabel = "DIR", description = "dominoes: folder of MNIST IDX files.")
    String mnist;
    @Option(names = "--fashion", paramLabel = "DIR", description = "dominoes: folder of Fashion-MNIST IDX files (train and t10k).")
    String fashion;
    @Option(names = "--images", paramLabel = "DIR", description = "idx, colored: folder of MNIST-family IDX files.")
    String images;
    @Option(names = "--classes", paramLabel = "C,C,...", description = "idx, colored: source classes to keep, labelled 0,1,... in this order.")
    String classes;
    @Option(names = "--label-map", paramLabel = "C:L,...", description = "idx, colored: explicit class-to-label map.")
    String labelMap;
    @Option(names = "--rho", paramLabel = "R", description = "Spurious correlation in train, in [0,1] (default: 0.95).")
    Double rho;
    @Option(names = "--palette", split = ",", paramLabel = "RRGGBB", description = "colored: colours, one per class at least (default: tab10).")
    List<String> palette;
    @Option(names = "--val-fraction", paramLabel = "F", description = "idx, colored: share of each class held out for val (default: 0.1).")
    Double valFraction;
    @Option(names = "--test-fraction", paramLabel = "F", description = "idx, colored: test share when the folder has no t10k part (default: 0.2).")
    Double testFraction;
    @Option(names = "--val-per-class", paramLabel = "N", description = "dominoes: training images per class held out for val (default: 1000).")
    Integer valPerClass;
    @Option(names = "--n-train", paramLabel = "N", description = "synthetic: training examples (default: 2000); dominoes: training examples, half per class"
                    + " (default: all, 10000).")
    Integer nTrain;
    @Option(names = "--n-val", paramLabel = "N", description = "synthetic: validation examples (default: 500).")
    Integer nVal;
    @Option(names = "--n-test", paramLabel = "N", description = "synthetic: test examples (default: 500).")
    Integer nTest;
    @Option(names = "--core-contrast", paramLabel = "X", description = "synthetic: stripe amplitude; lower is harder (default: 0.12).")
    Double coreContrast;
    @Option(names = "--noise", paramLabel = "X", description = "synthetic: pixel noise standard deviation (default: 0.2).")
    Double noise;
    @Option(names = "--source", paramLabel = "DIR", description = "waterbirds, celeba, civilcomments, multinli: the released dataset folder.")
    String source;
    @Option(names = "--image-size", paramLabel = "HxW", description = "waterbirds, celeba, table: resize images to this (default: 64x64).")
    String imageSize;
    @Option(names = "--target-attr", paramLabel = "NAME", description = "celeba: attribute that is the label (default: Blond_Hair).")
    String targetAttr;
    @Option(names = "--spurious-attr", paramLabel = "NAME", description = "celeba: spurious attribute (default: Male).")
    String spuriousAttr;
    @Option(names = "--input", paramLabel = "PATH", description = "table: a Parquet or CSV file or folder.")
    String input;
    @Option(names = "--format", paramLabel = "FMT", description = "table: parquet or csv (default: from the file name).")
    String format;
    @Option(names = "--id-col", paramLabel = "COL", description = "table: unique id column (default: row position).")
    String idCol;
    @Option(names = "--label-col", paramLabel = "COL", description = "table: integer label column (default: label).")
    String labelCol;
    @Option(names = "--split-col", paramLabel = "COL", description = "table: split column, train/val/test or 0/1/2 (default: split).")
    String splitCol;
    @Option(names = "--attribute-col", paramLabel = "COL", description = "table: spurious attribute column.")
    String attributeCol;
    @Option(names = "--group-col", paramLabel = "COL", description = "table: group column (default: from label and attribute).")
    String groupCol;
    @Option(names = "--feature-cols", split = ",", paramLabel = "COL", description = "table: numeric feature columns.")
    List<String> featureCols;
    @Option(names = "--image-col", paramLabel = "COL", description = "table: image path column (relative to the table's folder).")
    String imageCol;
    @Option(names = "--num-classes", paramLabel = "N", description = "table: labels must be below this.")
    Integer numClasses;

    @Option(names = "--identities", split = ",", paramLabel = "COL",
            description = "civilcomments: identity columns of the attribute (default: WILDS' eight,"
                    + " male,female,LGBTQ,christian,muslim,other_religions,black,white).")
    List<String> identities;
    @Option(names = "--attribute", paramLabel = "RULE", description = "civilcomments: any = any listed identity"
            + " mentioned, 4 groups (default); each = WILDS' per-identity groups (refused: they overlap).")
    String attribute;
    @Option(names = "--split-scheme", paramLabel = "S", description = "multinli: groupdro = group DRO's"
            + " metadata_random.csv 50/20/30 split (default); preset = train / dev matched / dev mismatched.")
    String splitScheme;

    PrepareConfig config() {
        SourceOptions options = new SourceOptions(mnist, fashion, images, classes, labelMap, rho, palette, valFraction,
                testFraction, valPerClass, nTrain, nVal, nTest, coreContrast, noise, source, imageSize, targetAttr,
                spuriousAttr, input, format, idCol, labelCol, splitCol, attributeCol, groupCol, featureCols,
                imageCol, numClasses, identities, attribute, splitScheme);
        return new PrepareConfig(dataset, out, shards, seed, overwrite, options).validate();
    }

    @Override
    public Integer call() {
        PrepareConfig config = config();
        context.out().print(PrepareJob.run(context.spark("prepare"), config).format());
        return 0;
    }
}
