package io.readout.jobs.cli;

import io.readout.common.distill.ReadoutWeights;
import picocli.CommandLine.Option;

/** How DEDIER weighs examples by their early readout ({@code train --method dedier}, {@code weights}). */
final class ReadoutWeightFlags {
    @Option(names = "--alpha", defaultValue = "1", paramLabel = "X",
            description = "dedier: exponent of the readout margin (default: ${DEFAULT-VALUE}).")
    double alpha = ReadoutWeights.DEFAULT_ALPHA;
    @Option(names = "--beta", defaultValue = "4", paramLabel = "X",
            description = "dedier: weight = exp(beta * margin^alpha) on readout errors, else 1 (default: ${DEFAULT-VALUE}).")
    double beta = ReadoutWeights.DEFAULT_BETA;
    @Option(names = "--normalise", defaultValue = "mean", paramLabel = "N",
            description = "dedier: mean (weights averaged to 1 over the training split) or none (default: ${DEFAULT-VALUE}).")
    String normalise = "mean";
}
