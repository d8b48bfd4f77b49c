package io.readout.common.distill;

import java.io.Serializable;

/**
 * What the early readout says about one training example: its prediction, how confident it is and
 * whether it is wrong, and the raw weight DEDIER gives the example's teacher term. A row of the
 * weights table ({@code aux_pred, aux_margin, wrong, weight}) before normalisation.
 *
 * @param prediction the readout's class: its largest probability, the lowest index on ties
 * @param margin     top-1 minus top-2 probability, in [0, 1]
 * @param wrong      prediction differs from the label
 * @param rawWeight  exp(β·margin^α) if wrong, else 1
 */
public record EarlyReadout(int prediction, double margin, boolean wrong, double rawWeight)
        implements Serializable {
}
