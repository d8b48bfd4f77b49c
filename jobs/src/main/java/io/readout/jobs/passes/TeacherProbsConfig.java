package io.readout.jobs.passes;

import io.readout.common.BadInputException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code readout teacher-probs}: the teacher's run and model ({@code model} = model.zip, {@code best}
 * = best.zip), the prepared data, the output folder, the temperature the probabilities are softened
 * with and the forward-pass batch size.
 */
public record TeacherProbsConfig(String teacher, String data, String out, double temperature, String model, int batch,
                                 boolean overwrite) {

    /** Checks every flag; returns this. */
    public TeacherProbsConfig validate() {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new BadInputException("--temperature " + temperature + " must be a positive number");
        }
        PassInputs.modelFile(model);
        if (batch <= 0) {
            throw new BadInputException("--batch " + batch + " must be positive");
        }
        return this;
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("teacher", teacher);
        m.put("data", data);
        m.put("out", out);
        m.put("temperature", temperature);
        m.put("model", model);
        m.put("batch", batch);
        m.put("overwrite", overwrite);
        return m;
    }
}
