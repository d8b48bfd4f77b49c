package io.readout.jobs.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The overrides {@code pipeline} and {@code demo} share: each becomes one {@code --set} of the config. */
final class PipelineOptions {
    @Option(names = "--root", paramLabel = "DIR", description = "The pipeline's folder (any Hadoop URI); overrides \"root\".")
    String root;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Replace one key of the config by its dotted path, e.g. --set train.epochs=4"
                    + " --set methods.sifer.forget-every=0; repeatable.")
    List<String> set = new ArrayList<>();

    @Option(names = "--methods", split = ",", paramLabel = "M,M",
            description = "The student methods (erm, kd, jtt, dedier, sifer); overrides students.methods.")
    List<String> methods;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of every run; overrides train.epochs.")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of prepare and every run; overrides \"seed\".")
    Long seed;

    @Option(names = "--dry-run", description = "List the stages, their commands and which would run; run nothing.")
    boolean dryRun;

    /** The overrides, the config's own keys first and these flags last (they win). */
    List<String> overrides(List<String> first) {
        List<String> all = new ArrayList<>(first);
        if (root != null) {
            all.add("root=" + root);
        }
        if (seed != null) {
            all.add("seed=" + seed);
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
}
