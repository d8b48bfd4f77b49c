package io.readout.jobs.passes;

import io.readout.common.BadInputException;


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
}
