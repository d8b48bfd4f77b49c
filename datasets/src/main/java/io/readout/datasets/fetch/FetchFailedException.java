package io.readout.datasets.fetch;

/**
 * A download that did not complete for a reason outside the user's input: a connection closed early, a timeout
 * in the middle of a body, a 206 answer for the wrong range. The message is one line naming the URL; what was
 * received stays in the partial file, so the next run resumes. The command line prints it and exits with code 1.
 *
 * <p>Inside a download it also reports a mirror that never sent the file (no connection, unknown host, an HTTP
 * error status): {@link #transferred()} is false then, and when every mirror fails that way {@link FetchJob}
 * turns it into a {@link MirrorUnreachableException} (exit code 2).
 */
public class FetchFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean transferred;

    public FetchFailedException(String message) {
        this(message, true);
    }

    public FetchFailedException(String message, Throwable cause) {
        this(message, true, cause);
    }

    public FetchFailedException(String message, boolean transferred) {
        super(message);
        this.transferred = transferred;
    }

    public FetchFailedException(String message, boolean transferred, Throwable cause) {
        super(message, cause);
        this.transferred = transferred;
    }

    /** Whether the mirror answered with (part of) the file before the failure; false: unreachable or an HTTP error. */
    public boolean transferred() {
        return transferred;
    }
}
