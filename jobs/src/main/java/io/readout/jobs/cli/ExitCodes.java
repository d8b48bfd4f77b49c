package io.readout.jobs.cli;

import io.readout.jobs.io.LockedException;

/** The command line's exit codes, as the README lists them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    /** Bad arguments or bad input, reported in one line that names the input. */
    public static final int BAD_INPUT = 2;
    /** Locked by another run (a retrain registry, a pipeline root): try again later. */
    public static final int LOCKED = LockedException.EXIT_CODE;

    private ExitCodes() {
    }
}
