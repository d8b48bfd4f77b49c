package io.readout.datasets.builders;

import io.readout.common.BadInputException;

/** The spurious correlation of the training split: the fraction of examples whose attribute agrees with the label. */
final class Rho {
    private Rho() {
    }

    static double require(double rho) {
        if (!(rho >= 0.0 && rho <= 1.0)) {
            throw new BadInputException("--rho " + rho + " is outside [0, 1]");
        }
        return rho;
    }
}
