package io.readout.jobs.train;

import java.io.PrintStream;

/**
 * Trains a run to its end as {@link TrainJob} does, continuing one that stopped: what a method that trains
 * another run first ({@link Jtt}'s stage one) is handed, so that it need not call the job that runs it.
 */
@FunctionalInterface
interface RunTrainer {
    void train(TrainConfig config, PrintStream out);
}
