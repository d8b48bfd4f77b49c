package io.readout.common.jtt;

import io.readout.common.Seeds;

import java.io.Serializable;

/**
 * How Just Train Twice (Liu et al. 2021) up-weights its error set in stage two: by upsampling, as the
 * paper does. In one epoch an example that stage one got wrong appears λ_up times, every other example
 * once. For a fractional λ_up an error example appears {@code floor(λ_up)} times plus once more with
 * probability {@code λ_up − floor(λ_up)}, so it appears λ_up times on average. That Bernoulli draw is a
 * hash of ({@code epochSeed}, id): the same on every executor and in a resumed run, whatever the
 * partitioning and order of the rows, and drawn anew each epoch.
 *
 * @param upweight  λ_up, at least 1
 * @param epochSeed the seed of one epoch's draws, derived from the run's seed and the epoch
 */
public record ErrorSetUpsampling(double upweight, long epochSeed) implements Serializable {

    public ErrorSetUpsampling {
        if (!(upweight >= 1) || upweight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("upweight " + upweight + " must be between 1 and " + Integer.MAX_VALUE);
        }
    }

    /** How many times the example {@code id} appears in this epoch. */
    public int copies(String id, boolean inErrorSet) {
        if (!inErrorSet) {
            return 1;
        }
        int whole = (int) Math.floor(upweight);
        double remainder = upweight - whole;
        return remainder > 0 && uniform(id) < remainder ? whole + 1 : whole;
    }

    /** The example's uniform draw in [0, 1) for this epoch: the top 53 bits of a seeded hash of its id. */
    double uniform(String id) {
        return (Seeds.derive(epochSeed, id) >>> 11) * 0x1.0p-53;
    }
}
