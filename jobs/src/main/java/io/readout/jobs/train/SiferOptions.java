package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.readout.common.BadInputException;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;

import static io.readout.jobs.train.JsonNumbers.required;

/**
 * The options of the feature sieve, {@code sifer} (config.json's {@code "sifer"} object, snake_case in the
 * order below). Defaults are
 * those of the benchmarks and of the official code.
 *
 * @param auxAt       the block the aux head reads: {@code block1} (after its pooling) or {@code block2}
 * @param auxDepth    blocks of the aux head before its softmax layer (0: one dense softmax layer on the
 *                    flattened block output)
 * @param auxWidth    channels (CNN) or units (MLP) of each of those blocks; unused when {@code auxDepth} is 0
 * @param auxLr       the aux head's learning rate, SGD with Nesterov momentum 0.9 (the identification step)
 * @param forgetEvery a forgetting step before every {@code forgetEvery}-th training step (0: never)
 * @param forgetLr    the forgetting step's learning rate, plain SGD on the early layers, as a single process
 *                    takes it
 * @param forgetLrScaling {@value #SCALE_WORKERS}: with {@link BatchScope#WORKER} batches, each of W averaging
 *                    workers steps at W · forgetLr, or {@value #SCALE_NONE}: at forgetLr. A worker then takes 1/W
 *                    of a single process's steps per epoch and averaging takes the mean of the workers'
 *                    displacements, so W workers that each forget at forgetLr move the early layers 1/W as far
 *                    per epoch as one process does; plain SGD is linear in its learning rate, so W · forgetLr
 *                    restores the single-process forgetting strength (the linear scaling rule). With
 *                    {@link BatchScope#GLOBAL} batches (the default) every worker takes a single process's steps
 *                    and forgets as often, so each forgets at forgetLr.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SiferOptions(String auxAt, int auxDepth, int auxWidth, double auxLr, int forgetEvery,
                           double forgetLr, String forgetLrScaling) {
    public static final String DEFAULT_AUX_AT = Networks.BLOCK1;
    public static final int DEFAULT_AUX_DEPTH = 0;
    public static final int DEFAULT_AUX_WIDTH = 32;
    public static final double DEFAULT_AUX_LR = 1e-2;
    public static final int DEFAULT_FORGET_EVERY = 5;
    public static final double DEFAULT_FORGET_LR = 1e-2;
    public static final String SCALE_WORKERS = "workers";
    public static final String SCALE_NONE = "none";
    public static final String DEFAULT_FORGET_LR_SCALING = SCALE_WORKERS;
    /** The aux head's updater: SGD with momentum 0.9, in DL4J Nesterov's. */
    static final String AUX_UPDATER = "nesterovs";

    /** Options with the forgetting step scaled by the workers ({@value #DEFAULT_FORGET_LR_SCALING}). */
    public SiferOptions(String auxAt, int auxDepth, int auxWidth, double auxLr, int forgetEvery, double forgetLr) {
        this(auxAt, auxDepth, auxWidth, auxLr, forgetEvery, forgetLr, DEFAULT_FORGET_LR_SCALING);
    }

    /** The benchmarks' defaults. */
    public static SiferOptions defaults() {
        return new SiferOptions(DEFAULT_AUX_AT, DEFAULT_AUX_DEPTH, DEFAULT_AUX_WIDTH, DEFAULT_AUX_LR,
                DEFAULT_FORGET_EVERY, DEFAULT_FORGET_LR);
    }

    /** The learning rate each worker's forgetting step takes when {@code workers} average their parameters. */
    public double forgetLrOn(int workers, BatchScope scope) {
        return SCALE_WORKERS.equals(forgetLrScaling) && scope == BatchScope.WORKER
                ? forgetLr * Math.max(1, workers) : forgetLr;
    }

    /** Cross-field rules; throws {@link BadInputException} naming the flag. */
    public SiferOptions validate() {
        auxHead();
        if (forgetEvery < 0) {
            throw new BadInputException("--forget-every " + forgetEvery + " must be 0 (never) or more");
        }
        if (!(forgetLr > 0) || Double.isInfinite(forgetLr)) {
            throw new BadInputException("--forget-lr " + forgetLr + " must be a positive number");
        }
        if (!SCALE_WORKERS.equals(forgetLrScaling) && !SCALE_NONE.equals(forgetLrScaling)) {
            throw new BadInputException("--forget-lr-scaling " + forgetLrScaling + ": expected " + SCALE_WORKERS
                    + " or " + SCALE_NONE);
        }
        return this;
    }

    /** The aux head: on {@code auxAt}, {@code auxDepth} blocks of {@code auxWidth}, then a softmax layer. */
    public ReadoutHead auxHead() {
        ReadoutHead linear = ReadoutHead.linear(auxAt, AUX_UPDATER, auxLr);
        return auxDepth == 0 ? linear : linear.withBlocks(auxDepth, auxWidth);
    }

    /** True when the run takes forgetting steps. */
    public boolean forgets() {
        return forgetEvery > 0;
    }

    /**
     * config.json's {@code "sifer"} read back: every number is required; runs from before
     * {@code forget_lr_scaling} scaled by the workers.
     */
    @JsonCreator
    static SiferOptions read(@JsonProperty("aux_at") String auxAt, @JsonProperty("aux_depth") Integer auxDepth,
                             @JsonProperty("aux_width") Integer auxWidth, @JsonProperty("aux_lr") Double auxLr,
                             @JsonProperty("forget_every") Integer forgetEvery, @JsonProperty("forget_lr") Double forgetLr,
                             @JsonProperty("forget_lr_scaling") String forgetLrScaling) {
        return new SiferOptions(auxAt, required(auxDepth, "aux_depth"), required(auxWidth, "aux_width"),
                required(auxLr, "aux_lr"), required(forgetEvery, "forget_every"), required(forgetLr, "forget_lr"),
                forgetLrScaling != null ? forgetLrScaling : DEFAULT_FORGET_LR_SCALING);
    }
}
