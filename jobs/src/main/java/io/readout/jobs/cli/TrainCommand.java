package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.Networks;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.train.BatchScope;
import io.readout.jobs.train.DistillOptions;
import io.readout.jobs.train.JttOptions;
import io.readout.jobs.train.SiferOptions;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainJob;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code readout train}: parses and validates the flags, then runs {@link TrainJob}. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Train a teacher or student with Spark parameter averaging.",
            "Methods: erm; jtt (Just Train Twice); a student distilled from a teacher (kd; dedier,",
            "with early-readout weights recomputed every --refresh epochs); or the feature sieve",
            "(sifer: an aux head on an early block identifies simple features, forgotten there",
            "every --forget-every steps).",
            "Writes a run directory: config, history, checkpoints, best and final model."},
        footer = {"", "Examples:",
            "  readout train --method erm --arch teacher --data /tmp/dom \\",
            "      --out /tmp/runs/teacher",
            "  readout train --method dedier --arch student --data /tmp/dom \\",
            "      --teacher /tmp/runs/teacher --out /tmp/runs/dedier",
            "  readout train --method sifer --arch student --data /tmp/dom \\",
            "      --out /tmp/runs/sifer",
            "", "The run directory holds config.json, history.json, checkpoints/, best.zip, model.zip and _SUCCESS;",
            "kd and dedier add teacher_probs/ (unless --teacher-probs), dedier weights/epoch=NNNN/ per refresh."})
public final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    private CommandContext context;

    @Option(names = "--method", defaultValue = "erm", paramLabel = "M",
            description = "Training method: erm, kd, dedier, jtt or sifer (default: ${DEFAULT-VALUE}).")
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
            description = "Examples per optimizer step, shared by the workers (see --batch-scope) (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--batch-scope", defaultValue = "global", paramLabel = "S",
            description = "global: --batch is split over the W workers (each fits B/W), so an epoch makes a single"
                    + " process's progress at any W; worker: each worker fits B, an epoch about 1/W of the steps"
                    + " (default: ${DEFAULT-VALUE}).")
    String batchScope;
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
    @Mixin
    AveragingOptions averaging = new AveragingOptions();
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--select", defaultValue = "val_accuracy", paramLabel = "M",
            description = "Validation value that picks best.zip: val_accuracy, val_wga or val_group_mean (default: ${DEFAULT-VALUE}).")
    String select;
    @Option(names = "--eval-batch", defaultValue = "256", paramLabel = "B",
            description = "Minibatch size of the validation pass (default: ${DEFAULT-VALUE}).")
    int evalBatch;
    @ArgGroup(exclusive = false, heading = "%nkd and dedier:%n")
    DistillFlags distill = new DistillFlags();
    @ArgGroup(exclusive = false, heading = "%ndedier and sifer, the early readout or aux head:%n")
    AuxFlags aux = new AuxFlags();
    @ArgGroup(exclusive = false, heading = "%nsifer:%n")
    SiferFlags sifer = new SiferFlags();
    @ArgGroup(exclusive = false, heading = "%njtt:%n")
    JttFlags jtt = new JttFlags();
    @Option(names = "--init", paramLabel = "MODEL",
            description = "Start from this model's weights (a model.zip of the same architecture, any Hadoop URI)"
                    + " instead of random ones: a warm start. Its updater state is not used.")
    String init;
    @Option(names = "--resume", description = "Continue the run in --out from its last complete checkpoint.")
    boolean resume;
    @Option(names = "--overwrite", description = "Delete what --out holds and start again.")
    boolean overwrite;

    TrainConfig config() {
        return new TrainConfig(method, Architecture.parse(arch), data, out, epochs, batch, updater, lr, weightDecay,
                activation, workers, averaging.averagingFrequency, averaging.approach, averaging.prefetch, seed, select,
                evalBatch, TrainConfig.KD.equals(method) || TrainConfig.DEDIER.equals(method) ? distill.options(aux) : null,
                TrainConfig.JTT.equals(method) ? jtt.options() : null,
                TrainConfig.SIFER.equals(method) ? sifer.options(aux) : null, init,
                BatchScope.of(batchScope, "--batch-scope")).validate();
    }

    /** The flags of the distillation methods. */
    static final class DistillFlags {
        @Option(names = "--teacher", paramLabel = "RUN", description = "The teacher's run directory.")
        String teacher;
        @Option(names = "--teacher-probs", paramLabel = "DIR",
                description = "A table from readout teacher-probs (default: computed from --teacher into the run).")
        String teacherProbs;
        @Option(names = "--lambda", defaultValue = "0.7", paramLabel = "X",
                description = "Weight of the teacher term (default: ${DEFAULT-VALUE}).")
        double lambda = DistillOptions.DEFAULT_LAMBDA;
        @Option(names = "--temperature", defaultValue = "2", paramLabel = "T",
                description = "Distillation temperature (default: ${DEFAULT-VALUE}).")
        double temperature = DistillOptions.DEFAULT_TEMPERATURE;
        @ArgGroup(exclusive = false)
        ReadoutWeightFlags weighting = new ReadoutWeightFlags();
        @Option(names = "--refresh", defaultValue = "1", paramLabel = "E",
                description = "dedier: epochs between two weights passes (default: ${DEFAULT-VALUE}).")
        int refresh = DistillOptions.DEFAULT_REFRESH;
        @Option(names = "--weight-target", defaultValue = "kd", paramLabel = "W",
                description = "dedier: the weight scales the teacher term (kd) or the whole loss (both) (default: ${DEFAULT-VALUE}).")
        String weightTarget = "kd";

        DistillOptions options(AuxFlags aux) {
            return new DistillOptions(teacher, teacherProbs, lambda, temperature, weighting.alpha, weighting.beta,
                    weighting.normalise, refresh, weightTarget, aux.auxAt, aux.auxLr(DistillOptions.DEFAULT_AUX_LR));
        }
    }

    /** Where the head on an early block reads and how fast it learns: DEDIER's early readout, SIFER's aux head. */
    static final class AuxFlags {
        @Option(names = "--aux-at", defaultValue = "block1", paramLabel = "B",
                description = "The block the head reads, block1 (after its pooling) or block2 (default: ${DEFAULT-VALUE}).")
        String auxAt = Networks.BLOCK1;
        @Option(names = "--aux-lr", paramLabel = "X",
                description = "The head's learning rate: dedier's readout, Adam (default: 1e-3); sifer's aux head,"
                        + " SGD with momentum 0.9 (default: 1e-2).")
        Double auxLr;

        double auxLr(double methodDefault) {
            return auxLr != null ? auxLr : methodDefault;
        }
    }

    /** The flags of the feature sieve. */
    static final class SiferFlags {
        @Option(names = "--aux-depth", defaultValue = "0", paramLabel = "D",
                description = "sifer: conv (or dense) blocks of the aux head before its softmax layer; 0 = one dense"
                        + " softmax layer on the flattened block (default: ${DEFAULT-VALUE}).")
        int auxDepth = SiferOptions.DEFAULT_AUX_DEPTH;
        @Option(names = "--aux-width", defaultValue = "32", paramLabel = "W",
                description = "sifer: channels (or units) of each aux block, when --aux-depth > 0 (default: ${DEFAULT-VALUE}).")
        int auxWidth = SiferOptions.DEFAULT_AUX_WIDTH;
        @Option(names = "--forget-every", defaultValue = "5", paramLabel = "N",
                description = "sifer: a forgetting step every N training steps; 0 = never (default: ${DEFAULT-VALUE}).")
        int forgetEvery = SiferOptions.DEFAULT_FORGET_EVERY;
        @Option(names = "--forget-lr", defaultValue = "1e-2", paramLabel = "X",
                description = "sifer: learning rate of the forgetting step, plain SGD on the layers up to the aux head"
                        + " (default: ${DEFAULT-VALUE}).")
        double forgetLr = SiferOptions.DEFAULT_FORGET_LR;
        @Option(names = "--forget-lr-scaling", defaultValue = "workers", paramLabel = "S",
                description = "sifer, with --batch-scope worker: workers (each of W averaging workers forgets at"
                        + " W x --forget-lr, so an epoch forgets as much as in one process) or none; a global batch"
                        + " needs no scaling (default: ${DEFAULT-VALUE}).")
        String forgetLrScaling = SiferOptions.DEFAULT_FORGET_LR_SCALING;

        SiferOptions options(AuxFlags aux) {
            return new SiferOptions(aux.auxAt, auxDepth, auxWidth, aux.auxLr(SiferOptions.DEFAULT_AUX_LR), forgetEvery,
                    forgetLr, forgetLrScaling);
        }
    }

    /** The flags of JTT. */
    static final class JttFlags {
        @Option(names = "--jtt-epochs", defaultValue = "2", paramLabel = "N",
                description = "jtt: epochs of the stage-one ERM (default: ${DEFAULT-VALUE}).")
        int epochs = JttOptions.DEFAULT_EPOCHS;
        @Option(names = "--upweight", defaultValue = "6", paramLabel = "X",
                description = "jtt: how many times a stage-one error counts in stage two (default: ${DEFAULT-VALUE}).")
        double upweight = JttOptions.DEFAULT_UPWEIGHT;

        JttOptions options() {
            return new JttOptions(epochs, upweight);
        }
    }

    /**
     * This command's parsing for the jobs that compose training runs from flags in a config file (the sweep's
     * trials, the pipeline's runs): every train flag works there and a bad one fails with train's message.
     */
    public static JobFlags<TrainJob.Request> flags() {
        return new CommandFlags<>("train", TrainCommand::new, TrainCommand::request);
    }

    /** The run this command asks for; --resume and --overwrite exclude each other. */
    TrainJob.Request request() {
        if (resume && overwrite) {
            throw new BadInputException("--resume and --overwrite exclude each other");
        }
        return new TrainJob.Request(config(), resume, overwrite);
    }

    @Override
    public Integer call() {
        TrainJob.Request request = request();
        TrainJob.run(context.spark("train"), request, context.out());
        return 0;
    }
}
