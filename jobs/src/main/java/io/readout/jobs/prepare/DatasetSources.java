package io.readout.jobs.prepare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.builders.ColoredSource;
import io.readout.datasets.builders.DominoesSource;
import io.readout.datasets.builders.IdxSource;
import io.readout.datasets.builders.SyntheticSource;
import io.readout.datasets.idx.LabelMap;
import io.readout.datasets.io.HadoopInputs;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which options each dataset takes, their defaults, and the {@link DatasetSource} that
 * {@code prepare --dataset NAME} builds.
 */
public final class DatasetSources {
    public static final List<String> NAMES = List.of(
            "synthetic", "dominoes", "colored", "idx", "waterbirds", "celeba", "civilcomments", "multinli", "table");

    public static final double DEFAULT_RHO = 0.95;
    public static final double DEFAULT_VAL_FRACTION = 0.1;
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    public static final int DEFAULT_VAL_PER_CLASS = 1000;

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "synthetic", Set.of("--rho", "--n-train", "--n-val", "--n-test", "--core-contrast", "--noise"),
            "dominoes", Set.of("--mnist", "--fashion", "--rho", "--val-per-class", "--n-train"),
            "colored", Set.of("--images", "--classes", "--label-map", "--rho", "--palette", "--val-fraction",
                    "--test-fraction"),
            "idx", Set.of("--images", "--classes", "--label-map", "--val-fraction", "--test-fraction"),
            "waterbirds", Set.of("--source", "--image-size"),
            "celeba", Set.of("--source", "--image-size", "--target-attr", "--spurious-attr"),
            "civilcomments", Set.of("--source", "--identities", "--attribute"),
            "multinli", Set.of("--source", "--split-scheme"),
            "table", Set.of("--input", "--format", "--id-col", "--label-col", "--split-col", "--attribute-col",
                    "--group-col", "--feature-cols", "--image-col", "--image-size", "--num-classes"));

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "dominoes", List.of("--mnist", "--fashion"),
            "colored", List.of("--images"),
            "idx", List.of("--images"),
            "waterbirds", List.of("--source"),
            "celeba", List.of("--source"),
            "civilcomments", List.of("--source"),
            "multinli", List.of("--source"),
            "table", List.of("--input"));

    private DatasetSources() {
    }

    /** dominoes' {@code --n-train}: half per class (null: every training image). */
    private static int dominoesPerClass(Integer nTrain) {
        if (nTrain == null) {
            return 0;
        }
        if (nTrain < 2 || nTrain % 2 != 0) {
            throw new BadInputException("--n-train " + nTrain + ": dominoes takes an even number of at least 2"
                    + " (half of each class)");
        }
        return nTrain / 2;
    }

    /** Refuses options the dataset does not take and missing required ones. */
    static void requireApplicable(String dataset, SourceOptions o) {
        ObjectNode given = o.given();
        for (Iterator<String> flags = given.fieldNames(); flags.hasNext(); ) {
            String flag = flags.next();
            if (!OPTIONS.get(dataset).contains(flag)) {
                throw new BadInputException(flag + " does not apply to --dataset " + dataset
                        + " (it takes: " + String.join(", ", OPTIONS.get(dataset).stream().sorted().toList()) + ")");
            }
        }
        for (String flag : REQUIRED.getOrDefault(dataset, List.of())) {
            if (!given.has(flag)) {
                throw new BadInputException("--dataset " + dataset + " needs " + flag);
            }
        }
        if ("table".equals(dataset) && o.featureCols() != null && !o.featureCols().isEmpty() && o.imageCol() != null) {
            throw new BadInputException("--feature-cols and --image-col exclude each other: a table has vectors or images");
        }
    }

    /** The source of a validated config's dataset, options and seed. */
    public static DatasetSource create(String dataset, long seed, SourceOptions o, HadoopInputs inputs) {
        double rho = o.rho() != null ? o.rho() : DEFAULT_RHO;
        double valFraction = o.valFraction() != null ? o.valFraction() : DEFAULT_VAL_FRACTION;
        double testFraction = o.testFraction() != null ? o.testFraction() : DEFAULT_TEST_FRACTION;
        return switch (dataset) {
            case "synthetic" -> new SyntheticSource(
                    o.nTrain() != null ? o.nTrain() : SyntheticSource.DEFAULT_N_TRAIN,
                    o.nVal() != null ? o.nVal() : SyntheticSource.DEFAULT_N_VAL,
                    o.nTest() != null ? o.nTest() : SyntheticSource.DEFAULT_N_TEST,
                    rho,
                    o.coreContrast() != null ? o.coreContrast() : SyntheticSource.DEFAULT_CORE_CONTRAST,
                    o.noise() != null ? o.noise() : SyntheticSource.DEFAULT_NOISE,
                    seed);
            case "dominoes" -> new DominoesSource(inputs, o.mnist(), o.fashion(), rho,
                    o.valPerClass() != null ? o.valPerClass() : DEFAULT_VAL_PER_CLASS, dominoesPerClass(o.nTrain()),
                    seed);
            case "colored" -> new ColoredSource(inputs, o.images(), LabelMap.parse(o.classes(), o.labelMap()), rho,
                    o.palette(), valFraction, testFraction, seed);
            case "idx" -> new IdxSource(inputs, o.images(), LabelMap.parse(o.classes(), o.labelMap()), valFraction,
                    testFraction, seed);
            case "civilcomments", "multinli" -> TextSources.create(dataset, o, inputs);
            default -> ImageSources.create(dataset, o, inputs);
        };
    }
}
