package io.readout.jobs.flags;

import java.util.List;

/**
 * A readout command's flags parsed into its job's typed config by the command's own parsing and validation.
 * The command line gives one to the jobs that compose others from flags named in a config file (the
 * pipeline's stages, the sweep's trials), so every flag works there and a bad one fails with the command's
 * own one-line message.
 *
 * @param <C> the job's config
 */
public interface JobFlags<C> {
    /** Whether {@code --name} is an on/off switch of the command (false also when there is no such flag). */
    boolean isSwitch(String flag);

    /**
     * The validated config of the command's arguments ({@code --name=value}, {@code --switch}, operands).
     *
     * @throws io.readout.common.BadInputException with the command's one-line message
     */
    C parse(List<String> args);
}
