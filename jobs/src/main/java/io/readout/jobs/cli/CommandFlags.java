package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.jobs.flags.JobFlags;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A command's own parsing and validation for a job that composes others from flags named in a config file:
 * the flags are parsed into a fresh instance of the command, whose config is then built and validated as
 * when it runs. A bad flag fails with the message the command line gives, in one line.
 *
 * @param <T> the command
 * @param <C> its job's config
 */
final class CommandFlags<T, C> implements JobFlags<C> {
    private final String name;
    private final Supplier<T> command;
    private final Function<T, C> config;

    CommandFlags(String name, Supplier<T> command, Function<T, C> config) {
        this.name = name;
        this.command = command;
        this.config = config;
    }

    @Override
    public boolean isSwitch(String flag) {
        OptionSpec option = new CommandLine(command.get()).getCommandSpec().findOption(flag);
        return option != null && option.arity().max() == 0;
    }

    @Override
    public C parse(List<String> args) {
        CommandLine cmd = new CommandLine(command.get());
        try {
            cmd.parseArgs(args.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new BadInputException(CommandErrors.parameterMessage("readout " + name, e), e);
        }
        return config.apply(cmd.getCommand());
    }
}
