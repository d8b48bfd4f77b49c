package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.jobs.flags.RenamedFlags;
import io.readout.jobs.io.LockedException;
import io.readout.jobs.io.UnreadableInput;
import io.readout.jobs.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * How the command line reports what went wrong, in one line that starts with the command's name: arguments
 * that do not parse, and a command's failure with its exit code ({@link ExitCodes}). Commands run by
 * {@link ReadoutCli} and commands run as a pipeline's stages are reported alike.
 */
final class CommandErrors {
    private static final Logger LOG = LoggerFactory.getLogger(CommandErrors.class);

    private CommandErrors() {
    }

    /**
     * The one-line message of a command line that does not parse: for a flag that was renamed, the hint to
     * its new name ({@link RenamedFlags}); otherwise picocli's message and where the help is.
     *
     * @param name the command as the user typed it, e.g. {@code readout train}
     */
    static String parameterMessage(String name, ParameterException ex) {
        // picocli reports a missing required option before the words it could not match: look at both.
        List<String> unmatched = ex instanceof UnmatchedArgumentException u ? u.getUnmatched()
                : ex.getCommandLine() != null ? ex.getCommandLine().getUnmatchedArguments() : List.of();
        if (ex.getCommandLine() != null) {
            String command = ex.getCommandLine().getCommandSpec().name();
            for (String arg : unmatched) {
                Optional<String> hint = RenamedFlags.hint(command, arg);
                if (hint.isPresent()) {
                    return hint.get();
                }
            }
        }
        return ex.getMessage().replace('\n', ' ') + " (see '" + name + " --help')";
    }

    /**
     * How the command line reports a command's failure: one line on {@code err} that starts with the
     * command's name ({@code readout train}), and the exit code. Bad input (2) and a locked folder (3) are
     * the user's to act on; a diverged training run (1) is one line too; anything else (1) is also logged with
     * its stack trace.
     */
    static int report(String name, Exception ex, PrintStream err) {
        BadInputException bad = BadInputException.findIn(ex);
        if (bad == null) {
            bad = UnreadableInput.find(ex);
        }
        if (bad != null) {
            err.println(name + ": " + bad.getMessage().replace('\n', ' '));
            return ExitCodes.BAD_INPUT;
        }
        if (ex instanceof TrainingDivergedException) {
            err.println(name + ": " + ex.getMessage());
            return ExitCodes.FAILURE;
        }
        if (ex instanceof LockedException) {
            err.println(name + ": " + ex.getMessage());
            return ExitCodes.LOCKED;
        }
        LOG.error("{} failed", name, ex);
        err.println(name + ": failed: " + ex);
        return ExitCodes.FAILURE;
    }
}
