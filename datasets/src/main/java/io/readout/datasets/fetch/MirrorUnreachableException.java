package io.readout.datasets.fetch;

import io.readout.common.BadInputException;

/**
 * No mirror sent a file at all: none could be reached (no connection, unknown host, no answer in time) or each
 * answered with an HTTP error status (a wrong folder URL). The mirror URLs are the user's input, so the command
 * line prints the one-line message and exits with code 2; nothing was written but the empty partial folder.
 */
public class MirrorUnreachableException extends BadInputException {
    private static final long serialVersionUID = 1L;

    public MirrorUnreachableException(String message) {
        super(message);
    }
}
