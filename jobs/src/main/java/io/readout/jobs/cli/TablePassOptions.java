package io.readout.jobs.cli;

import io.readout.jobs.passes.PassInputs;
import io.readout.jobs.passes.Predictions;
import picocli.CommandLine.Option;

/** The flags of a forward pass over the training split that writes a table ({@code teacher-probs}, {@code weights}). */
final class TablePassOptions {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Prepared dataset folder (readout prepare --out).")
    String data;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (any Hadoop file system URI).")
    String out;
    @Option(names = "--model", defaultValue = PassInputs.FINAL, paramLabel = "WHICH",
            description = "final (model.zip) or best (best.zip, the validation-selected epoch) (default: ${DEFAULT-VALUE}).")
    String model;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Predictions.DEFAULT_BATCH,
            description = "Examples per forward pass on an executor (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--overwrite", description = "Replace an output folder that already holds a complete table.")
    boolean overwrite;
}
