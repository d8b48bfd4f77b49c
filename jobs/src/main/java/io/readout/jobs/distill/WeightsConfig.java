package io.readout.jobs.distill;

import io.readout.common.BadInputException;
import io.readout.common.distill.ReadoutWeights;
import io.readout.jobs.evaluate.PassInputs;
import io.readout.jobs.train.DistillOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code readout weights}: the student's run and model ({@code model} = model.zip, {@code best} =
 * best.zip; it must have an early readout), the prepared data, the output folder, the weighting
 * ({@code alpha}, {@code beta}, {@code normalise}, as in training) and the forward-pass batch size.
 */
public record WeightsConfig(String student, String data, String out, double alpha, double beta, String normalise,
                            String model, int batch, boolean overwrite) {

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
        return DistillOptions.readoutWeights(alpha, beta, normalise);
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("student", student);
        m.put("data", data);
        m.put("out", out);
        m.put("alpha", alpha);
        m.put("beta", beta);
        m.put("normalise", normalise);
        m.put("model", model);
        m.put("batch", batch);
        m.put("overwrite", overwrite);
        return m;
    }
}
