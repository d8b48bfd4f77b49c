package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonValue;
import io.readout.common.BadInputException;

import java.util.Arrays;
import java.util.Locale;

/**
 * What {@code --batch} counts when W workers average their parameters.
 *
 * <ul>
 *   <li>{@link #GLOBAL} (the default): the examples of one optimizer step across all workers, as a single
 *       process counts them. Each worker fits minibatches of {@code batch / W} (rounded, at least 1), so every
 *       worker takes as many optimizer steps per epoch as a single process does, and averaging W workers'
 *       K-step displacements moves the model about as far as K sequential steps on the whole batch: an epoch
 *       makes a sequential epoch's progress at any worker count, for the same work. Adaptive updaters (Adam)
 *       take √(batch / worker batch) times their learning rate on the workers
 *       ({@link io.readout.common.nets.AdaptiveRates}: their second-moment estimate sees a smaller batch's
 *       noise).</li>
 *   <li>{@link #WORKER}: each worker fits minibatches of {@code batch} (dl4j-spark's convention). A round
 *       then moves the model about as far as one worker's K steps, so an epoch over W workers takes about 1/W
 *       of a sequential epoch's optimizer steps: small data underfit at the epochs one process needs
 *       (docs/BENCHMARKS.md, "Two workers learn what one learns"). For large data on many GPUs, where a
 *       per-worker batch of {@code batch / W} would starve the devices.</li>
 * </ul>
 */
public enum BatchScope {
    GLOBAL, WORKER;

    /** The scope a flag names ({@code global} or {@code worker}). */
    public static BatchScope of(String name, String flag) {
        for (BatchScope s : values()) {
            if (s.flag().equals(name)) {
                return s;
            }
        }
        throw new BadInputException(flag + " '" + name + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(BatchScope::flag).toList()));
    }

    /** The name on the command line and in config.json. */
    @JsonValue
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The factor on the workers' adaptive learning rates: √(batch / worker batch) for a global batch (the square
     * root of how much noisier a worker's gradient is than the whole batch's), 1 for a worker batch.
     */
    public double adaptiveLrScale(int batch, int workers) {
        return this == WORKER ? 1.0 : Math.sqrt(batch / (double) workerBatch(batch, workers));
    }

    /** The minibatch each of {@code workers} workers fits for a {@code batch} of this scope. */
    public int workerBatch(int batch, int workers) {
        if (this == WORKER || workers <= 1) {
            return batch;
        }
        return Math.max(1, (int) Math.round(batch / (double) workers));
    }
}
