package io.readout.jobs.train;

import io.readout.common.BadInputException;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the driver turns one round's worker parameters into the next parameters, from the parameters θ the
 * round started with and the n workers' results θ_i (each after up to K local steps).
 *
 * <ul>
 *   <li>{@link #MEAN}: θ ← (1/n) Σ θ_i, dl4j-spark's parameter averaging. A round moves the model about as
 *       far as one worker's K steps, so an epoch over W workers takes about 1/W of the optimizer steps of a
 *       sequential epoch: on small data, W workers underfit in the epochs one worker needs.</li>
 *   <li>{@link #SUM}: θ ← θ + Σ (θ_i − θ), the workers' displacements added, as a sequential run would apply
 *       the same n·K steps one after another (to first order in the learning rate). This is model averaging
 *       with an outer learning rate of n (the "server learning rate" of local SGD and federated averaging,
 *       Reddi et al. 2021; SlowMo, Wang et al. 2020; block-wise model-update filtering, Chen &amp; Huo 2016,
 *       whose block momentum 1 − 1/n reaches the same scale): an epoch makes the progress of a sequential
 *       epoch whatever the worker count.</li>
 * </ul>
 * The updater state (Adam's moment estimates) is averaged in both: it estimates the gradient's moments, not a
 * displacement.
 */
public enum Averaging {
    MEAN, SUM;

    /** The rule a flag names ({@code mean} or {@code sum}). */
    public static Averaging of(String name, String flag) {
        for (Averaging a : values()) {
            if (a.flag().equals(name)) {
                return a;
            }
        }
        throw new BadInputException(flag + " '" + name + "' is not one of "
                + String.join(", ", Arrays.stream(values()).map(Averaging::flag).toList()));
    }

    /** The name on the command line and in config.json. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The next parameters from {@code start} (θ, not modified) and the sum of {@code count} workers' parameters
     * ({@code workerSum}, overwritten with the result, which is returned).
     */
    INDArray next(INDArray start, INDArray workerSum, int count) {
        return switch (this) {
            case MEAN -> workerSum.divi(count);
            // θ + Σ(θ_i − θ) = Σθ_i − (n − 1)·θ
            case SUM -> count == 1 ? workerSum : workerSum.subi(start.mul(count - 1));
        };
    }
}
