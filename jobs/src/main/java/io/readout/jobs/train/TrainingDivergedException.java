package io.readout.jobs.train;

/** Training produced a NaN or infinite loss; the run keeps its last good checkpoint (exit code 1). */
public class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
