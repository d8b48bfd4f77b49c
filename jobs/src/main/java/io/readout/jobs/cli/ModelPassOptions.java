package io.readout.jobs.cli;

import io.readout.jobs.passes.PassInputs;
import io.readout.jobs.passes.Predictions;
import picocli.CommandLine.Option;

/** The flags every forward pass over a run's model shares ({@code predict}, {@code evaluate}). */
final class ModelPassOptions {
    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run folder holding model.zip (and best.zip).")
    String run;

    @Option(names = "--data", paramLabel = "DIR", description = "Prepared dataset folder (readout prepare --out).")
    String data;

    @Option(names = "--model", paramLabel = "WHICH", defaultValue = PassInputs.FINAL,
            description = "final (model.zip) or best (best.zip, the validation-selected epoch) (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "" + Predictions.DEFAULT_BATCH,
            description = "Examples per forward pass on an executor (default: ${DEFAULT-VALUE}).")
    int batch;
}
