package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.common.distill.ReadoutWeights;

import java.util.List;

/**
 * {@code readout weights}: the student's run and model ({@code model} = model.zip, {@code best} =
 * best.zip; it must have an early readout), the prepared data, the output folder, the weighting
 * ({@code alpha}, {@code beta}, {@code normalise}, as in training) and the forward-pass batch size.
 */
public record WeightsConfig(String student, String data, String out, double alpha, double beta, String normalise,
                            String model, int batch, boolean overwrite) {
    public static final List<String> NORMALISE = List.of("mean", "none");

    /** Checks every flag; returns this. */
    public WeightsConfig validate() {
        weights();
        PassInputs.modelFile(model);
        if (batch <= 0) {
            throw new BadInputException("--batch " + batch + " must be positive");
        }
        return this;
    }

    public ReadoutWeights weights() {
        return readoutWeights(alpha, beta, normalise);
    }

    /**
     * The weighting of {@code --alpha}, {@code --beta} and {@code --normalise} (here and in
     * {@code train --method dedier}); throws {@link BadInputException} naming the flag.
     */
    public static ReadoutWeights readoutWeights(double alpha, double beta, String normalise) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new BadInputException("--alpha " + alpha + " must be a positive number");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new BadInputException("--beta " + beta + " must be zero or a positive number");
        }
        if (!NORMALISE.contains(normalise)) {
            throw new BadInputException("--normalise '" + normalise + "' is not one of " + String.join(", ", NORMALISE));
        }
        return new ReadoutWeights(alpha, beta, ReadoutWeights.Normalisation.parse(normalise));
    }
}
