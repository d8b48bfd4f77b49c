package io.readout.jobs.io;

/**
 * Another run holds an {@link ExclusiveLock}: the registry's, for longer than {@code --lock-timeout}, or a
 * pipeline root's ({@link FolderLock}). Not a user error
 * (exit 2) and not a failure of this run's work (exit 1): the command line exits with
 * {@link #EXIT_CODE} 3, so a scheduler can tell "try again later" from "fix the arguments" and
 * from "broken". The message is one line naming the lock file and its holder.
 */
public class LockedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public static final int EXIT_CODE = 3;

    public LockedException(String message) {
        super(message);
    }
}
