package io.readout.common;

/**
 * An error the user caused: a bad argument, a missing or malformed input, an output that
 * already exists. The message is one line that names the input (file, row, field or flag);
 * the command line prints it without a stack trace and exits with code 2.
 */
public class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first BadInputException in a cause chain (Spark wraps executor failures), or null. */
    public static BadInputException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
