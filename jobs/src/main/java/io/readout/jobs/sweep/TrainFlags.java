package io.readout.jobs.sweep;

import io.readout.jobs.train.TrainConfig;

import java.util.List;

/**
 * readout train's command line as the sweep uses it: a trial's flags become train arguments and are
 * parsed and validated exactly as {@code readout train} would parse them ({@code TrainCommand.flags()}),
 * so every train flag, including those a new method adds, can be swept, and a bad key or value fails
 * with train's own message.
 */
public interface TrainFlags {
    /** Whether {@code --name} is an on/off switch of readout train (false also when there is no such flag). */
    boolean isSwitch(String name);

    /**
     * The validated config of train arguments ({@code --name=value} or {@code --switch}).
     *
     * @throws io.readout.common.BadInputException with train's one-line message
     */
    TrainConfig parse(List<String> args);
}
