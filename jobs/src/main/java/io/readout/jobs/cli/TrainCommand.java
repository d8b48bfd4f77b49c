package io.readout.jobs.cli;

import io.readout.common.nets.Architecture;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainJob;
import io.readout.jobs.train.TrainingMasters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout train}: parses and validates the flags, then runs {@link TrainJob}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a teacher or student with Spark parameter averaging.",
            "Writes a run directory: config, history, checkpoints, best and final model."},
        footer = {"", "Example:",
            "  readout train --method erm --arch teacher --data /tmp/dom --out /tmp/runs/teacher",
            "", "The run directory holds config.json, history.json, checkpoints/, best.zip, model.zip and _SUCCESS."})
public final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    private io.readout.jobs.ReadoutCli parent;

    @Option(names = "--method", defaultValue = "erm", paramLabel = "M",
            description = "Training method: erm (default: ${DEFAULT-VALUE}).")
    String method;
    @Option(names = "--arch", required = true, paramLabel = "A", description = "teacher or student.")
    String arch;
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A prepared dataset folder.")
    String data;
    @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run directory to write.")
    String out;
    @Option(names = "--epochs", defaultValue = "8", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch", defaultValue = "64", paramLabel = "B",
            description = "Minibatch size per worker (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "X", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--updater", defaultValue = "adam", paramLabel = "U",
            description = "adam, sgd or nesterovs (default: ${DEFAULT-VALUE}).")
    String updater;
    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "X", description = "Weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;
    @Option(names = "--activation", defaultValue = "relu", paramLabel = "F",
            description = "Hidden-layer activation: relu, leakyrelu, elu or tanh (default: ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--workers", defaultValue = "0", paramLabel = "W",
            description = "Parameter-averaging workers; 0 = Spark's default parallelism (default: ${DEFAULT-VALUE}).")
    int workers;
    @picocli.CommandLine.Mixin
    AveragingOptions averaging = new AveragingOptions();    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--select", defaultValue = "val_accuracy", paramLabel = "M",
            description = "Validation value that picks best.zip: val_accuracy, val_wga or val_group_mean (default: ${DEFAULT-VALUE}).")
    String select;
    @Option(names = "--eval-batch", defaultValue = "256", paramLabel = "B",
            description = "Minibatch size of the validation pass (default: ${DEFAULT-VALUE}).")
    int evalBatch;
    @Option(names = "--resume", description = "Continue the run in --out from its last complete checkpoint.")
    boolean resume;
    @Option(names = "--overwrite", description = "Delete what --out holds and start again.")
    boolean overwrite;

    TrainConfig config() {
        return new TrainConfig(method, Architecture.parse(arch), data, out, epochs, batch, updater, lr, weightDecay,
                activation, workers, averaging.averagingFrequency, averaging.approach, averaging.prefetch, seed, select,
                evalBatch).validate();
    }

    @Override
    public Integer call() {
        if (resume && overwrite) {
            throw new io.readout.common.BadInputException("--resume and --overwrite exclude each other");
        }
        TrainJob.run(parent.spark("train"), config(), resume, overwrite, parent.out());
        return 0;
    }
}
