package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.datasets.Split;

import java.util.List;

/**
 * {@code readout predict}: the run whose model predicts ({@code model}: {@code final} = model.zip,
 * {@code best} = best.zip), what it predicts on — a prepared dataset and its split(s) ({@code train}, {@code val},
 * {@code test} or {@code all}), or a file of new texts ({@link NewTexts}) — the output folder and the forward-pass
 * batch size.
 */
public record PredictConfig(String run, String data, String split, NewTexts.Source text, String out, String model,
                            int batch, boolean overwrite) {

    /** Checks every flag; returns this. */
    public PredictConfig validate() {
        if ((data == null) == (text == null)) {
            throw new BadInputException("give either --data (a prepared dataset) or --text (a file of new texts)");
        }
        if (text != null) {
            if (split != null) {
                throw new BadInputException("--split: a --text file has no splits; every row is predicted");
            }
            text.validate();
        } else {
            if (split == null) {
                throw new BadInputException("--split is required with --data (train, val, test or all)");
            }
            splits();
        }
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
