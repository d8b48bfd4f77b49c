package io.readout.jobs.evaluate;

import io.readout.common.BadInputException;
import io.readout.datasets.Split;
import io.readout.jobs.passes.PassInputs;

import java.util.List;

/**
 * {@code readout evaluate}: the run whose model is evaluated ({@code model}: {@code final} or
 * {@code best}), the prepared data, the split ({@code val}, {@code test}, or {@code all} for both)
 * and the forward-pass batch size.
 */
public record EvaluateConfig(String run, String data, String split, String model, int batch) {
    /** The splits a model is judged on; train accuracy is the training job's business. */
    public static final List<Split> EVALUATED = List.of(Split.VAL, Split.TEST);

    /** Checks every flag; returns this. */
    public EvaluateConfig validate() {
        if (data == null || data.isBlank()) {
            throw new BadInputException("--data is required");
        }
        splits();
        PassInputs.modelFile(model);
        if (batch <= 0) {
            throw new BadInputException("--batch " + batch + " must be positive");
        }
        return this;
    }

    public List<Split> splits() {
        return PassInputs.splits(split, EVALUATED);
    }
}
