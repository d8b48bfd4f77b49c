package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.jobs.pipeline.PipelineSpec;
import io.readout.jobs.run.PipelineRoot;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The overrides {@code pipeline} and {@code demo} share: each becomes one {@code --set} of the config. */
final class PipelineOptions {
    @Option(names = "--out", paramLabel = "DIR", description = "The pipeline's folder (any Hadoop URI); overrides \"out\".")
    String out;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Replace one key of the config by its dotted path, e.g. --set train.epochs=4"
                    + " --set methods.sifer.forget-every=0; repeatable.")
    List<String> set = new ArrayList<>();

    @Option(names = "--methods", split = ",", paramLabel = "M,M",
            description = "The student methods (erm, kd, jtt, dedier, sifer); overrides students.methods.")
    List<String> methods;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of every run; overrides train.epochs.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S",
            description = "One seed for prepare and every run; overrides \"seed\" and \"seeds\".")
    Long seed;

    @Option(names = "--seeds", split = ",", paramLabel = "S,S",
            description = "The stages once per seed under ROOT/seed=S/, then ROOT/aggregate/ (mean ± std);"
                    + " overrides \"seeds\" and \"seed\".")
    List<Long> seeds;

    @Option(names = "--dry-run", description = "List the stages, their commands and which would run; run nothing.")
    boolean dryRun;

    /** The overrides, the config's own keys first and these flags last (they win). */
    List<String> overrides(List<String> first) {
        List<String> all = new ArrayList<>(first);
        if (out != null) {
            all.add(PipelineSpec.OUT + "=" + out);
        }
        if (seed != null && seeds != null) {
            throw new BadInputException("--seed and --seeds: give one (--seed S for one seed, --seeds S,S for a list)");
        }
        // A flag replaces the config's seed and seeds alike: the config may give either.
        if (seed != null) {
            all.add(PipelineSpec.SEEDS + "=null");
            all.add(PipelineSpec.SEED + "=" + seed);
        }
        if (seeds != null) {
            PipelineRoot.checkSeeds(seeds, "--seeds");
            all.add(PipelineSpec.SEED + "=null");
            all.add(PipelineSpec.SEEDS + "=" + String.join(",", seeds.stream().map(String::valueOf).toList()));
        }
        if (epochs != null) {
            all.add("train.epochs=" + epochs);
        }
        if (methods != null) {
            all.add("students.methods=" + String.join(",", methods));
        }
        all.addAll(set);
        return all;
    }

    /** Whether {@code --seeds} gave the seed list (errors about it name the flag, not the config). */
    boolean seedsFlag() {
        return seeds != null;
    }
}
