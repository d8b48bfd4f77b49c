package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.datasets.Split;

import java.util.List;

/**
 * {@code readout predict}: the run whose model predicts ({@code model}: {@code final} = model.zip,
 * {@code best} = best.zip), the prepared data, the split(s) ({@code train}, {@code val},
 * {@code test} or {@code all}), the output folder and the forward-pass batch size.
 */
public record PredictConfig(String run, String data, String split, String out, String model, int batch,
                            boolean overwrite) {

    /** Checks every flag; returns this. */
    public PredictConfig validate() {
        splits();
        PassInputs.modelFile(model);
        if (batch <= 0) {
            throw new BadInputException("--batch " + batch + " must be positive");
        }
        return this;
    }

    public List<Split> splits() {
        return PassInputs.splits(split, List.of(Split.values()));
    }
}
